/**
 * Virtual tapes for end-to-end tests: a VTape Device resource, and a burrow-vchanger
 * library: the cartridges in a temporary directory, the Storage daemon's Devices and
 * Autochanger over it (VTape drives, small blocks and cartridges so a test's data is
 * tiny), and which cartridge each drive holds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { VCHANGER_COMMAND, vchanger } from '@burrow/storage-daemon/changers/testing';

export { vchanger };

export interface ChangerLibraryOptions {
  slots: number;
  drives: number;
  /** The last slots, where cartridges go in and out. */
  importExport: number;
  /** `A00001-A00003`, as burrow-vchanger init takes them. */
  barcodes: string;
  /** Each cartridge's Volume Capacity (default 4M). */
  capacity?: string;
  /** More directives for each drive's Device (e.g. a Spool Directory). */
  deviceMore?: string;
  /** Each drive's Maximum Block Size (default 64k). */
  maximumBlockSize?: string;
  /** The Autochanger's Changer Command (default burrow-vchanger's): e.g. a script around it. */
  changerCommand?: string;
}

export interface ChangerLibrary {
  /** The directory holding the cartridges, the library and the drives' links. */
  readonly tapes: string;
  /** The library's directory (the Changer Device). */
  readonly library: string;
  /** The SD's resources: Devices Drive0.. and the Autochanger `Library`. */
  readonly sdResources: string;
  /** The barcode of the cartridge in drive `n`, or null. */
  inDrive(n: number): string | null;
  remove(): void;
}

/**
 * A VTape Device resource of the SD (Media Type LTO), with small blocks and cartridges
 * so a test's data is tiny and spans them; `more` adds directives.
 */
export function vtapeDevice(o: { name: string; archiveDevice: string; capacity?: string; maximumBlockSize?: string; more?: string }): string {
  return `
Device { Name = ${o.name}; Device Type = VTape; Media Type = LTO; Archive Device = ${JSON.stringify(o.archiveDevice)}
  Maximum Block Size = ${o.maximumBlockSize ?? '64k'}; Volume Capacity = ${o.capacity ?? '4M'}; Label Media = no${o.more ? `; ${o.more}` : ''} }`;
}

/**
 * The Director's side of one VTape Device `Tape0` (vtapeDevice): Storage `Tape`, Pool
 * `Tapes` and a Full Job `backup-tape` of client test-fd writing there.
 */
export const TAPE_DIRECTOR_RESOURCES = `
Storage { Name = Tape; Address = 127.0.0.1; SDPort = @SDPORT@; Password = @SDPASSWORD@; Device = Tape0; Media Type = LTO }
Pool { Name = Tapes; Pool Type = Backup }
Job { Name = backup-tape; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = Tape; Pool = Tapes; Messages = Standard }`;

export async function changerLibrary(o: ChangerLibraryOptions): Promise<ChangerLibrary> {
  const tapes = mkdtempSync(join(tmpdir(), 'burrow-changer-'));
  const library = join(tapes, 'library');
  const init = await vchanger('init', library, '--slots', String(o.slots), '--drives', String(o.drives), '--import-export', String(o.importExport), '--barcodes', o.barcodes);
  assert.equal(init.code, 0, init.stderr);
  const drive = (n: number): string => vtapeDevice({
    name: `Drive${n}`, archiveDevice: join(tapes, `drive${n}`), capacity: o.capacity, maximumBlockSize: o.maximumBlockSize, more: `Autochanger = yes; Drive Index = ${n}; Maximum Changer Wait = 30${o.deviceMore ? `; ${o.deviceMore}` : ''}`,
  });
  const names = Array.from({ length: o.drives }, (_, n) => `Drive${n}`);
  return {
    tapes, library,
    sdResources: `${names.map((_, n) => drive(n)).join('')}
Autochanger { Name = Library; Device = ${names.join(', ')}; Changer Device = ${JSON.stringify(library)}; Changer Command = ${JSON.stringify(o.changerCommand ?? VCHANGER_COMMAND)} }`,
    inDrive: (n) => {
      try {
        return basename(readlinkSync(join(tapes, `drive${n}`)));
      } catch {
        return null;
      }
    },
    remove: () => rmSync(tapes, { recursive: true, force: true }),
  };
}

/** The Director's Storage `Library` for it (`more`: e.g. `Auto Changer = yes`). */
export function libraryStorage(more = ''): string {
  return `Storage { Name = Library; Address = 127.0.0.1; SDPort = @SDPORT@; Password = @SDPASSWORD@; Device = Library; Media Type = LTO; ${more} }\n`;
}

/**
 * The Director's side of a library for the one client: Storage `Library` (libraryStorage,
 * Auto Changer), Pool `Tapes` and a Full Job `backup-tapes` of test-fd writing there.
 */
export const LIBRARY_DIRECTOR_RESOURCES = `${libraryStorage('Auto Changer = yes')}Pool { Name = Tapes; Pool Type = Backup }
Job { Name = backup-tapes; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = Library; Pool = Tapes; Messages = Standard }`;
