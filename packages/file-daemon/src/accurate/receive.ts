/**
 * Receiving the current backup state from the Director before an accurate backup,
 * and telling it afterwards which entries the walk did not meet (deleted files).
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import { burrow, type Message } from '@burrow/common/proto/index';
import { decodeSettings } from '@burrow/common/fileset/options';
import { AccurateTable, type AccurateNeeds } from './table.js';

/** Entries the Director may announce: a bound so a bad order cannot make us allocate without limit. */
const MAX_ENTRIES = 50_000_000;
const DELETED_BATCH = 10_000;

/** What the state must keep for the accurate= letters of the FileSet's Options. */
export function accurateNeeds(spec: burrow.FileSetSpec): AccurateNeeds {
  const letters = spec.includes.flatMap((inc) => inc.options.map((o) => decodeSettings(o.settings).accurate ?? ''));
  return { atime: letters.some((l) => l.includes('a')) };
}

export async function receiveState(count: number, needs: AccurateNeeds, next: () => Promise<Message>): Promise<AccurateTable> {
  if (!Number.isInteger(count) || count < 0 || count > MAX_ENTRIES) throw new BurrowError('PROTOCOL', `accurate state of ${count} entries refused`);
  const table = new AccurateTable(count, needs);
  for (;;) {
    const msg = await next();
    if (msg.kind === 'accurateEnd') break;
    if (msg.kind !== 'accurateBatch') throw new BurrowError('PROTOCOL', `expected the accurate state, got ${msg.kind}`);
    const { attributes, digests } = msg.body;
    if (digests.length !== 0 && digests.length !== attributes.length) {
      throw new BurrowError('PROTOCOL', `an accurate batch of ${attributes.length} entries with ${digests.length} digests`);
    }
    attributes.forEach((bytes, i) => table.add(burrow.FileAttributes.decode(bytes), digests[i]));
  }
  if (table.entries !== count) throw new BurrowError('PROTOCOL', `the Director announced ${count} accurate entries and sent ${table.entries}`);
  return table;
}

export async function sendDeleted(table: AccurateTable, director: Channel): Promise<number> {
  let batch: number[] = [];
  let total = 0;
  for (const seq of table.unseen()) {
    batch.push(seq);
    total++;
    if (batch.length >= DELETED_BATCH) {
      await director.send('accurateDeleted', { seqs: batch });
      batch = [];
    }
  }
  if (batch.length) await director.send('accurateDeleted', { seqs: batch });
  return total;
}
