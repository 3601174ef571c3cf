/**
 * A virtual tape (Device Type = VTape) on the real daemons (issue 13, section 1): a
 * blank cartridge is labelled with the label command, two Full backups are appended to
 * it, each restores exactly, and one file is restored on its own, the Storage daemon
 * reading about that file's piece and not the 5 MB before it. Maximum Block Size and
 * Maximum File Size make the backups many tape files, as on a real drive, with a
 * JobMedia row each; the cartridge file is read back here to check what is on the "tape".
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { buildSampleTree, compareTrees } from '../harness/tree.js';
import { TAPE_DIRECTOR_RESOURCES, vtapeDevice } from '../harness/changer.js';
import { apiResult, bytesReadBy } from '../harness/checks.js';

/** The cartridge's entries (docs/vtape-format.md): record lengths, 0 for a filemark. */
function entries(path: string): number[] {
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(0, 8).toString('latin1'), 'BRWVTAPE');
  const out: number[] = [];
  for (let at = 64; at + 4 <= bytes.length;) {
    const n = bytes.readUInt32LE(at);
    out.push(n);
    at += 4 + n;
  }
  return out;
}

describe('a virtual tape drive', () => {
  let src: string;
  let burrow: Burrow;
  let cartridge: string;
  let tapes: string;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-vtape-src-'));
    buildSampleTree(src);
    mkdirSync(join(src, 'big'));
    for (let i = 0; i < 4; i++) writeFileSync(join(src, 'big', `part${i}.bin`), randomBytes(200_000 + i * 1000));
    tapes = mkdtempSync(join(tmpdir(), 'burrow-vtape-'));
    cartridge = join(tapes, 'drive0');
    writeFileSync(cartridge, ''); // a blank cartridge in the drive
    burrow = await Burrow.start({
      include: [src],
      sdResources: vtapeDevice({ name: 'Tape0', archiveDevice: cartridge, capacity: '100M', more: 'Maximum File Size = 256k' }),
      directorResources: TAPE_DIRECTOR_RESOURCES,
    });
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
    rmSync(tapes, { recursive: true, force: true });
  });

  it('labels the blank cartridge, appends two backups to it and restores each exactly', async () => {
    const label = await burrow.console(['label storage=Tape volume=TAPE-0001 pool=Tapes']);
    assert.equal(label.code, 0, label.stdout + burrow.logs());
    assert.match(label.stdout, /Volume "TAPE-0001"/);
    assert.deepEqual(entries(cartridge).map((n) => (n === 0 ? 'F' : 'r')).join(''), 'rF', 'a label record and a filemark');

    for (const jobid of [1, 2]) {
      const backup = await burrow.console(['run job=backup-tape yes', `wait jobid=${jobid}`, 'messages']);
      assert.match(backup.stdout, /Termination:\s+Backup OK\n/, backup.stdout + burrow.logs());
      assert.match(backup.stdout, /Volume name\(s\):\s+TAPE-0001/);
      assert.match(backup.stdout, /Using Device "Tape0" to write/);
    }
    const tape = entries(cartridge);
    assert.ok(tape.every((n) => n <= 64 * 1024), 'no record above Maximum Block Size');
    const marks = tape.filter((n) => n === 0).length;
    // 5.3 MB per backup in tape files of at most 256 KiB: at least 20 each, and the label's.
    assert.ok(marks >= 41, `${marks} filemarks on the cartridge`);
    // One JobMedia row per tape file (Bareos's rows per filemark), each inside its own.
    const rows = (await apiResult<{ jobmedia: Array<{ jobid: number; volindex: number; startfile: number; endfile: number; firstindex: number; lastindex: number }> }>(burrow, 'list jobmedia')).jobmedia;
    for (const jobid of [1, 2]) {
      const own = rows.filter((r) => r.jobid === jobid);
      assert.ok(own.length >= 20, `JobId ${jobid}: ${own.length} JobMedia rows`);
      assert.deepEqual(own.map((r) => r.volindex), own.map((_, i) => i + 1));
      assert.ok(own.every((r, i) => r.startfile === r.endfile && (i === 0 || r.startfile === own[i - 1]!.endfile + 1)), JSON.stringify(own));
    }

    for (const jobid of [1, 2]) {
      const where = join(burrow.dir, `restored-${jobid}`);
      const restore = await burrow.console([`restore client=test-fd jobid=${jobid} storage=Tape all yes where=${where}`, 'wait', 'messages']);
      assert.match(restore.stdout, /Termination:\s+Restore OK\n/, restore.stdout + burrow.logs());
      assert.deepEqual(compareTrees(src, join(where, src)), []);
    }
  });

  it('restores one file of the second backup on its own, reading its piece of the tape only', async (t) => {
    const name = join(src, 'big', 'part3.bin');
    const where = join(burrow.dir, 'one');
    const before = bytesReadBy(burrow, 'sd');
    const r = await burrow.console([`restore client=test-fd jobid=2 storage=Tape file=${name} yes where=${where}`, 'wait', 'messages']);
    const read = bytesReadBy(burrow, 'sd') - before;
    assert.match(r.stdout, /Termination:\s+Restore OK\n/, r.stdout + burrow.logs());
    assert.deepEqual(readFileSync(join(where, name)), readFileSync(name));
    // The label, then fsf and fsr to the file's block: its 203 kB in 64 KiB blocks and the
    // next, not the first backup's 5.3 MB and the three files before it in the second.
    assert.ok(read < 600_000, `the SD read ${read} bytes for a 203 kB file behind 6 MB of tape`);
    t.diagnostic(`one 203 kB file behind 6 MB of tape: the SD read ${read} bytes`);
  });
});
