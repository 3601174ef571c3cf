/**
 * The words a job's log is written in, shared by the job runners (jobs/), the peer
 * conversations (sd/, fd/) and the Messages destinations (this folder). The JobLog
 * (jobs/job-log.ts) is the one implementation of JobLines.
 */

/**
 * Bareos message types a line can carry, used by Messages filters. `audit` lines (console
 * commands, when Auditing = yes) and `security` lines (refused console logins) are the
 * Director's own, never a job's; `mount` lines ask the operator for a volume (Bareos's
 * stock `operator = ... = mount`).
 */
export type MessageType = 'info' | 'warning' | 'error' | 'fatal' | 'terminate' | 'saved' | 'notsaved' | 'skipped' | 'restored' | 'audit' | 'security' | 'mount';

/** Where lines go besides the catalog (the Messages resource's destinations). */
export type MessageSink = (type: MessageType, line: string, jobId: number | null) => void;

/**
 * What a conversation with a daemon may write to its job's log: lines of its own, and
 * lines the daemon sent (`relay`, with the daemon's level). `from` names the daemon.
 */
export interface JobLines {
  info(text: string, from?: string): void;
  warning(text: string, from?: string): void;
  error(text: string, from?: string): void;
  /** A request to the operator for a volume (Bareos's M_MOUNT). */
  mount(text: string, from?: string): void;
  relay(level: string, text: string, from: string): void;
}
