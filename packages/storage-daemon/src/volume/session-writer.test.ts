import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timestampFromMs, timestampToMs } from '@burrow/common/proto/index';
import type { AppendVolume } from '../devices/drive.js';
import { readVolumes } from './multi-volume-reader.js';
import { collectVolume, itemsOfKind, type VolumeItem } from './reader.js';
import { SessionWriter } from './session-writer.js';
import { attributesRecord, dataRecord, openForAppend, openForRead, patternBytes, tempDrive, writeSession } from './testing.js';
import type { VolumeUsage } from './volume-usage.js';

test('a record larger than a block is split into fragments and read back whole', async (t) => {
  const { drive, cleanup } = await tempDrive();
  t.after(cleanup);
  const big = patternBytes(10_000, 4);
  const written = await writeSession(drive, 'V', 3, [attributesRecord(1, '/big'), dataRecord(1, 0, big), attributesRecord(2, '/empty')]);
  const vol = await openForRead(drive, 'V');
  t.after(() => vol.close());
  const items = await collectVolume(vol);
  const records = itemsOfKind(items, 'record');
  assert.equal(records.length, 3);
  assert.deepEqual(records[1]?.data.subarray(8), big);
  // blockSize 1024 in writeSession: 10 KiB of data needs at least ten data blocks.
  const dataBlocks = new Set(records.map((r) => r.addr));
  assert.ok(dataBlocks.size >= 2);
  assert.deepEqual(items.map((i) => i.kind), ['volume-label', 'session-start', 'record', 'record', 'record', 'session-end']);
  assert.equal(itemsOfKind(items, 'session-end')[0]?.label.status, 'T');
  // onFileStart named the block that holds each attributes record.
  for (const rec of records.filter((r) => r.stream === 1)) {
    assert.deepEqual(written.fileStarts.get(rec.fileIndex), { volumeName: 'V', addr: rec.addr });
  }
  const [usage] = written.usages;
  assert.equal(written.usages.length, 1);
  assert.equal(usage?.firstIndex, 1);
  assert.equal(usage?.lastIndex, 2);
  assert.equal(usage?.startAddr, items[1]?.addr);
  assert.equal(usage?.endAddr, items[5]?.addr);
  assert.equal(usage?.full, false);
  assert.equal(usage?.volumeIndex, 1);
});

test('a record spanning two volumes is reassembled by the multi-volume reader', async (t) => {
  const { drive, cleanup } = await tempDrive();
  t.after(cleanup);
  const usages: VolumeUsage[] = [];
  const starts = new Map<number, string>();
  const names = ['Vol1', 'Vol2', 'Vol3', 'Vol4', 'Vol5', 'Vol6'];
  const open = async (name: string): Promise<AppendVolume> => {
    await drive.label(name, { poolName: 'Full' });
    return openForAppend(drive, name);
  };
  const writer = new SessionWriter({
    sessionId: 9, sessionLabel: { jobId: 9, jobName: 'span' }, blockSize: 1024, maxVolumeBytes: 3000,
    openVolume: () => open(names[0]!),
    nextVolume: (prev) => open(names[names.indexOf(prev.volumeName) + 1]!),
    onFileStart: (fi, vol) => starts.set(fi, vol),
    onVolumeUsage: (u) => { usages.push(u); },
  });
  const big = patternBytes(5000, 7);
  await writer.writeRecord(attributesRecord(1, '/one'));
  await writer.writeRecord(dataRecord(1, 0, big));
  await writer.writeRecord(attributesRecord(2, '/two'));
  const stats = await writer.close({ status: 'T' });
  assert.ok(stats.volumes >= 2, `${stats.volumes} volumes`);
  assert.equal(usages.length, stats.volumes);
  assert.deepEqual(usages.map((u) => u.volumeIndex), usages.map((_, i) => i + 1));
  assert.deepEqual(usages.map((u) => u.full), usages.map((_, i) => i < usages.length - 1));
  for (const u of usages.slice(0, -1)) assert.ok(u.volBytes <= 3000, `${u.volumeName} has ${u.volBytes} bytes`);
  assert.equal(starts.get(1), 'Vol1');

  // One volume on its own ends with the record still open.
  const vol1 = await openForRead(drive, 'Vol1');
  const alone = await collectVolume(vol1);
  await vol1.close();
  assert.equal(itemsOfKind(alone, 'incomplete').length, 1);
  assert.equal(itemsOfKind(alone, 'error').length, 0);

  const items: VolumeItem[] = [];
  for await (const item of readVolumes({
    openVolume: (name) => openForRead(drive, name), sessionId: 9,
    volumes: usages.map((u) => ({ volumeName: u.volumeName, startAddr: u.startAddr })),
  })) items.push(item);
  assert.deepEqual(itemsOfKind(items, 'error'), []);
  assert.deepEqual(itemsOfKind(items, 'incomplete'), []);
  const records = itemsOfKind(items, 'record');
  assert.deepEqual(records.map((r) => [r.fileIndex, r.stream, r.volumeName]), [[1, 1, 'Vol1'], [1, 2, 'Vol1'], [2, 1, usages.at(-1)?.volumeName]]);
  assert.deepEqual(records[1]?.data.subarray(8), big);
  const sos = itemsOfKind(items, 'session-start');
  assert.deepEqual(sos.map((s) => [s.label.volumeIndex, s.label.continued]), usages.map((_, i) => [i + 1, i > 0]));
});

