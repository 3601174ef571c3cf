/**
 * A user's view of a restore tree (Console "Restore Owner"): only the entries that
 * user owned when they were saved. The directories on the way to them that belong to
 * someone else are left out as entries, so the tree makes them as plain stops (job 0:
 * browsable, nothing to restore) — shown only to reach the user's files, never
 * restored with another owner's attributes. Everything else is not there at all.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { filterTreePage, type TreePage } from '../catalog/index.js';

export async function* ownedBy(pages: AsyncIterable<TreePage>, uid: number): AsyncGenerator<TreePage> {
  for await (const page of pages) {
    // Without the decoded owners the filter would let everything through: a bug, not a user's file.
    const owners = page.uid;
    if (owners === null) throw new BurrowError('INTERNAL', 'restore tree entries lack their owner');
    yield filterTreePage(page, (i) => owners[i] === uid);
  }
}
