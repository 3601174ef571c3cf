/**
 * Verify with real daemons, each level, on a FileSet with Bareos's stock Signature,
 * XXH128: InitCatalog then Catalog (a tripwire) and DiskToCatalog name a modified and
 * a deleted file; VolumeToCatalog and Data pass on a sound volume and, after one block
 * of the volume is damaged, name the file it held. A restore checks every digest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { compareTrees } from '../harness/tree.js';

const VERIFY_JOB = `Job { Name = verify-test; Type = Verify; Level = Catalog; Client = test-fd; FileSet = TestSet; Pool = Full; Storage = File
  Messages = Standard; Verify Job = backup-test }`;

/** The job report's closing line. */
function termination(out: string): string {
  return /Termination:\s+(.*)/.exec(out)?.[1]?.trim() ?? `(no Termination line in)\n${out}`;
}

test('each verify level names a modified file, a deleted file and a damaged volume block', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-verify-'));
  mkdirSync(join(src, 'docs'));
  for (let i = 0; i < 10; i++) writeFileSync(join(src, 'docs', `f${i}.txt`), `file ${i}\n`);
  writeFileSync(join(src, 'big.bin'), randomBytes(6 * 1024 * 1024));
  const burrow = await Burrow.start({ include: [src], options: ['Signature = XXH128', 'Verify = pins5'], directorResources: VERIFY_JOB });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const run = (level: string): Promise<{ code: number | null; stdout: string }> =>
    burrow.console([`run job=verify-test level=${level} yes`, 'wait', 'messages']);

  const init = await run('InitCatalog');
  assert.equal(init.code, 0, init.stdout + burrow.logs());
  assert.equal(termination(init.stdout), 'Verify OK');
  const clean = await run('Catalog');
  assert.equal(termination(clean.stdout), 'Verify OK', clean.stdout);
  assert.doesNotMatch(clean.stdout, /New file|differs|not on disk/);

  const full = await burrow.console(['run job=backup-test level=Full yes', 'wait', 'messages']);
  assert.equal(full.code, 0, full.stdout + burrow.logs());
  const where = join(burrow.dir, 'restored');
  const restore = await burrow.console([`restore client=test-fd select current all done yes where=${where}`, 'wait', 'messages']);
  assert.match(restore.stdout, /Termination:\s+Restore OK\n/, restore.stdout);
  assert.doesNotMatch(restore.stdout, /digest|not verified/i, 'every XXH128 digest was checked and matched');
  assert.deepEqual(compareTrees(src, join(where, src)), []);

  const modified = join(src, 'docs', 'f3.txt');
  const deleted = join(src, 'docs', 'f7.txt');
  const added = join(src, 'docs', 'new.txt');
  appendFileSync(modified, 'tampered\n');
  rmSync(deleted);
  writeFileSync(added, 'new\n');

  for (const level of ['Catalog', 'DiskToCatalog']) {
    const v = await run(level);
    assert.equal(v.code, 0, v.stdout + burrow.logs());
    const out = v.stdout;
    // The catalog's XXH128 against the file's, in base64 as Bareos's catalog shows digests.
    assert.match(out, new RegExp(`File: ${modified}: .*size differs \\(Cat: 7 File: 16\\).*XXH128 differs \\(Cat: [A-Za-z0-9+/]{22} File: [A-Za-z0-9+/]{22}\\)`), `${level}:\n${out}`);
    assert.match(out, /in the Catalog but not on disk/, out);
    assert.match(out, new RegExp(`^.*JobId \\d+:       ${deleted}$`, 'm'), out);
    assert.match(out, new RegExp(`New file: ${added}`), out);
    assert.doesNotMatch(out, /f5\.txt/, 'an unchanged file is not named');
    assert.match(out, new RegExp(`Verify Level:\\s+${level}`));
    assert.equal(termination(out), 'Verify OK -- with warnings', out);
  }

  for (const level of ['VolumeToCatalog', 'Data']) {
    const v = await run(level);
    assert.equal(v.code, 0, v.stdout + burrow.logs());
    assert.match(v.stdout, /Files Expected:\s+13/, v.stdout);
    assert.match(v.stdout, /Files Examined:\s+13/, v.stdout);
    assert.equal(termination(v.stdout), 'Verify OK', v.stdout);
  }

  // Each verify job's level is in the catalog as Bareos's letter, and shown so.
  const listed = await burrow.console(['list jobs job=verify-test', 'llist jobid=1']);
  const levels = listed.stdout.split('\n').filter((l) => /\| verify-test\s/.test(l)).map((l) => l.split('|').map((c) => c.trim())[5]);
  assert.deepEqual(levels, ['V', 'C', 'C', 'd', 'O', 'A'], listed.stdout);
  assert.match(listed.stdout, /level: V\n/, listed.stdout);

  // Damage one byte in the middle of the volume: inside the big file's data.
  const [volume] = readdirSync(burrow.volumes);
  assert.ok(volume, 'a volume was written');
  const path = join(burrow.volumes, volume);
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.from([0xff, 0x00, 0xff]), 0, 3, Math.floor(statSync(path).size / 2));
  closeSync(fd);

  for (const level of ['VolumeToCatalog', 'Data']) {
    const v = await run(level);
    assert.notEqual(v.code, 0, 'wait fails for a verify that ends in Error');
    const out = v.stdout;
    // Three changed bytes match some single flipped bit's CRC syndrome about once in 500
    // blocks (volume/bit-repair.ts): then the block is "repaired" wrongly, said so in the
    // log, and the file's digest is what names it, as below.
    assert.match(out, /damaged data on Volume at address \d+|damaged block on Volume at address \d+, repaired/, `${level}:\n${out}`);
    assert.match(out, new RegExp(`File: ${join(src, 'big.bin')}: XXH128 differs`), `${level}:\n${out}`);
    assert.doesNotMatch(out, /f5\.txt/, 'an intact file is not named');
    assert.equal(termination(out), '*** Verify Error ***', out);
  }
});
