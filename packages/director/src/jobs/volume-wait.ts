/**
 * A backup job waiting for a volume, the Director's half of it (Bareos's SD runs this as
 * DirAskSysopToCreateAppendableVolume and DirAskSysopToMountVolume; in Burrow the
 * Director owns the catalog, the job log and the Messages destinations, so it decides
 * what to tell whom, while the SD waits on the job's drive where `status storage` shows
 * it). When the media module has no volume, the job waits: its status becomes Bareos's
 * `m` ("is waiting for an appendable Volume") or, for a named volume, `M` ("is waiting
 * for a mount request"), and the operator gets Bareos's request (type `mount`) at once,
 * again after each `mount` that did not help, and after waits of 1 hour doubling to
 * 24 hours; after 9 of those the job fails, as Bareos's SD gives up. Between requests
 * the SD asks again every poll interval (a volume may have appeared in the catalog).
 * A wanted cartridge that is out of the changer is named with its last known place
 * (Burrow's "Location:" line after Bareos's).
 * A job that reads (a restore, a volume verify) waits the same way for the volumes it
 * must read, asking with Bareos's "Please mount read Volume".
 * The Job's Max Wait Time ends the wait sooner: `expired` aborts then.
 */
import { BurrowError, describeError } from '@burrow/common/errors/index';
import type { Catalog } from '../catalog/index.js';
import type { JobLines } from '../messages/job-lines.js';
import type { NoVolumeNow, VolumeWaiting } from '../sd/backup-session.js';
import type { Clock } from '../time/clock.js';
import { elapsed } from './format.js';
import type { JobWait, JobWaits } from './waits.js';

/** The indented `Key:   value` rows of Bareos's requests to the operator. */
export function operatorRows(r: ReadonlyArray<readonly [string, string]>): string {
  return r.map(([k, v]) => `    ${`${k}:`.padEnd(14)}${v}`).join('\n');
}

/** Bareos's device defaults: the first wait before the request is repeated, the longest, and how many before giving up. */
export const FIRST_REPEAT_MS = 60 * 60_000;
export const LONGEST_REPEAT_MS = 24 * 60 * 60_000;
export const MAX_REPEATS = 9;
/** Bareos's Volume Poll Interval default: the SD asks again this often without being woken. */
export const POLL_MS = 5 * 60_000;

export interface VolumeWaitParties {
  /** append (a backup, the default): any appendable volume or a named one; read: a named volume to read. */
  mode?: 'append' | 'read';
  jobId: number;
  /** The job's unique name (Bareos's Job). */
  job: string;
  pool: string;
  mediaType: string;
  storage: string;
  catalog: Pick<Catalog, 'setJobStatus'>;
  log: JobLines;
  waits: JobWaits;
  clock: Clock;
}

interface Waiting {
  wanted: string | null;
  repeatAt: number;
  interval: number;
  repeats: number;
  stopTimer: AbortController;
}

export class VolumeWait implements VolumeWaiting {
  private waiting: Waiting | null = null;
  private expiry = new AbortController();

  constructor(private readonly p: VolumeWaitParties) {}

  /** Aborts when the job's Max Wait Time runs out while it waits for a volume. */
  get expired(): AbortSignal {
    return this.expiry.signal;
  }

  get isWaiting(): boolean {
    return this.waiting !== null;
  }

  /**
   * No volume now: the job waits, the operator is asked when Bareos would ask, and the
   * answer is how long the SD waits before asking again. Throws (the job fails) when
   * Bareos's SD would give up.
   */
  noVolume(req: NoVolumeNow): { pollSeconds: number } {
    const { clock, log } = this.p;
    const now = clock.now();
    let w = this.waiting;
    if (w === null) {
      if (req.reason) log.info(req.reason);
      w = this.waiting = { wanted: req.wanted, repeatAt: now + FIRST_REPEAT_MS, interval: FIRST_REPEAT_MS, repeats: 0, stopTimer: new AbortController() };
      this.enter(req);
      this.armMaxWait(w);
    } else if (req.wanted !== w.wanted) {
      w.wanted = req.wanted;
      this.enter(req);
    } else if (req.askingAgain === 'mount') {
      this.ask(req);
    } else if (now >= w.repeatAt) {
      w.repeats += 1;
      if (w.repeats >= MAX_REPEATS) {
        throw new BurrowError('TIMEOUT', `Max time exceeded waiting to mount Storage Device ${req.device} for Job ${this.p.job}`);
      }
      w.interval = Math.min(w.interval * 2, LONGEST_REPEAT_MS);
      w.repeatAt = now + w.interval;
      this.ask(req);
    }
    const untilRepeat = Math.max(1000, w.repeatAt - now);
    return { pollSeconds: Math.ceil(Math.min(POLL_MS, untilRepeat) / 1000) };
  }

