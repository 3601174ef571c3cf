/**
 * What each volume status means to the media module (Bareos's dird/next_vol.cc,
 * ua_purge.cc, ua_update.cc). Every status change goes through this vocabulary, so the
 * rules live in one place:
 *
 *   Unlabeled --label--> Append --limits--> Full | Used --prune/purge--> Purged
 *   Purged --recycle (once the volume is mounted)--> Append        Error: by the SD, left by hand
 *   Archive, Read-Only, Disabled, Cleaning: set by hand; never selected, pruned or purged.
 */
import type { VolStatus } from '../catalog/index.js';

/** A job may write on these as they are (Recycle and Unlabeled get a label first). */
export const WRITABLE: readonly VolStatus[] = ['Append', 'Recycle', 'Unlabeled'];

/** Volume pruning considers only these (Bareos's PruneVolume: Full or Used). */
export const PRUNABLE: readonly VolStatus[] = ['Full', 'Used'];

/** `purge volume` and MarkMediaPurged act only on these. */
export const PURGEABLE: readonly VolStatus[] = ['Append', 'Full', 'Used', 'Error'];

/** What `update volume volstatus=` may set (Bareos's UpdateVolstatus list). */
export const SETTABLE: readonly VolStatus[] = ['Append', 'Archive', 'Disabled', 'Full', 'Used', 'Cleaning', 'Recycle', 'Read-Only', 'Error'];

/** Only these can be relabelled (`relabel`): their data is no longer wanted. */
export const RELABELABLE: readonly VolStatus[] = ['Purged', 'Recycle'];

/** The Bareos spelling of a status typed in any case (`volstatus=full`), or undefined. */
export function statusNamed(word: string, among: readonly VolStatus[] = SETTABLE): VolStatus | undefined {
  return among.find((s) => s.toLowerCase() === word.toLowerCase());
}

export function isOneOf(status: VolStatus, set: readonly VolStatus[]): boolean {
  return set.includes(status);
}
