/** What console commands may use: passed to every handler, nothing global. */
import type { DirectorConfig } from '@burrow/common/config/index';
import type { Catalog } from '../catalog/index.js';
import type { JobEnv } from '../jobs/env.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { Dialog } from './dialog.js';
import type { RestoreTree } from '../restore-tree/tree.js';
import type { LiveConfiguration } from '../configuration/live.js';

/** State shared by every console of this Director (Bareos has one console message queue). */
export interface DirectorState {
  startedAt: number;
  /** The last job log line `messages` has shown. */
  lastShownLogId: number;
}

export interface ConsoleSession {
  consoleName: string;
  /** `.api json` mode: every command answers one JSON document. */
  api: boolean;
  /** A restricted console's own place in the job log (the shared one is the default console's). */
  lastShownLogId?: number;
  /** The conversation under way (restore menu, file tree), which gets the next line. */
  dialog?: Dialog;
  /** The last restore tree built, kept for the `.bvfs_*` calls on the same jobs. */
  browse?: { key: string; tree: RestoreTree };
  /** `.bvfs_restore path=b2NNN` selections, by name, until `restore file=?b2NNN` or `.bvfs_cleanup`. */
  bvfsSelections?: Map<string, BvfsSelection>;
}

/** Files a GUI chose through `.bvfs_restore`: nodes of the tree of those jobs. */
export interface BvfsSelection {
  client: string;
  jobIds: number[];
  tree: RestoreTree;
  nodes: number[];
}

export interface ConsoleContext {
  /** The configuration in force when the command started: one command sees one configuration. */
  config: DirectorConfig;
  catalog: Catalog;
  queue: JobQueue;
  /** What jobs submitted now use (the JobEnv of `config`). */
  env: JobEnv;
  /** Where `config` and `env` come from; `reload` replaces what it holds. */
  live: LiveConfiguration;
  state: DirectorState;
  scheduler: Scheduler;
  session: ConsoleSession;
  /** Paths in the configuration are relative to its directory. */
  resolvePath: (p: string) => string;
}

/** What every console connection shares; each command gets it with the generation in force. */
export type ConsoleServices = Omit<ConsoleContext, 'session' | 'config' | 'env'>;
