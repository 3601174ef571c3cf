/**
 * Issue 3 end to end: a tree with every kind of Linux entry (harness/kinds.ts) goes
 * through a real backup and restore and must come back identical — names as bytes,
 * types, modes, owners, sizes, contents, link targets, hard-link groups, sparse
 * allocation, device numbers, xattrs, ACLs, atimes and mtimes to the nanosecond —
 * and a file with an awkward name is listed escaped and restored by that name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayPath } from '@burrow/common/names/index';
import { Burrow } from '../harness/daemons.js';
import { buildEveryKind, removeTree } from '../harness/kinds.js';
import { compareTrees } from '../harness/tree.js';

test('every kind of Linux entry comes back exactly', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-kinds-'));
  const tree = await buildEveryKind(src);
  for (const u of tree.unsupported) t.diagnostic(`not supported on ${tmpdir()} here, so not checked: ${u}`);
  const burrow = await Burrow.start({ include: [src], options: ['Signature = SHA256', 'Sparse = yes'], labelFormat: 'Kinds-' });
  t.after(async () => {
    await burrow.stop().catch(() => removeTree(burrow.dir));
    removeTree(burrow.dir);
    removeTree(src);
  });

  const backup = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.equal(backup.code, 0, `${backup.stdout}\n${burrow.logs()}`);
  assert.match(backup.stdout, /Termination:\s+Backup OK\n/, backup.stdout);

  const awkward = Buffer.concat([Buffer.from(`${src}/`), tree.awkwardName]);
  const listed = await burrow.console(['list files jobid=1']);
  assert.ok(listed.stdout.includes(displayPath(awkward)), `list files shows ${displayPath(awkward)}:\n${listed.stdout.slice(0, 2000)}`);

  const where = join(burrow.dir, 'restored');
  const restore = await burrow.console([`restore client=test-fd select current all done yes where=${where}`, 'wait', 'messages']);
  assert.equal(restore.code, 0, `${restore.stdout}\n${burrow.logs()}`);
  assert.match(restore.stdout, /Termination:\s+Restore OK\n/, restore.stdout);
  assert.deepEqual(compareTrees(src, join(where, src), tree.excluded, { atime: true }), []);

  // By name: the escaped form bconsole shows is the form it takes back.
  const one = join(burrow.dir, 'one');
  const byName = await burrow.console([`restore client=test-fd select current file=${displayPath(awkward)} yes where=${one}`, 'wait', 'messages']);
  assert.equal(byName.code, 0, `${byName.stdout}\n${burrow.logs()}`);
  assert.match(byName.stdout, /1 files selected/);
  assert.match(byName.stdout, /Termination:\s+Restore OK\n/);
  assert.equal(readFileSync(Buffer.concat([Buffer.from(one), awkward])).toString(), 'name 1');
});
