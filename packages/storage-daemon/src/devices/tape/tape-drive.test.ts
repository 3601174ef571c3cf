/** The tape drive on virtual tapes: the drive conformance suite, and what only tapes do. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BurrowError } from '@burrow/common/errors/index';
import { readVolume, collectVolume, itemsOfKind, type VolumeItem } from '../../volume/reader.js';
import { readVolumes } from '../../volume/multi-volume-reader.js';
import { attributesRecord, dataRecord, patternBytes, writeSession } from '../../volume/testing.js';
import type { SessionRecord } from '../../volume/session-writer.js';
import { driveConformance, type DriveHarness } from '../conformance.js';
import { FilesMismatch, type DeviceNote, type Drive } from '../drive.js';
import { blockOfRecord, TapeDrive, type TapeSettings } from './tape-drive.js';
import { decodeLabelPayload } from '../../volume/labels.js';
import { splitAddress } from './tape-head.js';
import { cartridgeEntries, VirtualTape, VTAPE_HEADER_SIZE, type VirtualTapeOptions } from './vtape.js';

/** A library of virtual cartridges (slots/NAME) and drives that are links to the one loaded. */
export async function tapeLibrary(o: { drives?: number; settings?: Partial<TapeSettings>; vtape?: VirtualTapeOptions; sleep?: (ms: number) => Promise<void> } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-tapes-'));
  await mkdir(join(dir, 'slots'));
  const opened: VirtualTape[] = [];
  const drivePath = (i: number): string => join(dir, `drive${i}`);
  const drives = Array.from({ length: o.drives ?? 2 }, (_, i) => new TapeDrive({
    name: `Tape${i}`, typeName: 'VTape', device: drivePath(i), settings: o.settings, sleep: o.sleep,
    open: async () => {
      const tape = await VirtualTape.open(drivePath(i), o.vtape);
      opened.push(tape);
      return tape;
    },
  }));
  const slot = (name: string): string => join(dir, 'slots', name);
  return {
    dir, drives, opened, slot,
    async load(drive: Drive, name: string): Promise<void> {
      const i = drives.indexOf(drive as TapeDrive);
      await writeFile(slot(name), '', { flag: 'a' });
      await rm(drivePath(i), { force: true });
      await symlink(slot(name), drivePath(i));
    },
    cleanup: async () => {
      for (const tape of opened) await tape.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function conformanceHarness(settings?: Partial<TapeSettings>): Promise<DriveHarness> {
  const lib = await tapeLibrary({ settings });
  return {
    drives: [lib.drives[0]!, lib.drives[1]!],
    load: lib.load,
    // Foreign media: a tape another program wrote one record on.
    putForeign: async (name, bytes) => {
      await writeFile(lib.slot(name), '');
      const tape = await VirtualTape.open(lib.slot(name));
      await tape.write(bytes);
      await tape.close();
    },
    // What a reader of the tape gets: its records, one after the other. A volume is the
    // cartridge of its name, or the one labelled so (a relabel with a new name).
    storedBytes: async (name) => {
      const records = async (slot: string): Promise<Buffer[] | null> => {
        const bytes = await readFile(lib.slot(slot)).catch(() => null);
        return bytes && cartridgeEntries(bytes).filter((e): e is Buffer => e !== null);
      };
      const own = await records(name);
      if (own) return Buffer.concat(own);
      for (const slot of await readdir(join(lib.dir, 'slots'))) {
        const first = (await records(slot))?.[0];
        const label = first && blockOfRecord(first, 0, 1);
        if (label?.kind !== 'block') continue;
        const decoded = decodeLabelPayload(label.payload);
        if (decoded.kind === 'volume' && decoded.label.volumeName === name) return Buffer.concat((await records(slot))!);
      }
      return null;
    },
    // The last record written short and nothing after it, as a writer that died mid-block leaves a tape.
    cutTail: async (name, n) => {
      const bytes = await readFile(lib.slot(name));
      let at = VTAPE_HEADER_SIZE;
      let last = -1;
      while (at + 4 <= bytes.length) {
        const len = bytes.readUInt32LE(at);
        if (len > 0) last = at;
        at += 4 + len;
      }
      const len = bytes.readUInt32LE(last);
      bytes.writeUInt32LE(len - n, last);
      await writeFile(lib.slot(name), bytes.subarray(0, last + 4 + len - n));
    },
    cleanup: lib.cleanup,
  };
}

driveConformance('tape drive (virtual tape)', () => conformanceHarness());
// Bareos's fallbacks for drives that cannot do it in hardware, and two filemarks at the end of the data.
driveConformance('tape drive (virtual tape, software eom and fsf, Two EOF, fixed 2 KiB blocks)', () => conformanceHarness({
  hardwareEndOfMedium: false, fastForwardSpaceFile: false, twoEof: true, minimumBlockSize: 2048, maximumBlockSize: 2048,
}));

/** Files 1..n, each an attributes record and `size` bytes of data. */
function files(n: number, size: number): SessionRecord[] {
  return Array.from({ length: n }, (_, i) => [attributesRecord(i + 1, `/f${i + 1}`), dataRecord(i + 1, 0, patternBytes(size, i + 1))]).flat();
}

/** The data of file `fileIndex` among the records read. */
function dataOf(items: VolumeItem[], fileIndex: number): Buffer {
  return Buffer.concat(itemsOfKind(items, 'record').filter((r) => r.fileIndex === fileIndex && r.stream === 2).map((r) => r.data.subarray(8)));
}

describe('tape drive', () => {
  for (const fast of [true, false]) {
    it(`Maximum File Size cuts the volume into tape files; one file is restored ${fast ? 'with fsf and fsr, reading no block before it' : 'reading every block before it (Fast Forward Space File = no)'}`, async () => {
      const lib = await tapeLibrary({ drives: 1, settings: { maximumFileSize: 8 * 1024, fastForwardSpaceFile: fast } });
      try {
        const [drive] = lib.drives as [TapeDrive];
        await lib.load(drive, 'T1');
        const written = await writeSession(drive, 'T1', 7, files(60, 1500));
        const starts = [...written.fileStarts.values()].map((v) => splitAddress(v.addr));
        assert.ok(new Set(starts.map((a) => a.file)).size >= 8, `tape files: ${JSON.stringify(starts.at(-1))}`);
        assert.ok(starts.every((a, i) => i === 0 || a.file > starts[i - 1]!.file || (a.file === starts[i - 1]!.file && a.block >= starts[i - 1]!.block)));
        // One JobMedia row per tape file, as Bareos writes one per filemark: each within its
        // tape file, numbered in turn, a file run over a filemark in both rows.
        const rows = written.usages.map((u) => ({ ...u, start: splitAddress(u.startAddr), end: splitAddress(u.endAddr) }));
        const shown = JSON.stringify(rows.map((r) => [r.start, r.end, r.firstIndex, r.lastIndex]));
        assert.ok(rows.length >= new Set(starts.map((a) => a.file)).size, shown);
        for (const [i, r] of rows.entries()) {
          assert.equal(r.volumeIndex, i + 1, shown);
          assert.equal(r.start.file, r.end.file, shown);
          // The next tape file; its first file the one the last row ended in, or the next.
          if (i > 0) assert.equal(r.start.file, rows[i - 1]!.end.file + 1, shown);
          if (i > 0 && r.firstIndex > 0) assert.ok(r.firstIndex - rows[i - 1]!.lastIndex <= 1 && r.firstIndex >= rows[i - 1]!.lastIndex, shown);
        }
        assert.deepEqual([rows[0]!.firstIndex, Math.max(...rows.map((r) => r.lastIndex))], [1, 60], shown);
        const last = written.fileStarts.get(60)!;
        const piece = rows.find((r) => r.start.file === splitAddress(last.addr).file);
        assert.ok(piece && piece.firstIndex <= 60 && piece.lastIndex >= 60 && piece.startAddr <= last.addr, `file 60 at ${JSON.stringify(splitAddress(last.addr))} is in the row of its tape file: ${shown}`);

        await drive.unmount();
        await drive.mount('T1');
        const tape = lib.opened.at(-1)!;
        const before = tape.stats.bytesRead;
        const vol = await drive.openRead();
        const items = await collectVolume(vol, { startAddr: last.addr, fileIndexes: [60], sessionId: 7 });
        await vol.close();
        assert.deepEqual(dataOf(items, 60), patternBytes(1500, 60));
        const read = tape.stats.bytesRead - before;
        // File 60's own blocks (its 1.5 kB in blocks of 1 KiB) and the end-of-session label: never the 90 kB before it.
        if (fast) assert.ok(read <= 4 * 1024, `${read} bytes read`);
        else assert.ok(read > 60 * 1024, `${read} bytes read`);
      } finally {
        await lib.cleanup();
      }
    });
  }

  it('ends a volume at the early warning and writes the refused block first on the next cartridge', async () => {
    const lib = await tapeLibrary({ drives: 1, vtape: { capacity: 48 * 1024, earlyWarning: 8 * 1024 } });
    try {
      const [drive] = lib.drives as [TapeDrive];
      await lib.load(drive, 'T1');
      const mounted: string[] = ['T1'];
      const notes: DeviceNote[] = [];
      const written = await writeSession(drive, 'T1', 9, files(40, 2000), {
        blockSize: 4096,
        onDeviceNote: (note) => { notes.push(note); },
        nextVolume: async () => {
          const name = `T${mounted.length + 1}`;
          mounted.push(name);
          await drive.unmount();
          await lib.load(drive, name);
          await drive.label(name, { poolName: 'Full', mediaType: 'LTO', previousVolume: mounted.at(-2) });
          return drive.openAppend();
        },
      });
      assert.ok(mounted.length >= 2, 'the session went on to a second cartridge');
      // Bareos's lines: the end of medium, and the last block written read back with the number it was given.
      assert.equal(notes.length, 2 * (mounted.length - 1), JSON.stringify(notes));
      assert.match(notes[0]!.text, /^End of medium on Volume "T1" Bytes=\d+ Blocks=\d+ at \d+:\d+\.$/);
      assert.deepEqual(notes[1], { level: 'info', text: 'Re-read of last block succeeded.' });
      const [first, second] = written.usages;
      assert.equal(first!.volumeName, 'T1');
      assert.equal(first!.full, true);
      assert.equal(second!.volumeName, 'T2');
      for (const [i, name] of mounted.entries()) {
        const first = blockOfRecord(cartridgeEntries(await readFile(lib.slot(name)))[0]!, 0, 1);
        const decoded = first.kind === 'block' ? decodeLabelPayload(first.payload) : undefined;
        assert.equal(decoded?.kind === 'volume' && decoded.label.previousVolume, i === 0 ? '' : mounted[i - 1], `the label of ${name} names the cartridge filled before it`);
      }
      // On T2: its label, session 9's continued start label, then the block T1 refused (its first data block).
      const t2 = cartridgeEntries(await readFile(lib.slot('T2'))).filter((e): e is Buffer => e !== null);
      const header = (record: Buffer): [number, number, number] => [record.readUInt16BE(6), record.readUInt32BE(12), record.readUInt32BE(20)];
      assert.deepEqual([header(t2[1]!), header(t2[2]!)], [[1, 9, 0], [0, 9, 1]]);
      // Block numbers go on across the cartridges: none is lost at the end of T1.
      const items: VolumeItem[] = [];
      for await (const item of readVolumes({
        volumes: mounted.map((volumeName) => ({ volumeName })), sessionId: 9,
        openVolume: async (name) => {
          await drive.unmount();
          await lib.load(drive, name);
          await drive.mount(name);
          return drive.openRead();
        },
      })) items.push(item);
      assert.deepEqual(items.filter((i) => i.kind === 'error' || i.kind === 'incomplete' || i.kind === 'truncated'), []);
      for (let f = 1; f <= 40; f += 1) assert.deepEqual(dataOf(items, f), patternBytes(2000, f), `file ${f}`);
      // The end of the first cartridge's data sits in the early-warning zone, within one block of it.
      const t1 = cartridgeEntries(await readFile(lib.slot('T1')));
      const used = t1.reduce((n, e) => n + 4 + (e?.length ?? 0), 0);
      assert.ok(used >= 40 * 1024 && used <= 48 * 1024, `T1 holds ${used} bytes`);
    } finally {
      await lib.cleanup();
    }
  });

  it('writes fixed blocks padded to the block size, and refuses a block above Maximum Block Size', async () => {
    const lib = await tapeLibrary({ drives: 1, settings: { minimumBlockSize: 4096, maximumBlockSize: 4096 } });
    try {
      const [drive] = lib.drives as [TapeDrive];
      await lib.load(drive, 'F1');
      await writeSession(drive, 'F1', 3, files(5, 3000));
      const entries = cartridgeEntries(await readFile(lib.slot('F1')));
      assert.ok(entries.every((e) => e === null || e.length === 4096), 'every record is one fixed block');
      assert.equal((await lib.opened.at(-1)!.status()).blockSize, 4096);
      const vol = await drive.openRead();
      const items = await collectVolume(vol);
      await vol.close();
      for (let f = 1; f <= 5; f += 1) assert.deepEqual(dataOf(items, f), patternBytes(3000, f));
      await assert.rejects(writeSession(drive, 'F1', 4, files(1, 10_000), { blockSize: 8192 }), (e: unknown) => e instanceof BurrowError && /larger than its Maximum Block Size 4096/.test(e.message));
    } finally {
      await lib.cleanup();
    }
  });

  it('sets the next write position at a block boundary: the rest is erased, the next session appends there, the earlier one reads whole', async () => {
    const lib = await tapeLibrary({ drives: 1, settings: { maximumFileSize: 8 * 1024 } });
    try {
      const [drive] = lib.drives as [TapeDrive];
      await lib.load(drive, 'N1');
      await writeSession(drive, 'N1', 1, files(10, 1500));
      const second = await writeSession(drive, 'N1', 2, files(20, 1500));
      // A point inside a tape file (block > 0): where session 2's file 12 begins.
      const cut = [...second.fileStarts.values()].map((v) => v.addr).find((a) => a > second.fileStarts.get(2)!.addr && splitAddress(a).block > 0)!;
      assert.ok(cut !== undefined);
      const size = (await readFile(lib.slot('N1'))).length;
      await assert.rejects(drive.setNextWrite('N1', 999 * 2 ** 32), (e: unknown) => e instanceof BurrowError && e.code === 'BAD_REQUEST' && /the data on the tape ends before it/.test(e.message));
      await assert.rejects(drive.setNextWrite('N1', 0), (e: unknown) => e instanceof BurrowError && /the volume label, which stays/.test(e.message));
      await assert.rejects(drive.setNextWrite('N2', cut), (e: unknown) => e instanceof BurrowError && /labelled "N1", not "N2"/.test(e.message));
      assert.equal((await readFile(lib.slot('N1'))).length, size, 'a refused point erases nothing');

      const point = await drive.setNextWrite('N1', cut);
      assert.equal(point.files, splitAddress(cut).file + 1);
      assert.equal(point.volBytes, cartridgeEntries(await readFile(lib.slot('N1'))).reduce((n, e) => n + (e?.length ?? 0), 0));
      const third = await writeSession(drive, 'N1', 3, files(2, 500));
      const appendedAt = splitAddress(third.fileStarts.get(1)!.addr);
      assert.equal(appendedAt.file, splitAddress(cut).file + 1, 'the next session starts the tape file after the point');

      await drive.unmount();
      await drive.mount('N1');
      const vol = await drive.openRead();
      const items = await collectVolume(vol);
      await vol.close();
      const sessions = new Set(itemsOfKind(items, 'record').map((r) => r.sessionId));
      assert.deepEqual([...sessions].sort(), [1, 2, 3]);
      const two = itemsOfKind(items, 'record').filter((r) => r.sessionId === 2).map((r) => r.fileIndex);
      assert.ok(Math.max(...two) < 20, `session 2 lost its files from the point on: ${Math.max(...two)}`);
    } finally {
      await lib.cleanup();
    }
  });

  it('counts VolFiles as Bareos does (the filemarks before the end of data) and refuses to append to a tape with fewer than the catalog counts', async () => {
    const lib = await tapeLibrary({ drives: 1, settings: { maximumFileSize: 8 * 1024 } });
    try {
      const [drive] = lib.drives as [TapeDrive];
      await lib.load(drive, 'F1');
      const filemarks = async (): Promise<number> => cartridgeEntries(await readFile(lib.slot('F1'))).filter((e) => e === null).length;
      const first = await writeSession(drive, 'F1', 1, files(10, 1500));
      // Each usage report counts the files as if the data ended after its part (by the filemark closing its tape file).
      for (const u of first.usages) assert.equal(u.volFiles, splitAddress(u.endAddr).file + 1, JSON.stringify(u));
      const counted = first.usages.at(-1)!.volFiles;
      assert.ok(counted >= 3, `Maximum File Size made tape files: ${counted}`);
      assert.equal(await filemarks(), counted, 'the label\'s filemark and one after each tape file of data');

      // The tape as the catalog says: appending begins there. More files on the tape than the catalog counts is not refused here.
      for (const catalogFiles of [counted, counted - 1, 0]) {
        const vol = await drive.openAppend({ catalogFiles });
        assert.equal(vol.filesAtOpen, counted);
        await vol.close();
      }
      // Fewer: data the catalog counts is gone. Nothing is written, and the drive appends again once asked rightly.
      const before = await readFile(lib.slot('F1'));
      await assert.rejects(drive.openAppend({ catalogFiles: counted + 2 }), (e: unknown) => e instanceof FilesMismatch && e.code === 'VOLUME_FORMAT'
        && e.message.includes(`the number of files mismatch! Volume=${counted} Catalog=${counted + 2}`) && e.message.includes('Volume "F1"'));
      assert.ok((await readFile(lib.slot('F1'))).equals(before), 'the refused tape is left as it was');
      const second = await writeSession(drive, 'F1', 2, files(1, 10));
      assert.equal(second.usages.at(-1)!.volFiles, counted + 1, 'the next job\'s tape file');
      assert.equal(await filemarks(), counted + 1);
    } finally {
      await lib.cleanup();
    }
  });

  it('ends the data with two filemarks under Two EOF, and appends after the first', async () => {
    const lib = await tapeLibrary({ drives: 1, settings: { twoEof: true } });
    try {
      const [drive] = lib.drives as [TapeDrive];
      await lib.load(drive, 'E1');
      await writeSession(drive, 'E1', 1, files(1, 10));
      const marks = (entries: (Buffer | null)[]): string => entries.map((e) => (e === null ? 'F' : 'r')).join('');
      assert.equal(marks(cartridgeEntries(await readFile(lib.slot('E1')))), 'rFrrrFF');
      await writeSession(drive, 'E1', 2, files(1, 10));
      assert.equal(marks(cartridgeEntries(await readFile(lib.slot('E1')))), 'rFrrrFrrrFF');
    } finally {
      await lib.cleanup();
    }
  });

  it('tries a cartridge another program holds again every 5 s up to Maximum Open Wait, then refuses it naming the holder', async () => {
    const waits: number[] = [];
    let holder: VirtualTape | undefined;
    let letGoAfter = 2;
    const lib = await tapeLibrary({
      drives: 1, settings: { maximumOpenWait: 12 },
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === letGoAfter) await holder?.close();
      },
    });
    try {
      const [drive] = lib.drives as [TapeDrive];
      await lib.load(drive, 'T1');
      await drive.label('T1', { poolName: 'Full', mediaType: 'LTO' });
      await drive.unmount();
      // Another program (btape, a second SD) has the cartridge open, and lets it go after two tries.
      holder = await VirtualTape.open(lib.slot('T1'));
      await drive.mount('T1');
      assert.deepEqual(waits, [5000, 5000]);
      await drive.unmount();
      // It keeps it: 12 s of tries, then the refusal says who holds it and how long it waited.
      holder = await VirtualTape.open(lib.slot('T1'));
      waits.length = 0;
      letGoAfter = 0;
      await assert.rejects(drive.mount('T1'), (e: unknown) => e instanceof BurrowError
        && /cannot open the drive \(tried for Maximum Open Wait = 12 s\): EBUSY: .*in use by another drive of this process/.test(e.message));
      assert.deepEqual(waits, [5000, 5000, 2000]);
      await holder.close();
    } finally {
      await lib.cleanup();
    }
  });

  it('ejects the cartridge on unmount with Offline On Unmount', async () => {
    for (const offline of [false, true]) {
      const lib = await tapeLibrary({ drives: 1, settings: { offlineOnUnmount: offline } });
      try {
        const [drive] = lib.drives as [TapeDrive];
        await lib.load(drive, 'O1');
        await drive.label('O1', {});
        const tape = lib.opened.at(-1)!;
        await drive.unmount();
        assert.equal((await tape.status()).online, false);
        assert.equal(tape.stats.offlines, offline ? 1 : 0);
        await drive.mount('O1');
      } finally {
        await lib.cleanup();
      }
    }
  });
});
