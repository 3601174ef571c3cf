/** What a running job may use of the Director: passed in, never global. */
import type { Logger } from '@burrow/common/log/index';
import type { Catalog } from '../catalog/index.js';
import type { JobLog } from './job-log.js';
import type { PercentVars } from '../messages/percent.js';
import type { VolumeReservations } from '../media/reservations.js';
import type { Clock } from '../time/clock.js';
import type { ClientConnections } from '../fd/client-connections.js';

export interface JobEnv {
  catalog: Catalog;
  /** The Director's one clock: times in the catalog, retentions, use durations, waits. */
  clock: Clock;
  /** Which jobs hold which volumes, Director-wide (media/reservations.ts). */
  reservations: VolumeReservations;
  directorName: string;
  catalogName: string;
  /** Connections File daemons opened and left waiting for their jobs (fd/client-connections.ts). */
  clientConnections: ClientConnections;
  /**
   * The Director's FD Connect Timeout: how long a job keeps trying to reach its File
   * daemon, or waits for such a connection when none waits.
   */
  clientWaitMs: number;
  /** The Director's SD Connect Timeout: how long a job keeps trying to reach its Storage daemon. */
  storageConnectMs: number;
  log: Logger;
  /** Opens the job log of a job (catalog + Messages destinations of `messages`). */
  jobLog: (jobId: number, messages: string) => JobLog;
  /** The job is over: its Messages resource may mail its log. */
  jobEnded: (jobId: number, messages: string, end: { status: string; vars: PercentVars }) => Promise<void>;
  /**
   * Runs one console command as the Director's own console (a RunScript's `Console =`
   * line): no prompts, the text it would print, and whether it succeeded. Given by the
   * composition root (main.ts), which owns the console.
   */
  runConsoleCommand: (line: string, signal: AbortSignal) => Promise<ConsoleCommandResult>;
}

export interface ConsoleCommandResult {
  ok: boolean;
  text: string;
}

/** The identity of one run: its catalog id and unique name. */
export interface JobIdentity {
  jobId: number;
  job: string;
  schedTime: number;
}
