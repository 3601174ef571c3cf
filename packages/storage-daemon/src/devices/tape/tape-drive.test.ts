/** The tape drive on virtual tapes: the drive conformance suite, and what only tapes do. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driveConformance } from '../conformance.js';
import type { Drive } from '../drive.js';
import { TapeDrive, type TapeSettings } from './tape-drive.js';
import { VirtualTape, VTAPE_HEADER_SIZE, type VirtualTapeOptions } from './vtape.js';

/** The entries of a cartridge file: records as buffers, filemarks as null. */
export function cartridgeEntries(bytes: Buffer): (Buffer | null)[] {
  const out: (Buffer | null)[] = [];
  for (let at = VTAPE_HEADER_SIZE; at + 4 <= bytes.length;) {
    const n = bytes.readUInt32LE(at);
    out.push(n === 0 ? null : bytes.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return out;
}

/** A library of virtual cartridges (slots/NAME) and drives that are links to the one loaded. */
export async function tapeLibrary(o: { drives?: number; settings?: Partial<TapeSettings>; vtape?: VirtualTapeOptions } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-tapes-'));
  await mkdir(join(dir, 'slots'));
  const opened: VirtualTape[] = [];
  const drivePath = (i: number): string => join(dir, `drive${i}`);
  const drives = Array.from({ length: o.drives ?? 2 }, (_, i) => new TapeDrive({
    name: `Tape${i}`, typeName: 'VTape', device: drivePath(i), settings: o.settings,
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
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

driveConformance('tape drive (virtual tape)', async () => {
  const lib = await tapeLibrary();
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
    // What a reader of the tape gets: its records, one after the other.
    storedBytes: async (name) => {
      const bytes = await readFile(lib.slot(name)).catch(() => null);
      return bytes && Buffer.concat(cartridgeEntries(bytes).filter((e): e is Buffer => e !== null));
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
});
