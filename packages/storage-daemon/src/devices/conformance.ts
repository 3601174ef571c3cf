/**
 * The drive conformance suite (STYLE.md habit 12, after restic's backend suite): what
 * every Drive implementation must do, run by each one's test file with a harness that
 * makes its drives. The file drive, the memory drive and the tape drive on virtual tapes
 * run it, with expectations that follow their capabilities where tape semantics differ
 * (a cartridge sits in one drive, so it is never read on a second one, and a drive
 * mounts only the cartridge put in it).
 *
 * Everything goes through the Drive interface; the harness only adds what an outside
 * party does to media (a foreign file in the way, a writer that died mid-block, an
 * operator putting a cartridge in a drive).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError, type BurrowErrorCode } from '@burrow/common/errors/index';
import { withHeaderRoom } from '../volume/block.js';
import { collectVolume, itemsOfKind } from '../volume/reader.js';
import { attributesRecord, dataRecord, patternBytes, writeSession } from '../volume/testing.js';
import type { AppendVolume, Drive } from './drive.js';

export interface DriveHarness {
  /** Two drives of one Device, sharing its media (Count = 2). */
  drives: readonly [Drive, Drive];
  /** Puts bytes where a volume of this name would be, as a program other than Burrow would. */
  putForeign(volumeName: string, bytes: Buffer): Promise<void>;
  /** The volume's bytes as stored, or null when there is none. */
  storedBytes(volumeName: string): Promise<Buffer | null>;
  /** Cuts the last `n` bytes off a volume, as a writer that died mid-block leaves it. */
  cutTail(volumeName: string, n: number): Promise<void>;
  /**
   * For drives that do not mount by name: puts the cartridge `volumeName` (a blank one
   * the first time) in `drive`, as an operator or a changer would. Absent: nothing to do.
   */
  load?(drive: Drive, volumeName: string): Promise<void>;
  cleanup(): Promise<void>;
}

const isCode = (code: BurrowErrorCode) => (e: unknown): boolean => e instanceof BurrowError && e.code === code;
const LABEL = { poolName: 'Full', mediaType: 'File', labelledBy: 'sd1' };
const dataBlock = (session: number, n: number, bytes: Buffer) => ({ flags: 0, sessionId: session, sessionBlockNumber: n, block: withHeaderRoom(bytes) });