  /** A volume was had (or the job ends): the job runs again. */
  found(): void {
    if (this.waiting === null) return;
    this.waiting.stopTimer.abort();
    this.waiting = null;
    this.p.waits.end();
    this.status('R');
  }

  /**
   * The job's catalog status while it waits or runs again. The write runs when it is asked
   * (the catalog keeps its writes in order), not awaited: the SD's question is answered at
   * once; a refusal goes to the job's log.
   */
  private status(status: 'R' | 'm' | 'M'): void {
    this.p.catalog.setJobStatus(this.p.jobId, status).catch((err: unknown) => this.p.log.error(`cannot record status ${status}: ${describeError(err)}`));
  }

  /** The job starts waiting, or waits for something else now: its status, and the operator is asked. */
  private enter(req: NoVolumeNow): void {
    const wait: Omit<JobWait, 'since'> = req.wanted === null
      ? { status: 'm', words: 'is waiting for an appendable Volume', detail: this.detail(req, `Pool "${this.p.pool}"`) }
      : { status: 'M', words: 'is waiting for a mount request', detail: this.detail(req, `Volume "${req.wanted}" of Pool "${req.pool ?? this.p.pool}"`) };
    this.p.waits.begin(wait);
    this.status(wait.status);
    this.ask(req);
  }

  private detail(req: NoVolumeNow, what: string): string {
    return `${what}, Media type "${req.mediaType ?? this.p.mediaType}", Storage "${this.p.storage}", Device ${req.device}`;
  }

  /** Bareos's request to the operator, word for word, as a `mount` message. */
  private ask(req: NoVolumeNow): void {
    const { job } = this.p;
    const pool = req.pool ?? this.p.pool;
    const mediaType = req.mediaType ?? this.p.mediaType;
    // Burrow's own words (Bareos has no request for it): the volume is there, the disk is full.
    if (req.noSpace) {
      this.p.log.mount(`No space left on the disk of Storage Device ${req.device} for Volume "${req.wanted}". Please free space there, then mount, for:\n`
        + operatorRows([['Job', job], ['Storage', req.device], ['Pool', pool], ['Media type', mediaType]]));
      return;
    }
    if (req.wanted === null) {
      this.p.log.mount(`Job ${job} is waiting. Cannot find any appendable volumes.\nPlease use the "label" command to create a new Volume for:\n`
        + operatorRows([['Storage', req.device], ['Pool', pool], ['Media type', mediaType]]));
      return;
    }
    const head = this.p.mode === 'read' ? `Please mount read Volume "${req.wanted}" for:` : `Please mount append Volume "${req.wanted}" or label a new one for:`;
    this.p.log.mount(`${head}\n${operatorRows([['Job', job], ['Storage', req.device], ['Pool', pool], ['Media type', mediaType], ...(req.location ? [['Location', req.location] as const] : [])])}`);
  }

  /** The Job's Max Wait Time (what is left of it after the job's other waits) ends this wait. */
  private armMaxWait(w: Waiting): void {
    const left = this.p.waits.remainingMs();
    const max = this.p.waits.maxWaitMs;
    if (left === null || max === null) return;
    const what = this.p.waits.current?.detail ?? `a volume of Pool "${this.p.pool}"`;
    void this.p.clock.sleep(left, w.stopTimer.signal).then(() => {
      if (w.stopTimer.signal.aborted || this.waiting !== w) return;
      this.expiry.abort(new BurrowError('TIMEOUT', `Max wait time exceeded (${elapsed(max)}) waiting for ${what}. Job canceled.`));
    });
  }
}
