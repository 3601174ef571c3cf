/**
 * The console's command names, for bconsole's tab completion. bconsole depends only on
 * common, so it cannot import the Director's command table; a test checks this list
 * against the table so the two never drift.
 */
export const COMMAND_NAMES: readonly string[] = [
  '.api', '.bvfs_cleanup', '.bvfs_get_jobids', '.bvfs_lsdirs', '.bvfs_lsfiles', '.bvfs_restore', '.bvfs_update', '.bvfs_versions', 'add', 'cancel', 'delete', 'estimate', 'exit', 'export', 'help', 'import', 'label', 'list', 'llist', 'messages', 'mount', 'move', 'prune', 'purge', 'query', 'quit', 'relabel', 'release', 'reload', 'rerun', 'restore', 'run', 'setbandwidth', 'show', 'status', 'truncate', 'unmount', 'update', 'version', 'wait',
];
