/**
 * Receiving the current backup state from the Director before an accurate backup,
 * and telling it afterwards which entries the walk did not meet (deleted files).
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import { burrow, type Message } from '@burrow/common/proto/index';
import { AccurateTable } from './table.js';

/** Entries the Director may announce: a bound so a bad order cannot make us allocate without limit. */
const MAX_ENTRIES = 50_000_000;
const DELETED_BATCH = 10_000;

export async function receiveState(count: number, next: () => Promise<Message>): Promise<AccurateTable> {
  if (!Number.isInteger(count) || count < 0 || count > MAX_ENTRIES) throw new BurrowError('PROTOCOL', `accurate state of ${count} entries refused`);
  const table = new AccurateTable(count);
  for (;;) {
    const msg = await next();
    if (msg.kind === 'accurateEnd') break;
    if (msg.kind !== 'accurateBatch') throw new BurrowError('PROTOCOL', `expected the accurate state, got ${msg.kind}`);
    for (const bytes of msg.body.attributes ?? []) table.add(burrow.FileAttributes.decode(bytes));
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
