import assert from 'node:assert/strict';
import { chmod, chown, lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { burrow } from '@burrow/common/proto/generated';
import { asBuffer, type FileIssue, type FileRecord } from '../backup/index.js';
import { RestoreWriter } from './index.js';
import { checkOwnLocation, ownerOf, primaryGroup, type RestoreOwner } from './owner.js';
import { tempDir } from './testing.js';
import { Hashers } from '../digest/hashers.js';

const T = burrow.FileType;
const USER: RestoreOwner = { uid: 2001, gid: 2001 };
const root = process.getuid?.() === 0;

function attrs(index: number, path: string, more: burrow.FileAttributes.$Properties = {}): FileRecord {
  const a = { path: Buffer.from(path), type: T.FT_REGULAR, mode: 0o644, uid: USER.uid, gid: USER.gid, mtime: { sec: 1_600_000_000, nsec: 0 }, ...more };
  return { fileIndex: index, stream: burrow.Stream.STREAM_ATTRIBUTES, data: asBuffer(burrow.FileAttributes.encode(a).finish()) };
}

async function restoreAs(owner: RestoreOwner, where: string, records: FileRecord[]) {
  const issues: FileIssue[] = [];
  const w = new RestoreWriter({ where: Buffer.from(where), replace: 'always', owner, signal: new AbortController().signal, onFileIssue: (i) => issues.push(i), hashers: await Hashers.create() });
  for (const r of records) await w.accept(r);
  return { totals: await w.finish(), issues };
}

/** A directory of the user's, inside a root-only temp directory. */
async function userHome(base: string, name = 'home'): Promise<string> {
  const home = join(base, name);
  await mkdir(home, { mode: 0o700 });
  await chown(home, USER.uid, USER.gid);
  return home;
}

describe("a user's own restore", { skip: !root && 'needs root' }, () => {
  it('makes every entry theirs, drops setgid to another group and the privileged xattrs, and makes no device', async () => {
    await using box = await tempDir('owner');
    const home = await userHome(box.path);
    const { totals, issues } = await restoreAs(USER, home, [
      attrs(1, '/srv/d', { type: T.FT_DIRECTORY, mode: 0o2775, gid: 0 }),
      attrs(2, '/srv/d/tool', { mode: 0o6755, gid: 0, xattrs: [{ name: Buffer.from('security.capability'), value: Buffer.from([1, 0, 0, 2]) }] }),
      attrs(3, '/srv/d/theirs', { mode: 0o4755, uid: 2002, gid: 2002 }),
      attrs(4, '/srv/d/disk', { type: T.FT_BLOCK_DEVICE, rdevMajor: 8, rdevMinor: 0, mode: 0o666 }),
      attrs(5, '/srv/d/link', { type: T.FT_SYMLINK, linkTarget: Buffer.from('/etc/shadow'), uid: 0, gid: 0 }),
    ]);
    assert.equal(totals.files, 4, JSON.stringify(issues));
    assert.deepEqual(issues.map((i) => i.code), ['NOT_OWNER']);
    assert.match(issues[0]?.message ?? '', /device node/);
    for (const p of ['srv', 'srv/d', 'srv/d/tool', 'srv/d/theirs', 'srv/d/link']) {
      const st = await lstat(join(home, p));
      assert.deepEqual([p, st.uid, st.gid], [p, USER.uid, USER.gid]);
    }
    assert.equal((await lstat(join(home, 'srv/d'))).mode & 0o7777, 0o775);
    assert.equal((await lstat(join(home, 'srv/d/tool'))).mode & 0o7777, 0o4755, 'setuid to the user kept');
    assert.equal((await lstat(join(home, 'srv/d/theirs'))).mode & 0o7777, 0o755, "another owner's setuid dropped");
    await assert.rejects(lstat(join(home, 'srv/d/disk')));
  });

  it("leaves an entry of someone else's alone", async () => {
    await using box = await tempDir('owner');
    const home = await userHome(box.path);
    await mkdir(join(home, 'x'));
    await chown(join(home, 'x'), USER.uid, USER.gid);
    await writeFile(join(home, 'x', 'f'), 'root planted this\n');
    const { issues } = await restoreAs(USER, home, [attrs(1, '/x/f')]);
    assert.deepEqual(issues.map((i) => i.code), ['NOT_OWNER']);
    assert.equal(await readFile(join(home, 'x', 'f'), 'utf8'), 'root planted this\n');
    assert.equal((await lstat(join(home, 'x', 'f'))).uid, 0);
  });

  it('accepts only an existing directory the user may write, reached without a symlink', async () => {
    await using box = await tempDir('owner');
    const home = await userHome(box.path);
    checkOwnLocation(Buffer.from(home), USER);
    const shared = join(box.path, 'shared');
    await mkdir(shared);
    await chown(shared, 0, USER.gid);
    await chmod(shared, 0o770);
    checkOwnLocation(Buffer.from(shared), USER);
    await symlink(home, join(box.path, 'via-link'));
    const refused: Array<[string, RegExp]> = [
      [box.path, /may not write/],
      [join(box.path, 'via-link'), /symlink/],
      [join(box.path, 'via-link', 'below'), /symlink/],
      [join(box.path, 'missing'), /does not exist/],
      ['', /not the original places/],
      ['/', /not \//],
    ];
    for (const [where, why] of refused) {
      assert.throws(() => checkOwnLocation(Buffer.from(where), USER), (e: Error & { code?: string }) => e.code === 'NOT_OWNER' && why.test(e.message), where);
    }
    await assert.rejects(restoreAs(USER, join(box.path, 'via-link'), [attrs(1, '/f')]), /symlink/);
  });
});

describe('the restore owner', () => {
  it("takes the group from the client's passwd when the Director gave none", async () => {
    await using box = await tempDir('owner');
    const passwd = join(box.path, 'passwd');
    await writeFile(passwd, 'root:x:0:0::/root:/bin/sh\nann:x:2001:100::/home/ann:/bin/sh\n');
    assert.equal(primaryGroup(2001, await readFile(passwd, 'utf8')), 100);
    assert.deepEqual(ownerOf({ uid: 2001, gid: -1 }, passwd), { uid: 2001, gid: 100 });
    assert.deepEqual(ownerOf({ uid: 2001, gid: 5 }, passwd), { uid: 2001, gid: 5 });
    assert.throws(() => ownerOf({ uid: 2002, gid: -1 }, passwd), /Restore Owner = 2002:<gid>/);
    assert.throws(() => ownerOf({ uid: 0, gid: 0 }, passwd), /uid 0/);
  });
});
