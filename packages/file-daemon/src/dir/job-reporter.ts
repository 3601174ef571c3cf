/**
 * Sends a job's log lines to the Director without making the file work wait for
 * them, in order, and counts what the job's end status must reflect.
 */
import type { Channel } from '@burrow/common/net/channel';
import { displayPath } from '@burrow/common/names/index';
import type { FileIssue } from '../backup/index.js';

export class JobReporter {
  private chain: Promise<void> = Promise.resolve();
  warnings = 0;
  errors = 0;
  /** Problems that fail the job although the other files were saved: a refused or failing FileSet command. */
  failures = 0;

  constructor(private readonly director: Channel, private readonly jobId: number) {}

  /** `caution`: a Warning line that does not count against the job (JobLog.caution on the Director). */
  say(level: 'info' | 'caution' | 'warning' | 'error' | 'fatal', text: string, byNumber?: FileIssue['byNumber']): void {
    if (level === 'warning') this.warnings++;
    if (level === 'error' || level === 'fatal') this.errors++;
    this.chain = this.chain
      .then(() => this.director.send('jobMessage', { jobId: this.jobId, level, text, ...byNumber }))
      .catch(() => undefined); // The Director is gone; the job's end will say so.
  }

  fileIssue(issue: FileIssue): void {
    if (issue.code === 'COMMAND_FAILED') this.failures++;
    // A file known only by number: the Director puts its name in front.
    if (issue.byNumber !== undefined && issue.path.length === 0) this.say(issue.severity, issue.message, issue.byNumber);
    else this.say(issue.severity, `${displayPath(issue.path)}: ${issue.message}`);
  }

  /**
   * Bareos's verdict: per-file errors do not fail the job, they make it end with
   * warnings; a FileSet command that was refused or failed (a dump that did not
   * complete) fails it, so it is never mistaken for a good backup.
   */
  status(): 'T' | 'W' | 'E' {
    if (this.failures > 0) return 'E';
    return this.warnings + this.errors > 0 ? 'W' : 'T';
  }

  flushed(): Promise<void> {
    return this.chain;
  }
}
