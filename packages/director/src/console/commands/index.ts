/** The console's command table: every command, by name. */
import type { Command } from '../command.js';
import { BVFS_COMMANDS } from './bvfs.js';
import { apiCommand, helpCommand, messagesCommand, showCommand, versionCommand } from './info.js';
import { labelCommand } from './label.js';
import { estimateCommand } from './estimate.js';
import { listCommand, llistCommand } from './list.js';
import { restoreCommand } from './restore.js';
import { cancelCommand, runCommand, waitCommand } from './run.js';
import { statusCommand } from './status.js';

const ALL: Command[] = [
  apiCommand, cancelCommand, estimateCommand, helpCommand, labelCommand, listCommand, llistCommand, messagesCommand,
  restoreCommand, runCommand, showCommand, statusCommand, versionCommand, waitCommand, ...BVFS_COMMANDS,
];

export const COMMANDS: ReadonlyMap<string, Command> = new Map(ALL.map((c) => [c.name, c]));