test('two sessions interleaved on one volume read back separately', async (t) => {
  const { drive, cleanup } = await tempDrive();
  t.after(cleanup);
  await drive.label('Shared', {});
  const writers = [11, 12].map((sessionId) => new SessionWriter({
    sessionId, sessionLabel: { jobId: sessionId }, blockSize: 512,
    openVolume: () => openForAppend(drive, 'Shared'),
    nextVolume: () => { throw new Error('no volume change expected'); },
  }));
  const content = (s: number, f: number) => patternBytes(700 + f * 13, s * 100 + f);
  await Promise.all(writers.map(async (w, n) => {
    const s = 11 + n;
    for (let f = 1; f <= 6; f += 1) {
      await w.writeRecord(attributesRecord(f, `/s${s}/f${f}`));
      await w.writeRecord(dataRecord(f, 0, content(s, f)));
      await new Promise((r) => setImmediate(r));
    }
    await w.close({ status: 'T' });
  }));
  const vol = await openForRead(drive, 'Shared');
  t.after(() => vol.close());
  const all = await collectVolume(vol);
  const sessionsInOrder = itemsOfKind(all, 'record').map((r) => r.sessionId);
  const switches = sessionsInOrder.filter((s, i) => i > 0 && s !== sessionsInOrder[i - 1]).length;
  assert.ok(switches >= 2, 'the sessions really interleave');
  for (const s of [11, 12]) {
    const items = await collectVolume(vol, { sessionId: s });
    assert.deepEqual(itemsOfKind(items, 'error'), []);
    const data = itemsOfKind(items, 'record').filter((r) => r.stream === 2);
    assert.deepEqual(data.map((r) => r.fileIndex), [1, 2, 3, 4, 5, 6]);
    for (const r of data) assert.deepEqual(r.data.subarray(8), content(s, r.fileIndex));
    assert.equal(itemsOfKind(items, 'session-end')[0]?.sessionId, s);
  }
});

test('flush writes the block being filled short: its files are located at once, and the next block goes on', async (t) => {
  const { drive, cleanup } = await tempDrive();
  t.after(cleanup);
  await drive.label('V', { poolName: 'Full', mediaType: 'File' });
  await drive.mount('V');
  const starts = new Map<number, number>();
  const writer = new SessionWriter({
    sessionId: 5, sessionLabel: { jobId: 5, jobName: 'short' },
    openVolume: () => drive.openAppend(),
    nextVolume: () => { throw new Error('one volume'); },
    onFileStart: (fi, _vol, addr) => starts.set(fi, addr),
    onVolumeUsage: () => undefined,
  });
  for (const f of [1, 2, 3]) await writer.writeRecord(attributesRecord(f, `/f${f}`));
  assert.equal(writer.filesWaiting, 3);
  assert.equal(starts.size, 0, 'a 1 MiB block is far from full');
  await writer.flush();
  assert.equal(writer.filesWaiting, 0);
  assert.deepEqual([...starts.keys()], [1, 2, 3]);
  await writer.writeRecord(attributesRecord(4, '/f4'));
  await writer.close({ status: 'T' });
  assert.ok((starts.get(4) ?? 0) > (starts.get(1) ?? 0), 'file 4 is in the next block');
  const vol = await openForRead(drive, 'V');
  t.after(() => vol.close());
  const items = await collectVolume(vol);
  assert.deepEqual(itemsOfKind(items, 'record').map((r) => r.fileIndex), [1, 2, 3, 4]);
});

/** A volume whose data block writes wait until the test lets each one go (or fails it). */
async function gatedVolume(drive: Awaited<ReturnType<typeof tempDrive>>['drive'], name: string): Promise<{ volume: AppendVolume; gates: Array<{ open: () => void; fail: (e: Error) => void }>; started: () => number }> {
  await drive.label(name, { poolName: 'Full' });
  const volume = await openForAppend(drive, name);
  const write = volume.writeBlock.bind(volume);
  const gates: Array<{ open: () => void; fail: (e: Error) => void }> = [];
  let started = 0;
  volume.writeBlock = async (block, options) => {
    if (block.flags !== 0) return write(block, options);
    started++;
    await new Promise<void>((resolve, reject) => gates.push({ open: resolve, fail: reject }));
    return write(block, options);
  };
  return { volume, gates, started: () => started };
}

