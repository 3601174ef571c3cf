/** The console's command table: every command, by name. */
import type { Command } from '../command.js';
import { bvfsGetJobidsCommand, bvfsLsdirsCommand, bvfsLsfilesCommand, bvfsUpdateCommand, bvfsVersionsCommand } from './bvfs.js';
import { bvfsCleanupCommand, bvfsRestoreCommand } from './bvfs-restore.js';
import { apiCommand, helpCommand, messagesCommand, versionCommand } from './info.js';
import { labelCommand, relabelCommand } from './label.js';
import { mountCommand, releaseCommand, unmountCommand } from './mount.js';
import { exportCommand, importCommand, moveCommand } from './import-export.js';
import { addCommand } from './add.js';
import { deleteCommand } from './delete.js';
import { pruneCommand } from './prune.js';
import { purgeCommand } from './purge.js';
import { truncateCommand } from './truncate.js';
import { updateCommand } from './update.js';
import { estimateCommand } from './estimate.js';
import { listCommand, llistCommand } from './list.js';
import { queryCommand } from './query.js';
import { reloadCommand } from './reload.js';
import { restoreCommand } from './restore.js';
import { cancelCommand, rerunCommand, runCommand, waitCommand } from './run.js';
import { showCommand } from './show.js';
import { setbandwidthCommand } from './setbandwidth.js';
import { statusCommand } from './status.js';

const ALL: Command[] = [
  apiCommand, cancelCommand, estimateCommand, helpCommand, labelCommand, listCommand, llistCommand, messagesCommand,
  queryCommand, reloadCommand, rerunCommand, restoreCommand, runCommand, setbandwidthCommand, showCommand, statusCommand, versionCommand, waitCommand,
  addCommand, deleteCommand, mountCommand, releaseCommand, unmountCommand, importCommand, exportCommand, moveCommand, pruneCommand, purgeCommand, relabelCommand, truncateCommand, updateCommand,
  bvfsCleanupCommand, bvfsGetJobidsCommand, bvfsLsdirsCommand, bvfsLsfilesCommand, bvfsRestoreCommand, bvfsUpdateCommand, bvfsVersionsCommand,
];

export const COMMANDS: ReadonlyMap<string, Command> = new Map(ALL.map((c) => [c.name, c]));
