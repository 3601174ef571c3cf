/**
 * An ordinary user's console (Console "Restore Owner", docs/user-restores.md) gets back
 * exactly their own files, only into a directory of theirs, and everything restored
 * belongs to them; another user's file cannot be named, another user's directory
 * cannot be the target.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Burrow } from '../harness/daemons.js';

const ME = 2001;
const OTHER = 2002;

function own(path: string, uid: number, mode?: number): void {
  chownSync(path, uid, uid);
  if (mode !== undefined) chmodSync(path, mode);
}

/** Every entry below `dir`, relative, with its owner and mode. */
function entries(dir: string): Array<{ path: string; uid: number; gid: number; mode: number; dir: boolean }> {
  const out: Array<{ path: string; uid: number; gid: number; mode: number; dir: boolean }> = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const st = lstatSync(join(dir, name));
    out.push({ path: name, uid: st.uid, gid: st.gid, mode: st.mode & 0o7777, dir: st.isDirectory() });
  }
  return out;
}

test("a user's console restores exactly that user's files, as theirs, into their own directory", { skip: process.getuid?.() !== 0 && 'needs root to chown' }, async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-owner-src-'));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  mkdirSync(join(src, 'u1', 'sub'), { recursive: true });
  mkdirSync(join(src, 'u2'));
  mkdirSync(join(src, 'shared'));
  writeFileSync(join(src, 'u1', 'a.txt'), 'mine\n');
  writeFileSync(join(src, 'u1', 'sub', 'b.txt'), 'mine too\n');
  writeFileSync(join(src, 'u1', 'tool'), '#!/bin/sh\n');
  writeFileSync(join(src, 'u2', 'c.txt'), 'theirs\n');
  writeFileSync(join(src, 'shared', 'mine.txt'), 'mine in a shared place\n');
  writeFileSync(join(src, 'shared', 'theirs.txt'), 'theirs in a shared place\n');
  writeFileSync(join(src, 'root.txt'), "root's\n");
  for (const p of ['u1', 'u1/sub', 'u1/a.txt', 'u1/sub/b.txt', 'shared/mine.txt']) own(join(src, p), ME);
  for (const p of ['u2', 'u2/c.txt', 'shared', 'shared/theirs.txt']) own(join(src, p), OTHER);
  // Setuid to its own owner stays; setgid to root's group would hand out a group: dropped.
  chownSync(join(src, 'u1', 'tool'), ME, 0);
  chmodSync(join(src, 'u1', 'tool'), 0o6755);

  const homes = mkdtempSync(join(tmpdir(), 'burrow-owner-homes-'));
  t.after(() => rmSync(homes, { recursive: true, force: true }));
  chmodSync(homes, 0o755);
  const mine = join(homes, 'u2001');
  const theirs = join(homes, 'u2002');
  mkdirSync(mine);
  mkdirSync(theirs);
  own(mine, ME, 0o700);
  own(theirs, OTHER, 0o700);

  const burrow = await Burrow.start({
    include: [src],
    directorResources: `
Console { Name = u2001; Password = "u2001-secret"; Restore Owner = ${ME}:${ME}
  JobACL = backup-test, RestoreFiles; ClientACL = test-fd; StorageACL = *all*; PoolACL = *all*; FileSetACL = *all*
  CatalogACL = *all*; WhereACL = "${homes}"
  CommandACL = restore, list, llist, wait, messages, .api }`,
  });
  t.after(() => burrow.stop());
  const admin = await burrow.console(['run job=backup-test yes', 'wait']);
  assert.equal(admin.code, 0, admin.stdout + burrow.logs());

  const conf = join(burrow.dir, 'etc', 'u2001.conf');
  writeFileSync(conf, `Director { Name = test-dir; Address = 127.0.0.1; DIRport = ${burrow.ports.dir}; Password = "unused" }
Console { Name = u2001; Password = "u2001-secret" }\n`);
  const user = (lines: string[]) => burrow.console(lines, conf);

  // Another user's file, named outright: nothing is selected, and the console says why.
  const named = await user([`restore client=test-fd jobid=1 file=${join(src, 'u2', 'c.txt')} where=${mine} yes`]);
  assert.notEqual(named.code, 0, named.stdout);
  assert.match(named.stdout, /among the files of uid 2001, the only ones this console restores/);

  const listed = await user(['list files jobid=1']);
  assert.match(listed.stdout, /u1\/sub\/b\.txt/);
  assert.doesNotMatch(listed.stdout, /theirs|c\.txt|root\.txt/, "another user's names stay unknown");

  // Another user's directory as the target: the client refuses the job before writing anything.
  const elsewhere = await user([`restore client=test-fd jobid=1 all where=${theirs} yes`, 'wait', 'messages']);
  assert.match(elsewhere.stdout, /which uid 2001 may not write/, elsewhere.stdout + burrow.logs());
  assert.deepEqual(readdirSync(theirs), []);

  const done = await user([`restore client=test-fd jobid=1 all where=${mine} yes`, 'wait', 'messages']);
  assert.equal(done.code, 0, done.stdout + burrow.logs());
  assert.match(done.stdout, /Job queued/);
  const restored = entries(mine);
  const files = restored.filter((e) => !e.dir).map((e) => relative(src.slice(1), e.path)).sort();
  assert.deepEqual(files, ['shared/mine.txt', 'u1/a.txt', 'u1/sub/b.txt', 'u1/tool']);
  for (const e of restored) assert.deepEqual([e.path, e.uid, e.gid], [e.path, ME, ME], `${e.path} belongs to the user`);
  const tool = restored.find((e) => e.path.endsWith('u1/tool'));
  assert.equal(tool?.mode, 0o4755, 'setuid to its own owner kept, setgid to another group dropped');
  assert.equal(existsSync(join(mine, src, 'u2')), false);
});
