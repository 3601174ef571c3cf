import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { burrow } from '@burrow/common/proto/index';
import { type StateSnapshot, openSqliteCatalog } from '../catalog/index.js';
import { recordDeleted } from './accurate.js';

/** The current backup state as the catalog hands it out: encoded attributes by seq. */
function snapshotOf(entries: burrow.IFileAttributes[]): StateSnapshot {
  const bytes = entries.map((a) => Buffer.from(burrow.FileAttributes.encode(a).finish()));
  return {
    count: bytes.length,
    page: async (after, limit) => bytes.slice(after, after + limit).map((attributes, i) => ({ seq: after + i + 1, attributes })),
    get: async (seqs) => seqs.map((seq) => bytes[seq - 1]),
    drop: async () => undefined,
  };
}

test('deleted-file rows keep the mtime to the millisecond, as every other file row', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-accurate-'));
  const catalog = openSqliteCatalog(join(dir, 'burrow.db'));
  try {
    const clientId = await catalog.ensureClient('client1-fd');
    const fileSetId = await catalog.ensureFileSet('LinuxAll', 'digest-1');
    const jobId = await catalog.createJob({ name: 'backup-client1', type: 'B', level: 'I', clientId, fileSetId, poolId: null, schedTime: 1 });
    const snapshot = snapshotOf([
      { path: Buffer.from('/data/kept'), type: burrow.FileType.FT_REGULAR },
      { path: Buffer.from('/data/gone'), type: burrow.FileType.FT_REGULAR, size: 5, mtime: { sec: 1_700_000_000, nsec: 123_456_789 } },
    ]);
    assert.equal(await recordDeleted(catalog, jobId, snapshot, [2]), 1);
    const rows = [];
    for await (const row of catalog.iterateFiles(jobId)) rows.push(row);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.fileIndex, 0, 'a deleted file is a row of FileIndex 0');
    assert.equal(rows[0]?.path.toString(), '/data/gone');
    assert.equal(rows[0]?.size, 5);
    assert.equal(rows[0]?.mtime, 1_700_000_000_123);
  } finally {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