export function driveConformance(kind: string, makeHarness: () => Promise<DriveHarness>): void {
  const withHarness = (fn: (h: DriveHarness) => Promise<void>) => async (): Promise<void> => {
    const h = await makeHarness();
    try {
      await fn(h);
    } finally {
      await h.cleanup();
    }
  };

  describe(`drive conformance: ${kind}`, () => {
    it('labels a volume, mounts it, and refuses to label it again unless relabelling', withHarness(async (h) => {
      const [drive] = h.drives;
      assert.equal(drive.mounted(), null);
      await h.load?.(drive, 'Vol-0001');
      const labelled = await drive.label('Vol-0001', LABEL);
      assert.equal(labelled.label.volumeName, 'Vol-0001');
      assert.equal(labelled.label.format, 'Burrow');
      assert.equal(drive.mounted()?.volumeName, 'Vol-0001');
      assert.equal((await drive.mount('Vol-0001')).label.labelledBy, 'sd1');
      await assert.rejects(drive.label('Vol-0001', { poolName: 'Other' }), isCode('VOLUME_FORMAT'));
      assert.equal((await drive.mount('Vol-0001')).label.poolName, 'Full');
      await drive.label('Vol-0001', { poolName: 'Other' }, { relabel: true });
      assert.equal((await drive.mount('Vol-0001')).label.poolName, 'Other');
    }));

    it('relabels a volume under a new name (relabel oldvolume=): only the new label is left, nothing is overwritten', withHarness(async (h) => {
      const [drive] = h.drives;
      await h.load?.(drive, 'Old');
      await writeSession(drive, 'Old', 3, [attributesRecord(1, '/a'), dataRecord(1, 0, patternBytes(3000, 1))]);
      const labelled = await drive.label('New', { poolName: 'Other' }, { renameFrom: 'Old' });
      assert.equal(labelled.label.volumeName, 'New');
      assert.equal(drive.mounted()?.volumeName, 'New');
      assert.equal((await drive.mount('New')).label.poolName, 'Other');
      const reader = await drive.openRead();
      const items = await collectVolume(reader);
      await reader.close();
      assert.deepEqual(itemsOfKind(items, 'record'), [], 'all previous data lost');
      // What is stored under a name, and what else a name can refer to, is a by-name archive's matter.
      if (drive.capabilities.mountsByName) {
        assert.equal((await h.storedBytes('New'))?.length, labelled.volBytes);
        assert.equal(await h.storedBytes('Old'), null);
        await assert.rejects(drive.mount('Old'), isCode('NOT_FOUND'));
        await assert.rejects(drive.label('Other', LABEL, { renameFrom: 'Missing' }), isCode('NOT_FOUND'));
        // The new name taken (by a volume, or by a file that is not one): both stay as they are.
        await drive.label('Taken', LABEL);
        const [taken, fresh] = [await h.storedBytes('Taken'), await h.storedBytes('New')];
        await assert.rejects(drive.label('Taken', LABEL, { renameFrom: 'New' }), isCode('VOLUME_FORMAT'));
        assert.deepEqual([await h.storedBytes('Taken'), await h.storedBytes('New')], [taken, fresh]);
        const alien = Buffer.from('not a volume\n');
        await h.putForeign('Alien', alien);
        await assert.rejects(drive.label('Alien', LABEL, { renameFrom: 'New' }), isCode('VOLUME_FORMAT'));
        await assert.rejects(drive.label('Elsewhere', LABEL, { renameFrom: 'Alien' }), isCode('VOLUME_FORMAT'));
        assert.deepEqual([await h.storedBytes('Alien'), await h.storedBytes('Elsewhere')], [alien, null]);
        // A volume being written is never relabelled.
        await drive.mount('New');
        const writer = await drive.openAppend();
        await assert.rejects(drive.label('Renamed', LABEL, { renameFrom: 'New' }), isCode('DEVICE'));
        await writer.close();
        assert.equal(await h.storedBytes('Renamed'), null);
      }
    }));

    it('refuses unsafe volume names and reports a missing volume', withHarness(async ({ drives: [drive] }) => {
      for (const name of ['', '.', '..', 'a/b', '../escape', 'nul\0byte', 'line\nbreak']) {
        await assert.rejects(drive.label(name, {}), isCode('HOSTILE_PATH'), JSON.stringify(name));
        await assert.rejects(drive.mount(name), isCode('HOSTILE_PATH'), JSON.stringify(name));
      }
      await assert.rejects(drive.mount('missing'), isCode('NOT_FOUND'));
      assert.equal(drive.mounted(), null);
    }));

    it('refuses media that is not a Burrow volume and leaves it byte for byte', withHarness(async (h) => {
      const [drive] = h.drives;
      const original = Buffer.concat([Buffer.from('BRWB but not really'), patternBytes(5000, 9)]);
      await h.putForeign('Imposter', original);
      await h.load?.(drive, 'Imposter');
      await assert.rejects(drive.mount('Imposter'), (e: unknown) => isCode('VOLUME_FORMAT')(e) && /is not a Burrow volume/.test((e as Error).message));
      await assert.rejects(drive.label('Imposter', {}), isCode('VOLUME_FORMAT'));
      await assert.rejects(drive.label('Imposter', {}, { relabel: true }), isCode('VOLUME_FORMAT'));
      assert.deepEqual(await h.storedBytes('Imposter'), original);
      assert.equal(drive.mounted(), null);
    }));

    it('refuses a volume labelled with another name', withHarness(async (h) => {
      const [drive] = h.drives;
      await h.load?.(drive, 'Right');
      await drive.label('Right', LABEL);
      await h.putForeign('Wrong', (await h.storedBytes('Right'))!);
      await h.load?.(drive, 'Wrong');
      await assert.rejects(drive.mount('Wrong'), (e: unknown) => isCode('VOLUME_FORMAT')(e) && /labelled "Right"/.test((e as Error).message));
    }));

    it('opens nothing when no volume is mounted', withHarness(async ({ drives: [drive] }) => {
      await assert.rejects(drive.openAppend(), isCode('DEVICE'));
      await assert.rejects(drive.openRead(), isCode('DEVICE'));
      await drive.unmount();
      assert.equal(drive.mounted(), null);
    }));

    it('gives concurrent block writes of two handles their own addresses, in call order', withHarness(async (h) => {
      const [drive] = h.drives;
      await h.load?.(drive, 'V');
      await drive.label('V', LABEL);
      const [a, b] = [await drive.openAppend(), await drive.openAppend()];
      assert.deepEqual(drive.activity(), { appending: 2, reading: 0 });
      const writes = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).writeBlock(dataBlock(1 + (i % 2), i >> 1, patternBytes(100 + i, i))));
      const written = await Promise.all(writes);
      assert.equal(new Set(written.map((w) => w.addr)).size, 20);
      assert.deepEqual(written.map((w) => w.blockNumber), Array.from({ length: 20 }, (_, i) => i + 1));
      await a.close();
      await b.close();
      assert.deepEqual(drive.activity(), { appending: 0, reading: 0 });
      const reader = await drive.openRead();
      try {
        for (const [i, w] of written.entries()) {
          const read = await reader.readBlock(w.addr);
          assert.equal(read.kind, 'block');
          if (read.kind === 'block') assert.deepEqual(read.payload, patternBytes(100 + i, i));
        }
      } finally {
        await reader.close();
      }
    }));

    it('keeps a busy volume mounted: no other mount, no unmount until its handles close', withHarness(async (h) => {
      const [drive] = h.drives;
      await h.load?.(drive, 'A');
      await drive.label('A', LABEL);
      await h.load?.(drive, 'B');
      await drive.label('B', LABEL);
      await h.load?.(drive, 'A');
      await drive.mount('A');
      const handle = await drive.openAppend();
      await assert.rejects(drive.mount('B'), isCode('DEVICE'));
      await assert.rejects(drive.unmount(), isCode('DEVICE'));
      assert.equal((await drive.mount('A')).volumeName, 'A');
      if (drive.capabilities.mountsByName) {
        await drive.label('C', LABEL);
        assert.equal(drive.mounted()?.volumeName, 'A', 'labelling beside a busy volume keeps it mounted');
      }
      await handle.close();
      await drive.unmount();
      assert.equal(drive.mounted(), null);
      await h.load?.(drive, 'B');
      assert.equal((await drive.mount('B')).volumeName, 'B');
    }));

    it('appends after a block cut short, cutting the partial block off', withHarness(async (h) => {
      const [drive] = h.drives;
      await h.load?.(drive, 'V');
      await writeSession(drive, 'V', 5, [attributesRecord(1, '/a'), dataRecord(1, 0, patternBytes(3000, 1)), attributesRecord(2, '/b')]);
      await drive.unmount();
      await h.cutTail('V', 10); // the end-of-session block is now cut short
      await drive.mount('V');
      const cut = await drive.openRead();
      const before = await collectVolume(cut);
      await cut.close();
      assert.equal(before.at(-1)?.kind, 'truncated');

      await writeSession(drive, 'V', 6, [attributesRecord(1, '/c'), dataRecord(1, 0, patternBytes(2500, 2))]);
      const vol = await drive.openRead();
      const items = await collectVolume(vol);
      await vol.close();
      assert.equal(items.filter((i) => i.kind === 'error' || i.kind === 'truncated').length, 0);
      const records = itemsOfKind(items, 'record');
      assert.deepEqual(records.map((r) => [r.sessionId, r.fileIndex, r.stream]), [[5, 1, 1], [5, 1, 2], [5, 2, 1], [6, 1, 1], [6, 1, 2]]);
      assert.deepEqual(records[4]?.data.subarray(8), patternBytes(2500, 2));
      assert.deepEqual(itemsOfKind(items, 'session-end').map((i) => i.sessionId), [6]);
    }));

    it('trusts an end hint only where a block really ends', withHarness(async (h) => {
      const [drive] = h.drives;
      await h.load?.(drive, 'V');
      await writeSession(drive, 'V', 1, [attributesRecord(1, '/x'), dataRecord(1, 0, patternBytes(4000, 3))]);
      const plain = await drive.openAppend();
      const end = plain.endAddress();
      const blocks = plain.volBlocks();
      await plain.close();
      for (const hint of [end, end - 1, 7, end + 100]) {
        const vol = await drive.openAppend({ endHint: hint });
        assert.equal(vol.endAddress(), end, `hint ${hint}`);
        assert.equal(vol.volBlocks(), blocks);
        await vol.close();
      }
    }));

    it('refuses a data block past Maximum Volume Bytes, but never the first one or a label', withHarness(async (h) => {
      const [drive] = h.drives;
      await h.load?.(drive, 'V');
      await drive.label('V', LABEL);
      const vol: AppendVolume = await drive.openAppend({ maxVolumeBytes: 300 });
      try {
        await vol.writeBlock(dataBlock(1, 0, Buffer.alloc(400)));
        await assert.rejects(vol.writeBlock(dataBlock(1, 1, Buffer.alloc(400))), isCode('VOLUME_FULL'));
        assert.equal(vol.isFull(), true);
        await vol.writeBlock({ ...dataBlock(1, 1, Buffer.alloc(10)), flags: 1 });
      } finally {
        await vol.close();
      }
    }));

    it('appends a volume through one drive at a time and never labels one in use', withHarness(async (h) => {
      const [one, two] = h.drives;
      await h.load?.(one, 'Shared');
      await one.label('Shared', LABEL);
      const writer = await one.openAppend();
      if (two.capabilities.mountsByName) {
        await two.mount('Shared');
        await assert.rejects(two.openAppend(), (e: unknown) => isCode('DEVICE')(e) && /being written on Device/.test((e as Error).message));
        await assert.rejects(two.label('Shared', LABEL, { relabel: true }), isCode('DEVICE'));
      }
      if (two.capabilities.sharedReads) {
        const w = await writer.writeBlock(dataBlock(1, 0, patternBytes(64, 1)));
        const reader = await two.openRead();
        const read = await reader.readBlock(w.addr);
        assert.equal(read.kind, 'block');
        await reader.close();
      }
      await writer.close();
      if (two.capabilities.mountsByName) {
        const after = await two.openAppend();
        await after.close();
      }
    }));
  });
}
