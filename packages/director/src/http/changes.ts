/**
 * Which commands change something (a job, a volume, the configuration in force): each
 * one called over HTTP is logged with the console that called it and from where, in the
 * Director's log and the catalog's Log table (`list log`), whatever Auditing says.
 * Commands not named here are taken to change something, so a new command is logged
 * until someone says it need not be.
 */
const CHANGE_NOTHING: ReadonlySet<string> = new Set([
  'list', 'llist', 'status', 'show', 'help', 'version', '.api', 'estimate', 'wait', 'query', 'messages',
  '.bvfs_get_jobids', '.bvfs_lsdirs', '.bvfs_lsfiles', '.bvfs_versions',
  // Browsing state of this login only (its selections), nothing of the Director's.
  '.bvfs_restore', '.bvfs_cleanup', '.bvfs_update',
]);

export function changesSomething(command: string): boolean {
  return !CHANGE_NOTHING.has(command);
}

/** The request as a console line for the logs: the command, then its JSON arguments. */
export function requestLine(command: string, body: unknown): string {
  const args = body && typeof body === 'object' && Object.keys(body).length > 0 ? ` ${JSON.stringify(body)}` : '';
  return `${command}${args}`;
}
