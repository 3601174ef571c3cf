/**
 * What the suite asks of a three-daemon backup system (Burrow or Bacula): backups at a
 * level, restores of everything or of one file, and the daemons' processes to measure.
 */
export type Compression = 'none' | 'GZIP6' | 'fastest';
export type Level = 'Full' | 'Incremental';

export interface DaemonProcess { name: string; pid: number }

export interface BackupSystem {
  readonly name: string;
  /** The finest mtime step its restores keep, for the tree comparison. */
  readonly mtimeResolutionNs: bigint;
  /** Runs a backup to its end; throws NotAvailable when the level is not offered. */
  backup(level: Level): Promise<{ seconds: number; jobId: number }>;
  /** Restores a job (all files, or the named ones) under `where`. */
  restore(jobId: number, where: string, files?: string[]): Promise<{ seconds: number }>;
  /** Bytes of volume data written so far. */
  storedBytes(): number;
  daemons(): DaemonProcess[];
  stop(): Promise<void>;
}

/** A feature the system under test does not have yet: the row says so instead of a time. */
export class NotAvailable extends Error {}

export interface ConsoleOutput { code: number | null; stdout: string; stderr: string }

/** The job id and end state from a console session that ran one job and `wait`ed. */
export function jobOutcome(what: string, kind: 'Backup' | 'Restore', r: ConsoleOutput): number {
  const ok = new RegExp(`Termination:\\s+${kind} OK`).test(r.stdout);
  const id = /JobId[= ](\d+)/.exec(r.stdout);
  if (r.code !== 0 || !ok || !id?.[1]) {
    throw new Error(`${what}: the ${kind.toLowerCase()} did not end OK (exit ${r.code}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  }
  return Number(id[1]);
}
