/**
 * A spooling job's data path on the SD (Bareos's data spooling): the File daemon's
 * records go to the job's spool file instead of the drive; when the job's data ends,
 * or a spool limit is reached, the job takes its drive's despool turn and writes the
 * spool to the volume in one stream through the same writing path a normal backup
 * uses (`write`), then goes on spooling. The client never waits on the tape, and jobs
 * spooling at once reach the volume one after the other, each in one run of blocks.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { perSecond, withCommas } from '@burrow/common/progress/index';
import type { SessionRecord } from '../volume/session-writer.js';
import { SpoolDiskFull, type DataSpool } from './data-spool.js';
import type { DriveSpools } from './spool-desk.js';

export interface JobSpoolOptions {
  spool: DataSpool;
  drive: DriveSpools;
  /** The job's spool at most: its own Spool Size, else its Device's Maximum Job Spool Size; 0: none. */
  jobLimit: number;
  /** The Device's Maximum Spool Size (all its jobs' spools together); 0: none. */
  deviceLimit: number;
  /**
   * Waits for the drive's despool turn and holds it until the release: one job despools
   * at a time, and no other job's blocks reach the drive meanwhile.
   */
  takeDrive: (signal: AbortSignal) => Promise<() => void>;
  /** Writes one record to the volume, as a backup that does not spool does. */
  write: (rec: SessionRecord) => Promise<void>;
  /** Opens the job's volume now, if it has none, and names it (for the job log). */
  volumeName: () => Promise<string>;
  /** After a part despooled: the job's blocks so far are on the volume and it leaves the drive to others. */
  endPart: () => Promise<void>;
  /** One line to the job log. */
  say: (text: string) => Promise<void>;
  signal: AbortSignal;
  now?: () => number;
}

/** Bytes a record takes in the spool file (data-spool.ts). */
const spooledSize = (rec: SessionRecord): number => 12 + rec.data.length;

/** Where a spooling job is: taking records into its spool, waiting for its drive's despool turn, or despooling. */
export type SpoolState = 'spooling' | 'despool-wait' | 'despooling';

export class JobSpool {
  /** The bytes this job counts in its drive's `spooled`. */
  private counted = 0;
  private peak = 0;
  private active = false;
  private readonly now: () => number;
  state: SpoolState = 'spooling';

  constructor(private readonly o: JobSpoolOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Says the job spools; call once before the first record. */
  start(): Promise<void> {
    const { totals } = this.o.drive;
    totals.active += 1;
    totals.jobs += 1;
    this.active = true;
    return this.o.say('Spooling data ...');
  }

  /** Bytes spooled now (not yet on the volume). */
  get size(): number {
    return this.o.spool.size;
  }

  /** Adds one record; despools first when it would take the spool past a limit. */
  async put(rec: SessionRecord): Promise<void> {
    const full = this.limitReached(spooledSize(rec));
    if (full !== undefined) {
      await this.o.say(full);
      await this.despool();
    }
    await this.append(rec);
  }

  /**
   * The job's data ended: the rest is despooled, and `end` (the session's end label)
   * written in the same turn, so nothing of another job comes between.
   */
  async finish(end: () => Promise<void>): Promise<void> {
    await this.despool(end);
  }

  /** Deletes the spool file (the job failed or was canceled: its spooled data goes nowhere). */
  async discard(): Promise<void> {
    const { drive } = this.o;
    drive.spooled -= this.counted;
    this.counted = 0;
    if (this.active) {
      this.active = false;
      drive.totals.active -= 1;
      drive.totals.maxJobBytes = Math.max(drive.totals.maxJobBytes, this.peak);
    }
    await this.o.spool.remove();
  }

  private limitReached(adding: number): string | undefined {
    const { spool, drive, jobLimit, deviceLimit } = this.o;
    if (spool.count === 0) return undefined; // nothing to despool: a record larger than a limit still goes
    if (jobLimit > 0 && spool.size + adding > jobLimit) {
      return `Job spool size limit reached: JobSpoolSize=${withCommas(spool.size)} MaxJobSpoolSize=${withCommas(jobLimit)}.`;
    }
    if (deviceLimit > 0 && drive.spooled + adding > deviceLimit) {
      return `Device spool size limit reached: DevSpoolSize=${withCommas(drive.spooled)} MaxDevSpoolSize=${withCommas(deviceLimit)}.`;
    }
    return undefined;
  }

  private async append(rec: SessionRecord): Promise<void> {
    const { spool } = this.o;
    try {
      await spool.append(rec);
    } catch (err) {
      if (!(err instanceof SpoolDiskFull)) throw err;
      if (spool.count === 0) throw this.diskFull(err, rec);
      // Bareos despools what it has when the spool disk fills, and goes on.
      await this.o.say(`Spool disk full at ${withCommas(spool.size)} bytes: despooling what the spool holds, then spooling again.`);
      await this.despool();
      try {
        await spool.append(rec);
      } catch (again) {
        throw again instanceof SpoolDiskFull ? this.diskFull(again, rec) : again;
      }
    } finally {
      this.account();
    }
  }

  private diskFull(err: SpoolDiskFull, rec: SessionRecord): BurrowError {
    return new BurrowError('DEVICE', `Spool disk full: no room for a record of ${withCommas(rec.data.length)} bytes in ${err.path} even with the job's spool empty; free space there or give the Device another Spool Directory`, { cause: err });
  }

  private account(): void {
    this.o.drive.spooled += this.o.spool.size - this.counted;
    this.counted = this.o.spool.size;
    this.peak = Math.max(this.peak, this.counted);
  }

  private async despool(end?: () => Promise<void>): Promise<void> {
    const { spool, signal } = this.o;
    this.state = 'despool-wait';
    const release = await this.o.takeDrive(signal).finally(() => { this.state = 'despooling'; });
    try {
      if (spool.count > 0) {
        const bytes = spool.size;
        const volume = await this.o.volumeName();
        await this.o.say(`Committing spooled data to Volume "${volume}". Despooling ${withCommas(bytes)} bytes ...`);
        const started = this.now();
        for await (const rec of spool.replay(signal)) await this.o.write(rec);
        await (end ?? this.o.endPart)();
        const ms = this.now() - started;
        await this.o.say(`Despooling elapsed time = ${clock(ms)}, Transfer rate = ${withCommas(perSecond(bytes, ms))} Bytes/second`);
      } else {
        await (end ?? this.o.endPart)();
      }
      await spool.reset();
      this.account();
    } finally {
      release();
      this.state = 'spooling';
    }
    if (end === undefined) await this.o.say('Spooling data again ...');
  }
}

/** 3723000 ms -> "01:02:03" (Bareos's despooling time). */
function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}
