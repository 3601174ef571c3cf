/** What the File daemon's parts share, built once by main.ts and passed down. */
import type { ScriptPolicy } from './scripts/client-scripts.js';

export interface RunningJob {
  startedAt: number;
  director: string;
}

export interface ClientContext {
  /** This daemon's own (FileDaemon/Client) resource name. */
  name: string;
  startedAt: number;
  running: Map<number, RunningJob>;
  signal: AbortSignal;
  /** Which run scripts a Director may have this client run. */
  scriptPolicy: ScriptPolicy;
}
