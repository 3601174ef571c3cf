import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { burrow } from '@burrow/common/proto/index';
import { CatalogBatcher } from './catalog-batcher.js';

const attrs = (i: number): Uint8Array => Buffer.from(`attributes of ${i}`);
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('the files a written block locates leave at once, without waiting for another record', async () => {
  const batches: number[][] = [];
  const batcher = new CatalogBatcher(async (files) => { batches.push(files.map((f) => f.fileIndex ?? 0)); });
  for (let i = 1; i <= 3; i++) batcher.begin(i, attrs(i));
  // The block holding files 1-3 is written after the session's last record came:
  // 1 and 2 are complete (a later file began), 3 may still get its digest.
  for (let i = 1; i <= 3; i++) batcher.located(i, 'Vol-1', 4096);
  await settle();
  assert.deepEqual(batches, [[1, 2]]);
  await batcher.finish();
  assert.deepEqual(batches, [[1, 2], [3]]);
});

test('a file leaves only once it is both complete and located', async () => {
  const batches: burrow.ICatalogFile[][] = [];
  const batcher = new CatalogBatcher(async (files) => { batches.push(files); });
  batcher.begin(1, attrs(1));
  batcher.digest(1, { algorithm: 1, value: Buffer.from('d') } as burrow.IFileDigest);
  batcher.begin(2, attrs(2));
  await batcher.sendFull();
  await settle();
  assert.equal(batches.length, 0, 'complete but not located yet');
  batcher.located(1, 'Vol-1', 0);
  await settle();
  assert.equal(batches.length, 1);
  assert.equal(batches[0]?.[0]?.volumeName, 'Vol-1');
  assert.ok(batches[0]?.[0]?.digest, 'the digest went with it');
});

test('a batch that fails on its own is thrown by the next call the session awaits', async () => {
  const batcher = new CatalogBatcher(async () => { throw new Error('director gone'); });
  batcher.begin(1, attrs(1));
  batcher.begin(2, attrs(2));
  batcher.located(1, 'Vol-1', 0);
  await settle();
  await assert.rejects(batcher.sendFull(), /director gone/);
  await assert.rejects(batcher.finish(), /director gone/);
});
