/**
 * Job status letters (Bareos's) and the rule that a job's status only gets worse:
 * the final status is the first error any daemon reported.
 */
import type { JobStatus } from '../catalog/index.js';

/**
 * Final statuses ranked from best to worst. I (Incomplete) is no peer's: a failed backup
 * becomes it at its end when it kept files by a checkpoint (lifecycle.ts).
 */
const RANK: Record<'T' | 'W' | 'I' | 'E' | 'f' | 'A', number> = { T: 0, W: 1, I: 2, E: 3, f: 4, A: 5 };
export type FinalStatus = keyof typeof RANK;

export function isFinalStatus(s: string): s is FinalStatus {
  return s in RANK;
}

export function worse(a: FinalStatus, b: FinalStatus): FinalStatus {
  return RANK[b] > RANK[a] ? b : a;
}

/** A status letter from a peer, which we do not trust to be one of ours. */
export function peerStatus(s: string | null | undefined): FinalStatus {
  return s && isFinalStatus(s) ? s : 'E';
}

const WORDS: Record<JobStatus, string> = {
  C: 'Created', R: 'Running', F: 'Waiting on client', S: 'Waiting on storage', m: 'Waiting for new media',
  M: 'Waiting for mount', T: 'OK', W: 'OK -- with warnings', E: 'Error', f: 'Fatal error', A: 'Canceled', I: 'Incomplete',
};

export function statusWords(s: JobStatus): string {
  return WORDS[s];
}

/** The report's closing line, which administrators' scripts grep for. */
export function terminationLine(type: 'Backup' | 'Restore' | 'Verify', status: FinalStatus): string {
  switch (status) {
    case 'T': return `${type} OK`;
    case 'W': return `${type} OK -- with warnings`;
    case 'A': return `${type} Canceled`;
    // Bacula's words for it.
    case 'I': return `${type} failed -- Incomplete`;
    default: return `*** ${type} Error ***`;
  }
}
