/**
 * Fuzzing the volume reader (issue 14) on a real volume (two sessions, a record over
 * several blocks, a session its job broke off mid-record) with bytes flipped, set,
 * cut and inserted: reading never crashes or hangs, a refusal is a clear BurrowError,
 * every record it delivers is one that was written (nothing wrong without an error),
 * and a session appended after the damage reads back whole.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { collectVolume, itemsOfKind } from '@burrow/storage-daemon/volume/reader';
import {
  attributesRecord, dataRecord, openForRead, patternBytes, tempDrive, writeAbortedSession, writeSession, type TempDrive,
} from '@burrow/storage-daemon/volume/testing';
import type { SessionRecord } from '@burrow/storage-daemon/volume/session-writer';
import { check, mutated, refusedClearly } from './budget.js';

const SESSIONS: Array<[number, SessionRecord[]]> = [
  [1, [attributesRecord(1, '/a'), dataRecord(1, 0, patternBytes(300, 1)), attributesRecord(2, '/big'), dataRecord(2, 0, patternBytes(3000, 2)), attributesRecord(3, '/c')]],
  [2, [attributesRecord(1, '/d'), dataRecord(1, 0, patternBytes(700, 3)), attributesRecord(2, '/e'), dataRecord(2, 0, patternBytes(50, 4))]],
];
const ABORTED: SessionRecord[] = [attributesRecord(1, '/f'), dataRecord(1, 0, patternBytes(2500, 5))];
const APPENDED: SessionRecord[] = [attributesRecord(1, '/g'), dataRecord(1, 0, patternBytes(1500, 6))];

/** Every record written, keyed by session, file index, stream and content. */
function key(sessionId: number, r: { fileIndex: number; stream: number; data: Buffer }): string {
  return `${sessionId}/${r.fileIndex}/${r.stream}/${r.data.toString('base64')}`;
}
const WRITTEN = new Set([...SESSIONS.flatMap(([s, recs]) => recs.map((r) => key(s, r))), ...ABORTED.map((r) => key(3, r)), ...APPENDED.map((r) => key(4, r))]);

describe('fuzz: volumes', () => {
  let t0: TempDrive;
  let pristine: Buffer;
  let file = '';

  before(async () => {
    t0 = await tempDrive();
    for (const [s, recs] of SESSIONS) await writeSession(t0.drive, 'V', s, recs);
    await writeAbortedSession(t0.drive, 'V', 3, ABORTED, { abortAfterBlocks: 2, status: 'E' });
    file = join(t0.dir, 'V');
    pristine = readFileSync(file);
  });
  after(() => t0.cleanup());

  /** Reads the whole volume as it now is; undefined when mounting it is refused (clearly). */
  async function readAll(opts?: Parameters<typeof collectVolume>[1]) {
    try {
      const vol = await openForRead(t0.drive, 'V');
      try {
        return await collectVolume(vol, opts);
      } finally {
        await vol.close();
        await t0.drive.unmount();
      }
    } catch (err) {
      refusedClearly(() => { throw err; }, ['VOLUME_FORMAT', 'NOT_FOUND']);
      await t0.drive.unmount().catch(() => undefined);
      return undefined;
    }
  }

  it('the pristine volume reads clean', async () => {
    const items = await readAll();
    assert.ok(items);
    assert.deepEqual(itemsOfKind(items, 'error'), []);
    assert.equal(itemsOfKind(items, 'unfinished').length, 1);
  });

  it('a damaged volume reads to its end: no crash, and every record delivered is one that was written', async (t) => {
    await check(t, fc.asyncProperty(mutated(pristine, 8), fc.option(fc.nat({ max: pristine.length }), { nil: undefined }), async (bytes, start) => {
      writeFileSync(file, bytes);
      const items = await readAll(start === undefined ? undefined : { startAddr: start });
      if (items === undefined) return;
      assert.ok(items.length < 1000, `${items.length} items from a ${bytes.length}-byte volume`);
      for (const r of itemsOfKind(items, 'record')) {
        assert.ok(WRITTEN.has(key(r.sessionId, r)), `a record that was never written: session ${r.sessionId} file ${r.fileIndex} stream ${r.stream}`);
      }
    }), 150);
  });

  it("a restore's read (one session, some files) of a damaged volume delivers only wanted records that were written", async (t) => {
    await check(t, fc.asyncProperty(mutated(pristine, 6), fc.constantFrom(1, 2, 3), fc.uniqueArray(fc.integer({ min: 1, max: 3 }), { minLength: 1 }), async (bytes, sessionId, wanted) => {
      writeFileSync(file, bytes);
      const items = await readAll({ sessionId, fileIndexes: wanted });
      if (items === undefined) return;
      for (const r of itemsOfKind(items, 'record')) {
        assert.equal(r.sessionId, sessionId);
        assert.ok(wanted.includes(r.fileIndex), `file ${r.fileIndex} was not wanted`);
        assert.ok(WRITTEN.has(key(r.sessionId, r)));
      }
    }), 100);
  });

  it('a session appended to a damaged volume reads back whole', async (t) => {
    await check(t, fc.asyncProperty(mutated(pristine, 4), async (bytes) => {
      writeFileSync(file, bytes);
      try {
        await writeSession(t0.drive, 'V', 4, APPENDED);
      } catch (err) {
        refusedClearly(() => { throw err; }, ['VOLUME_FORMAT', 'NOT_FOUND']);
        await t0.drive.unmount().catch(() => undefined);
        return;
      }
      await t0.drive.unmount();
      const items = await readAll({ sessionId: 4 });
      assert.ok(items, 'a volume appended to cannot be mounted');
      const got = itemsOfKind(items, 'record').filter((r) => r.sessionId === 4).map((r) => key(4, r));
      assert.deepEqual(got, APPENDED.map((r) => key(4, r)));
    }), 60);
  });
});
