/**
 * A user's view of a restore tree (Console "Restore Owner"): only the entries that
 * user owned when they were saved. The directories on the way to them that belong to
 * someone else are left out as entries, so the tree makes them as plain stops (job 0:
 * browsable, nothing to restore) — shown only to reach the user's files, never
 * restored with another owner's attributes. Everything else is not there at all.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { TreeEntry } from '../catalog/types.js';

export function* ownedBy(entries: Iterable<TreeEntry>, uid: number): IterableIterator<TreeEntry> {
  for (const e of entries) {
    // Without the decoded owner the filter would let everything through: a bug, not a user's file.
    if (e.uid === undefined) throw new BurrowError('INTERNAL', 'restore tree entries lack their owner');
    if (e.uid === uid) yield e;
  }
}
