/**
 * bextract end to end (issue 14, the recovery kit): a tree with every kind of Linux
 * entry (harness/kinds.ts) is backed up Full, changed and backed up Incremental by
 * the real daemons; then, with no Director, no catalog and no Storage daemon asked,
 * bextract restores from the volume files alone:
 * - from the job's Write Bootstrap (Full + Incremental): the tree as it is now, exactly
 *   as a restore job brings it back (names as bytes, attributes, hard links, sparse
 *   files, xattrs, ACLs, times);
 * - from the volume names alone (-V): the same;
 * - with an include and an exclude list: only the files they select;
 * - a volume that is not there, or bad arguments: a clear error and nothing written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../harness/recovery.js';
import { Burrow } from '../harness/daemons.js';
import { buildEveryKind, removeTree } from '../harness/kinds.js';
import { compareTrees } from '../harness/tree.js';
import { BIN } from '../harness/paths.js';


test('bextract restores from volumes alone, as a restore job does', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-bextract-'));
  const tree = await buildEveryKind(src);
  for (const u of tree.unsupported) t.diagnostic(`not supported on ${tmpdir()} here, so not checked: ${u}`);
  const out = mkdtempSync(join(tmpdir(), 'burrow-bextract-out-'));
  const bsr = join(out, 'test-fd.bsr');
  const burrow = await Burrow.start({
    include: [src], options: ['Signature = SHA256', 'Sparse = yes'], labelFormat: 'Ext-',
    jobDirectives: [`Write Bootstrap = "${join(out, '%c.bsr')}"`],
  });
  t.after(async () => {
    await burrow.stop().catch(() => removeTree(burrow.dir));
    removeTree(burrow.dir);
    removeTree(src);
    removeTree(out);
  });
  const run = async (line: string): Promise<void> => {
    const r = await burrow.console([line, 'wait', 'messages']);
    assert.match(r.stdout, /Termination:\s+Backup OK\n/, `${r.stdout}\n${burrow.logs()}`);
  };
  await run('run job=backup-test level=Full yes');
  // Changes the Incremental carries: a new file in a new directory, a file rewritten.
  spawnSync('mkdir', [join(src, 'added')]);
  writeFileSync(join(src, 'added', 'new.txt'), 'added after the Full\n');
  writeFileSync(join(src, 'files', 'small'), 'rewritten after the Full\n');
  await run('run job=backup-test level=Incremental yes');
  const volumes = readdirSync(burrow.volumes).filter((n) => n.startsWith('Ext-')).sort();
  assert.ok(volumes.length >= 1);

  const fromBsr = join(out, 'bsr');
  const r1 = runTool(BIN.bextract, ['-b', bsr, burrow.volumes, fromBsr]);
  assert.equal(r1.code, 0, `${r1.stdout}\n${r1.stderr}`);
  assert.match(r1.stdout, /^\d+ files restored\.$/m);
  assert.deepEqual(compareTrees(src, join(fromBsr, src), tree.excluded, { atime: true }), []);

  const fromNames = join(out, 'names');
  const r2 = runTool(BIN.bextract, ['-V', volumes.join('|'), burrow.volumes, fromNames]);
  assert.equal(r2.code, 0, `${r2.stdout}\n${r2.stderr}`);
  assert.deepEqual(compareTrees(src, join(fromNames, src), tree.excluded, { atime: true }), []);

  // -i takes a directory and everything below it, and a name of any bytes; -e leaves out by last name.
  const include = join(out, 'include.list');
  // Not UTF-8 (kinds.ts names/): a list line is bytes.
  const awkward = Buffer.concat([Buffer.from(`${src}/names/`), Buffer.from([0x6e, 0xe9, 0xff, 0xfe])]);
  writeFileSync(include, Buffer.concat([Buffer.from(`${join(src, 'added')}\n${join(src, 'files')}/\n`), awkward, Buffer.from('\n')]));
  const exclude = join(out, 'exclude.list');
  writeFileSync(exclude, 'small\n');
  const picked = join(out, 'picked');
  const r3 = runTool(BIN.bextract, ['-v', '-i', include, '-e', exclude, '-b', bsr, burrow.volumes, picked]);
  assert.equal(r3.code, 0, `${r3.stdout}\n${r3.stderr}`);
  assert.equal(readFileSync(join(picked, src, 'added', 'new.txt'), 'utf8'), 'added after the Full\n');
  assert.equal(readFileSync(Buffer.concat([Buffer.from(picked), awkward])).toString(), 'name 0');
  assert.ok(!existsSync(join(picked, src, 'files', 'small')), 'excluded by its last name');
  assert.ok(readdirSync(join(picked, src, 'files')).length > 0, 'the rest of the included directory is there');
  assert.ok(!existsSync(join(picked, src, 'links-a')), 'not included');
  assert.match(r3.stdout, new RegExp(`^${join(src, 'added', 'new.txt')}$`, 'm'), '-v names each file');

  const missing = runTool(BIN.bextract, ['-V', 'Nope-0001', burrow.volumes, join(out, 'none')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /bextract: .*Nope-0001.*not found/);
  assert.ok(!existsSync(join(out, 'none')), 'nothing written');
  const usage = runTool(BIN.bextract, ['-b', bsr, '-V', volumes[0] ?? '', burrow.volumes, join(out, 'none')]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /give a bootstrap \(-b\) or volume names \(-V\), one of them/);
});
