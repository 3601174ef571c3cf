/**
 * A job's log: every line a job produces, from the Director or relayed from the FD
 * and SD, goes to the catalog (shown by `messages` and `llist jobid=`) and to the
 * Messages resource's destinations. It also keeps the job's running verdict, which
 * only ever gets worse.
 */
import { describeError } from '@burrow/common/errors/index';
import type { Catalog } from '../catalog/index.js';
import type { JobLines, MessageSink, MessageType } from '../messages/job-lines.js';
import { logDate } from './format.js';
import { worse, type FinalStatus } from './status.js';

export class JobLog implements JobLines {
  private verdict: FinalStatus = 'T';
  errors = 0;
  warnings = 0;
  /** Every line asked of the catalog so far, settled (a refusal is kept in `failure`). */
  private stored: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly catalog: Catalog,
    readonly jobId: number,
    private readonly origin: string,
    private readonly sink: MessageSink,
    private readonly now: () => number = Date.now,
  ) {}

  get status(): FinalStatus {
    return this.verdict;
  }

  info(text: string, from = this.origin): void {
    this.write('info', text, from);
  }

  warning(text: string, from = this.origin): void {
    this.warnings++;
    this.worsen('W');
    this.write('warning', `Warning: ${text}`, from);
  }

  error(text: string, from = this.origin): void {
    this.errors++;
    this.worsen('E');
    this.write('error', `Error: ${text}`, from);
  }

  fatal(text: string, from = this.origin): void {
    this.errors++;
    this.worsen('f');
    this.write('fatal', `Fatal error: ${text}`, from);
  }

  /** A request to the operator for a volume: a line of type `mount`, which leaves the verdict alone. */
  mount(text: string, from = this.origin): void {
    this.write('mount', text, from);
  }

  /**
   * A Warning line that leaves the verdict alone: a choice the administrator made
   * and should see in every job's log (a data channel without TLS), which must not
   * make every job end "with warnings". Bareos's own warnings never change a job's
   * termination; Burrow's do, except these.
   */
  caution(text: string, from = this.origin): void {
    this.write('warning', `Warning: ${text}`, from);
  }

  /** A line relayed from a daemon's JobMessage, with its level. */
  relay(level: string, text: string, from: string): void {
    switch (level) {
      case 'caution': return this.caution(text, from);
      case 'warning': return this.warning(text, from);
      case 'error': return this.error(text, from);
      case 'fatal': return this.fatal(text, from);
      default: return this.info(text, from);
    }
  }

  worsen(status: FinalStatus): void {
    this.verdict = worse(this.verdict, status);
  }

  /** The job report: several lines logged as one entry, as Bareos does. */
  report(text: string): void {
    this.write('terminate', text, this.origin);
  }

  /**
   * Resolves once every line logged so far is in the catalog; rejects with the error of
   * the first line the catalog did not keep.
   */
  async written(): Promise<void> {
    await this.stored;
    if (this.failure !== undefined) throw this.failure;
  }

  private write(type: MessageType, text: string, from: string): void {
    const time = this.now();
    const line = `${logDate(time)} ${from} JobId ${this.jobId}: ${text}`;
    // Not awaited, so a line is logged where it is said: the catalog keeps its writes
    // in the order they are asked for. A refusal goes to the Messages destinations.
    const kept = this.catalog.addLog(this.jobId, time, line).then(() => undefined, (err: unknown) => {
      this.failure ??= err;
      this.sink('error', `${logDate(time)} ${this.origin} JobId ${this.jobId}: Error: the catalog did not keep a line of this job's log: ${describeError(err)}`, this.jobId);
    });
    this.stored = this.stored.then(() => kept);
    this.sink(type, line, this.jobId);
  }
}
