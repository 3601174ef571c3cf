/**
 * The shipped mtx-changer script (packages/storage-daemon/scripts/mtx-changer). Debian's
 * mtx needs a SCSI library, which these machines do not have, so mtx and mt are stand-ins
 * here that print what mtx prints for a library (a status of 2 drives and 8 slots, one of
 * them import/export) and log what they are asked: the test checks the script's argument
 * handling, that its answers meet the contract (through the same parsers the Storage
 * daemon uses), and the mtx and mt calls it makes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseList, parseListall, parseLoaded, parseSlots } from './contract.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/mtx-changer', import.meta.url));

/** mtx status of a library with a barcode reader (the layout of mtx 1.3's output). */
const STATUS = `  Storage Changer /dev/sg1:2 Drives, 8 Slots ( 1 Import/Export )
Data Transfer Element 0:Full (Storage Element 3 Loaded):VolumeTag = A00003L6                        
Data Transfer Element 1:Empty
      Storage Element 1:Full :VolumeTag=A00001L6                        
      Storage Element 2:Full :VolumeTag=A00002L6                        
      Storage Element 3:Empty
      Storage Element 4:Full 
      Storage Element 5:Empty
      Storage Element 6:Empty
      Storage Element 7:Full :VolumeTag=CLN001L1
      Storage Element 8 IMPORT/EXPORT:Full :VolumeTag=B00001L6
`;

async function withFakes(fn: (run: (...args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>, calls: () => Promise<string>) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-mtx-'));
  try {
    const log = join(dir, 'calls');
    await writeFile(join(dir, 'status'), STATUS);
    await writeFile(join(dir, 'mtx'), `#!/bin/sh\necho "mtx $*" >> ${log}\nif [ "$3" = status ]; then cat ${join(dir, 'status')}; exit 0; fi\nif [ "$4" = 5 ]; then echo "mtx: Request Sense: Source Element Address 1005 is Empty"; exit 1; fi\n`, { mode: 0o755 });
    await writeFile(join(dir, 'mt'), `#!/bin/sh\necho "mt $*" >> ${log}\necho " ONLINE"\n`, { mode: 0o755 });
    const env = { ...process.env, MTX: join(dir, 'mtx'), MT: join(dir, 'mt'), TMPDIR: dir };
    const run = async (...args: string[]) => {
      try {
        const { stdout, stderr } = await promisify(execFile)('/bin/sh', [SCRIPT, ...args], { env });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };
    await fn(run, () => readFile(log, 'utf8').catch(() => ''));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('mtx-changer: fewer arguments than the contract\'s minimum is exit 1 with its usage', () => withFakes(async (run, calls) => {
  for (const args of [['/dev/sg1'], ['/dev/sg1', 'load', '3', '/dev/nst0'], ['/dev/sg1', 'transfer', '3'], ['/dev/sg1', 'eject', '1', '/dev/nst0', '0']]) {
    const r = await run(...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, /usage: mtx-changer CTL-DEVICE COMMAND/);
  }
  assert.equal(await calls(), '', 'mtx was never run');
}));

test('mtx-changer: list, listall, loaded and slots from mtx status meet the contract', () => withFakes(async (run) => {
  const list = await run('/dev/sg1', 'list');
  assert.equal(list.code, 0, list.stderr);
  assert.equal(list.stdout, '1:A00001L6\n2:A00002L6\n4:\n7:CLN001L1\n3:A00003L6\n');
  assert.deepEqual(parseList(list.stdout).problems, []);
  const all = await run('/dev/sg1', 'listall');
  assert.equal(all.stdout, 'D:0:F:3:A00003L6\nD:1:E\nS:1:F:A00001L6\nS:2:F:A00002L6\nS:3:E\nS:4:F:\nS:5:E\nS:6:E\nS:7:F:CLN001L1\nI:8:F:B00001L6\n');
  assert.equal(parseListall(all.stdout).length, 10);
  assert.equal(parseLoaded((await run('/dev/sg1', 'loaded', '0', '/dev/nst0', '0')).stdout), 3);
  assert.equal(parseLoaded((await run('/dev/sg1', 'loaded', '0', '/dev/nst1', '1')).stdout), 0);
  assert.equal(parseSlots((await run('/dev/sg1', 'slots')).stdout), 8);
}));

test('mtx-changer: load waits for the drive, unload and transfer call mtx, and mtx\'s empty-slot words pass through', () => withFakes(async (run, calls) => {
  assert.equal((await run('/dev/sg1', 'load', '2', '/dev/nst1', '1')).code, 0);
  assert.equal((await run('/dev/sg1', 'unload', '2', '/dev/nst1', '1')).code, 0);
  assert.equal((await run('/dev/sg1', 'transfer', '2', '6')).code, 0);
  const empty = await run('/dev/sg1', 'load', '5', '/dev/nst1', '1');
  assert.equal(empty.code, 1);
  assert.match(empty.stdout, /Source Element Address 1005 is Empty/);
  assert.equal(await calls(), 'mtx -f /dev/sg1 load 2 1\nmt -f /dev/nst1 status\nmtx -f /dev/sg1 unload 2 1\nmtx -f /dev/sg1 transfer 2 6\nmtx -f /dev/sg1 load 5 1\n');
}));
