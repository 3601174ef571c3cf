/**
 * The daemons' parts of a job's totals, taken from what each reports at its end. A
 * status letter from a peer is checked here (peerStatus): anything unknown is an error.
 */
import type { ClientJobEnd } from '../fd/job-end.js';
import { peerStatus, type FinalStatus } from './status.js';

/** The FD's part of a job's totals, filled in when the FD reports its end. */
export interface ClientTotals {
  fdFiles: number;
  fdBytes: number;
  fdErrors: number;
  fdStatus: FinalStatus;
}

/** Records the FD's end in the totals (for `.then` after awaitClientEnd). */
export function clientEnded(totals: ClientTotals): (end: ClientJobEnd) => void {
  return (end) => {
    totals.fdFiles = end.files;
    totals.fdBytes = end.bytes;
    totals.fdErrors = end.errors;
    totals.fdStatus = peerStatus(end.status);
  };
}

/** Records the SD's end status (for `.then` after a session's end). */
export function storageEnded(totals: { sdStatus: FinalStatus }): (status: string) => void {
  return (status) => {
    totals.sdStatus = peerStatus(status);
  };
}
