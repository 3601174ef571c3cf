import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionRecord } from '../volume/session-writer.js';
import { AttributeSpool } from './attribute-spool.js';
import { DataSpool } from './data-spool.js';

async function all(spool: DataSpool): Promise<SessionRecord[]> {
  const out: SessionRecord[] = [];
  for await (const r of spool.replay()) out.push(r);
  return out;
}

test('a data spool gives back its records whole and in order, small ones and ones larger than its buffer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-spool-unit-'));
  try {
    const spool = await DataSpool.create(join(dir, 'job.spool'));
    const records: SessionRecord[] = [];
    for (let i = 1; i <= 300; i++) records.push({ fileIndex: i, stream: 1 + (i % 3), data: randomBytes(i * 97 % 20_000) });
    records.push({ fileIndex: 301, stream: 2, data: randomBytes(3 * 1024 * 1024 + 5) }); // past the 1 MiB buffer
    records.push({ fileIndex: 301, stream: 2, data: Buffer.alloc(0) });
    for (const r of records) await spool.append({ ...r, data: Buffer.from(r.data) });
    assert.equal(spool.count, records.length);
    assert.equal(spool.size, records.reduce((n, r) => n + 12 + r.data.length, 0));
    assert.ok(statSync(spool.path).size < spool.size, 'the last records are still in the buffer');
    assert.deepEqual(await all(spool), records);

    await spool.reset();
    assert.equal(spool.size, 0);
    assert.equal(statSync(spool.path).size, 0, 'the file gives its space back');
    assert.deepEqual(await all(spool), []);
    await spool.append(records[0]!);
    assert.deepEqual(await all(spool), [records[0]]);
    await spool.remove();
    assert.equal(existsSync(spool.path), false);
    await spool.remove();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an attribute spool gives back its catalog batches in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-spool-unit-'));
  try {
    const spool = await AttributeSpool.create(join(dir, 'attr.spool'));
    const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({
      fileIndex: from + i, attributes: Buffer.from(`file ${from + i}`), volumeName: 'TAPE-0001', addr: 1000 + from + i,
    }));
    await spool.add(batch(1, 3));
    await spool.add([]);
    // Batches given before the one before was written (the catalog batcher does that) keep their order.
    await Promise.all([spool.add(batch(4, 500)), spool.add(batch(504, 500))]);
    assert.equal(spool.count, 1003);
    const got: number[][] = [];
    await spool.despool(async (files) => { got.push(files.map((f) => f.fileIndex ?? 0)); });
    assert.deepEqual(got.map((b) => b.length), [3, 500, 500]);
    assert.deepEqual(got.flat(), Array.from({ length: 1003 }, (_, i) => i + 1));
    await spool.remove();
    assert.equal(existsSync(spool.path), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
