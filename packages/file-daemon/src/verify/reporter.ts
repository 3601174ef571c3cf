/**
 * What a verify needs of its job's report: to name a problem met with one entry, and
 * at the end the error count and status letter that go into FdJobEnd. The job's
 * reporter (dir/job-reporter.ts) is one; the verify does not know it is the
 * Director's conversation.
 */
import type { FileIssue } from '../backup/index.js';

export interface VerifyReporter {
  fileIssue(issue: FileIssue): void;
  readonly errors: number;
  status(): 'T' | 'W' | 'E';
}