/** Waits (at most a second) until `cond` holds: the writer's write goes on after the call that started it returned. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), 'waited a second for the writer');
}

/** `p`, or a failure saying `what` after a second. */
async function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(what)), 1000); });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

test('the next block fills while the one before is being written, and no more than one waits', async (t) => {
  const { drive, cleanup } = await tempDrive();
  t.after(cleanup);
  const { volume, gates, started } = await gatedVolume(drive, 'V');
  const writer = new SessionWriter({ sessionId: 4, sessionLabel: { jobId: 4 }, blockSize: 1024, openVolume: async () => volume, nextVolume: () => { throw new Error('no'); } });
  await writer.writeRecord(attributesRecord(1, '/a'));
  // 900 bytes fill most of a block; the next 900 need a second block: the first is handed to the disk and the call returns.
  await writer.writeRecord(dataRecord(1, 0, patternBytes(900, 1)));
  await within(writer.writeRecord(dataRecord(1, 900, patternBytes(900, 2))), 'writeRecord waited for the block before to be written');
  await until(() => started() === 1);
  // A third block cannot start before the first is written: writeRecord waits for it.
  let third = false;
  const pending = writer.writeRecord(dataRecord(1, 1800, patternBytes(900, 3))).then(() => { third = true; });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(third, false, 'a second block waited on a write in flight');
  gates[0]!.open();
  await pending;
  await until(() => started() === 2);
  const closing = writer.close({ status: 'T' });
  for (let i = 1; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 5));
    gates[i]?.open();
  }
  await closing;
  const vol = await openForRead(drive, 'V');
  t.after(() => vol.close());
  const items = await collectVolume(vol);
  assert.deepEqual(itemsOfKind(items, 'error'), []);
  const data = Buffer.concat(itemsOfKind(items, 'record').filter((r) => r.stream === 2).map((r) => r.data.subarray(8)));
  assert.deepEqual(data, Buffer.concat([patternBytes(900, 1), patternBytes(900, 2), patternBytes(900, 3)]));
});

test('a block write that fails after its writeRecord returned is thrown by the next call, or by close, whose end label then says E', async (t) => {
  for (const when of ['next record', 'close'] as const) {
    const { drive, cleanup } = await tempDrive();
    t.after(cleanup);
    const { volume, gates } = await gatedVolume(drive, 'V');
    const writer = new SessionWriter({ sessionId: 5, sessionLabel: { jobId: 5 }, blockSize: 1024, openVolume: async () => volume, nextVolume: () => { throw new Error('no'); } });
    await writer.writeRecord(attributesRecord(1, '/a'));
    await writer.writeRecord(dataRecord(1, 0, patternBytes(900, 1)));
    await writer.writeRecord(dataRecord(1, 900, patternBytes(900, 2)));
    await until(() => gates.length === 1);
    gates[0]!.fail(new Error('disk on fire'));
    if (when === 'next record') {
      await assert.rejects(writer.writeRecord(dataRecord(1, 1800, patternBytes(3000, 3))), /disk on fire/);
      // The caller's error path closes with its own status, which the label keeps.
      const closing = writer.close({ status: 'E' });
      setTimeout(() => { for (const g of gates.slice(1)) g.open(); }, 10);
      await closing;
    } else {
      const closing = writer.close({ status: 'T' });
      const letGo = setInterval(() => { for (const g of gates.slice(1)) g.open(); }, 5);
      await assert.rejects(closing, /disk on fire/);
      clearInterval(letGo);
    }
    const vol = await openForRead(drive, 'V');
    const items = await collectVolume(vol);
    await vol.close();
    assert.deepEqual(itemsOfKind(items, 'session-end').map((e) => e.label.status), ['E'], when);
  }
});

test('start labels carry the FileSet digest and job start time bscan needs; end labels do not', async (t) => {
  const { drive, cleanup } = await tempDrive();
  t.after(cleanup);
  const started = 1_700_000_000_123;
  const startLabel = { filesetDigest: 'ab'.repeat(32), jobStartTime: timestampFromMs(started) };
  await writeSession(drive, 'V', 4, [attributesRecord(1, '/f')], { startLabel });
  const vol = await openForRead(drive, 'V');
  t.after(() => vol.close());
  const items = await collectVolume(vol);
  const [start] = itemsOfKind(items, 'session-start');
  const [end] = itemsOfKind(items, 'session-end');
  assert.equal(start?.label.filesetDigest, startLabel.filesetDigest);
  assert.equal(timestampToMs(start?.label.jobStartTime), started);
  assert.equal(start?.label.jobName, 'job-4', 'the job details are still there');
  assert.equal(end?.label.filesetDigest, '');
  assert.equal(end?.label.jobStartTime ?? null, null);
  assert.equal(end?.label.jobName, 'job-4');
});
