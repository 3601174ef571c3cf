/** What console commands may use: passed to every handler, nothing global. */
import type { DirectorConfig } from '@burrow/common/config/index';
import type { Catalog } from '../catalog/catalog.js';
import type { JobEnv } from '../jobs/env.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Scheduler } from '../scheduler/scheduler.js';

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
}

export interface ConsoleContext {
  config: DirectorConfig;
  catalog: Catalog;
  queue: JobQueue;
  env: JobEnv;
  state: DirectorState;
  scheduler: Scheduler;
  session: ConsoleSession;
  /** Paths in the configuration are relative to its directory. */
  resolvePath: (p: string) => string;
}
