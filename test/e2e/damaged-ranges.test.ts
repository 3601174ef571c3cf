/**
 * Damaged volumes cost only the files in the damaged range (issue 14, part 2): a real
 * volume of 60 files over several blocks is copied and, in each copy, a range is zeroed,
 * bytes are inserted (everything after shifts), or the end is cut off. bextract reads
 * each copy with no catalog: every file outside the damaged blocks comes back byte for
 * byte, every file it does not bring back whole is named on stderr (by path, or by
 * FileIndex where its attributes were lost with the block, or as the files after the
 * last one a cut-off volume still holds), and nothing is restored wrong without an error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { BIN } from '../harness/paths.js';
import { expectingConsole, runTool, tidyUp } from '../harness/recovery.js';

interface Saved {
  index: number;
  name: string;
  /** The address of the block its attributes record starts in, and of the block the next file's does. */
  from: number;
  to: number;
}

/** The files of the volume by index, from bls: each file's records lie in the blocks from `from` to `to`. */
function layout(volumes: string, volume: string): { files: Saved[]; blocks: number[] } {
  const listing = runTool(BIN.bls, ['-V', volume, volumes]);
  assert.equal(listing.code, 0, listing.stderr);
  const starts = [...listing.stdout.matchAll(/FileIndex=(\d+) Addr=(\d+) (\S+)$/gm)].map((m) => ({ index: Number(m[1]), addr: Number(m[2]), path: m[3] ?? '' }));
  const end = Number(/End Job Session: .* Addr=(\d+)/.exec(listing.stdout)?.[1]);
  const files = starts.map((s, i) => ({ index: s.index, name: s.path, from: s.addr, to: starts[i + 1]?.addr ?? end }));
  return { files, blocks: [...new Set([...starts.map((s) => s.addr), end])].sort((a, b) => a - b) };
}

interface Damage {
  name: string;
  /** The volume with the damage done. */
  damaged: Buffer;
  /** The file's blocks are within the damage. */
  hit: (f: Saved) => boolean;
}

/** A range zeroed, bytes inserted, the end cut off: each in the block at `middle` (an address). */
function damages(pristine: Buffer, middle: number): Damage[] {
  const zeroed = Buffer.from(pristine);
  zeroed.fill(0, middle + 5000, middle + 5300);
  return [
    { name: 'zeroed', hit: (f) => f.from <= middle && f.to >= middle, damaged: zeroed },
    {
      name: 'shifted', hit: (f) => f.from <= middle && f.to >= middle,
      damaged: Buffer.concat([pristine.subarray(0, middle + 7000), randomBytes(333), pristine.subarray(middle + 7000)]),
    },
    { name: 'cut', hit: (f) => f.to >= middle, damaged: pristine.subarray(0, middle + 9000) },
  ];
}

const VERIFY_JOB = `Job { Name = verify-test; Type = Verify; Level = VolumeToCatalog; Client = test-fd; FileSet = TestSet; Pool = Full; Storage = File
  Messages = Standard; Verify Job = backup-test }`;

test('a zeroed range, inserted bytes and a cut-off end cost only the files in the damaged blocks, each named', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-ranges-'));
  const contents = new Map<string, Buffer>();
  for (let i = 0; i < 60; i++) {
    const name = join(src, `f${String(i).padStart(2, '0')}.bin`);
    contents.set(name, randomBytes(40_000 + i * 700));
    writeFileSync(name, contents.get(name) as Buffer);
  }
  const out = mkdtempSync(join(tmpdir(), 'burrow-ranges-out-'));
  const burrow = await Burrow.start({ include: [src], labelFormat: 'Rng-', directorResources: VERIFY_JOB });
  tidyUp(t, burrow, [src, out]);
  await expectingConsole(burrow)(['run job=backup-test yes'], /Termination:\s+Backup OK\n/);
  const { files: entries, blocks } = layout(burrow.volumes, 'Rng-0001');
  const files = entries.filter((f) => contents.has(f.name)); // not the folder
  assert.ok(blocks.length >= 4, `the files spread over blocks: ${blocks.join(' ')}`);
  const pristine = readFileSync(join(burrow.volumes, 'Rng-0001'));
  const middle = blocks[Math.floor(blocks.length / 2)] as number;

  const cases = damages(pristine, middle);
  for (const c of cases) {
    const archive = join(out, `${c.name}-volumes`);
    mkdirSync(archive);
    writeFileSync(join(archive, 'Rng-0001'), c.damaged);
    const where = join(out, c.name);
    const r = runTool(BIN.bextract, ['-V', 'Rng-0001', archive, where]);
    assert.equal(r.code, 1, `${c.name}: damage is an error\n${r.stderr}`);
    let lost = 0;
    for (const f of files) {
      const restored = join(where, f.name);
      const whole = existsSync(restored) && readFileSync(restored).equals(contents.get(f.name) as Buffer);
      const after = Number(/files after FileIndex (\d+) may be missing/.exec(r.stderr)?.[1] ?? Infinity);
      const named = r.stderr.includes(f.name) || new RegExp(`FileIndex ${f.index}\\b`).test(r.stderr) || f.index > after;
      if (!c.hit(f)) assert.ok(whole, `${c.name}: ${f.name} is outside the damaged blocks and must come back whole\n${r.stderr}`);
      if (!whole) {
        lost++;
        assert.ok(named, `${c.name}: ${f.name} (FileIndex ${f.index}) did not come back whole and is not named\n${r.stderr}`);
      }
    }
    assert.ok(lost > 0, `${c.name}: the damage cost something`);
    t.diagnostic(`${c.name}: ${lost} of ${files.length} files lost, ${files.filter(c.hit).length} in the damaged blocks`);
  }
  // The same damage in place, read by the daemons: a restore and a Verify (VolumeToCatalog,
  // Data) of the job name the same files, the ones the restore did not bring back whole.
  const volume = join(burrow.volumes, 'Rng-0001');
  const ok = expectingConsole(burrow);
  for (const c of cases) {
    writeFileSync(volume, c.damaged);
    const where = join(out, `${c.name}-restore`);
    const restore = await ok([`restore client=test-fd jobid=1 all yes where=${where}`], /Termination:\s+\*\*\* Restore Error \*\*\*\n/);
    const lost = files.filter((f) => {
      const restored = join(where, f.name);
      return !(existsSync(restored) && readFileSync(restored).equals(contents.get(f.name) as Buffer));
    }).map((f) => f.name);
    assert.ok(lost.length > 0, `${c.name}: the damage cost the restore something`);
    for (const name of lost) assert.ok(restore.includes(name), `${c.name}: the restore lost ${name} without naming it\n${restore}`);
    for (const level of ['VolumeToCatalog', 'Data']) {
      const verify = await ok([`run job=verify-test level=${level} yes`], /Termination:\s+\*\*\* Verify Error \*\*\*\n/);
      const named = files.filter((f) => verify.includes(f.name)).map((f) => f.name);
      assert.deepEqual(named, lost, `${c.name} ${level}: the verify names the files the restore lost, and no other\n${verify}\n----- restore\n${restore}`);
    }
    t.diagnostic(`${c.name}: restore and verify each named the ${lost.length} files lost`);
  }
  writeFileSync(volume, pristine);
});
