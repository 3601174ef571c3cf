import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/index';
import { BackupRecordCheck } from './record-check.js';

const S = burrow.Stream;
const attrs = (fileIndex: number): { fileIndex: number; stream: number; data: Buffer } =>
  ({ fileIndex, stream: S.STREAM_ATTRIBUTES, data: Buffer.from(burrow.FileAttributes.encode({ path: Buffer.from(`/f${fileIndex}`), size: 3 }).finish()) });
const rec = (fileIndex: number, stream: number, data = Buffer.from('abc')): { fileIndex: number; stream: number; data: Buffer } => ({ fileIndex, stream, data });

test('a well-ordered backup stream passes, saying what each record is', () => {
  const c = new BackupRecordCheck();
  const digest = Buffer.from(burrow.FileDigest.encode({ algorithm: 1, value: Buffer.alloc(16, 7) }).finish());
  assert.equal(c.check(attrs(1)).kind, 'attributes');
  assert.equal(c.check(rec(1, S.STREAM_DATA)).kind, 'data');
  assert.equal(c.check(rec(1, S.STREAM_LZ4_DATA)).kind, 'data');
  const d = c.check(rec(1, S.STREAM_DIGEST, digest));
  assert.ok(d.kind === 'digest' && Buffer.from(d.digest.value).equals(Buffer.alloc(16, 7)));
  assert.equal(c.check(attrs(3)).kind, 'attributes'); // indexes may skip (a file left out)
});

test('each broken rule is refused with its reason', () => {
  const cases: Array<[string, Array<ReturnType<typeof rec>>, RegExp]> = [
    ['index 0', [attrs(0)], /file index 0 after 0/],
    ['going back', [attrs(2), attrs(1)], /file index 1 after 2/],
    ['attributes twice', [attrs(1), attrs(1)], /second attributes record for file 1/],
    ['data first', [rec(1, S.STREAM_DATA)], /stream 2 for file 1 before its attributes/],
    ['unknown stream', [attrs(1), rec(1, 77)], /unknown stream 77/],
    ['garbage attributes', [rec(1, S.STREAM_ATTRIBUTES, Buffer.from([0x0a, 0x50, 0x2f]))], /undecodable attributes record/],
    ['garbage digest', [attrs(1), rec(1, S.STREAM_DIGEST, Buffer.from([0x12, 0x40]))], /undecodable digest record/],
  ];
  for (const [what, records, reason] of cases) {
    const c = new BackupRecordCheck();
    const last = records.pop();
    for (const r of records) c.check(r);
    assert.throws(() => c.check(last!), (e: unknown) => e instanceof BurrowError && e.code === 'PROTOCOL' && reason.test(e.message), what);
  }
});
