/**
 * A burrow-vchanger library in a temporary directory, for tests: the standard library
 * of the changer-contract suite (8 slots, the last an import/export slot, 2 drives,
 * A00001 to A00006 in slots 1 to 6), its drives' paths, and the program's command line.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ChangerHarness } from './conformance.js';
import { ScriptChanger, type ChangerDrive } from './script-changer.js';

export const VCHANGER_JS = fileURLToPath(new URL('../tools/vchanger.js', import.meta.url));

/** The Changer Command that runs burrow-vchanger from this build. */
export const VCHANGER_COMMAND = `"${process.execPath}" "${VCHANGER_JS}" %c %o %S %a %d`;

/** Runs burrow-vchanger with these arguments; its exit status and output, never a throw. */
export async function vchanger(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [VCHANGER_JS, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export interface VchangerLibrary extends ChangerHarness {
  readonly dir: string;
}

export async function vchangerLibrary(o: { maximumChangerWait?: number } = {}): Promise<VchangerLibrary> {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-vchanger-'));
  const lib = join(dir, 'library');
  const init = await vchanger('init', lib, '--slots', '8', '--drives', '2', '--import-export', '1', '--barcodes', 'A00001-A00006');
  if (init.code !== 0) throw new Error(`burrow-vchanger init: ${init.stderr}`);
  const drives: [ChangerDrive, ChangerDrive] = [{ index: 0, archiveDevice: join(dir, 'drive0') }, { index: 1, archiveDevice: join(dir, 'drive1') }];
  return {
    dir: lib,
    changer: new ScriptChanger({ name: 'VChanger', command: VCHANGER_COMMAND, changerDevice: lib, maximumChangerWait: o.maximumChangerWait ?? 30 }),
    drives,
    holds: async (d) => {
      const target = await readlink(d.archiveDevice).catch(() => null);
      return target === null ? null : basename(target);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
