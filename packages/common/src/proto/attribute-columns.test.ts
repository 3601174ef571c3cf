import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '../errors/index.js';
import { attributeColumns } from './attribute-columns.js';
import { burrow, timestampToMs } from './index.js';

function encoded(attrs: burrow.IFileAttributes): Buffer {
  return Buffer.from(burrow.FileAttributes.encode(attrs).finish());
}

test('the catalog columns (and the owner) read off a record equal those of the whole decoded message', () => {
  const cases: burrow.IFileAttributes[] = [
    { path: Buffer.from('/etc/hosts'), type: burrow.FileType.FT_REGULAR, size: 1234, mtime: { sec: 1_700_000_000, nsec: 999_999_999 } },
    // Names are bytes, not UTF-8; sizes beyond 32 bits; times before 1970; every other field present.
    {
      path: Buffer.from([0x2f, 0xff, 0xfe, 0x00, 0x41]), type: burrow.FileType.FT_SYMLINK, size: 2 ** 40 + 3,
      mtime: { sec: -86_401, nsec: 500_000_000 }, atime: { sec: 5 }, ctime: { sec: 6 }, mode: 0o4755, uid: 2 ** 33, gid: 7,
      linkTarget: Buffer.from('../x'), xattrs: [{ name: Buffer.from('user.a'), value: Buffer.alloc(3000, 1) }],
      aclAccess: Buffer.from('acl'), sparse: true, restoreCommand: 'cat', nlink: 3, dev: 2 ** 50, ino: 99,
    },
    {}, // every column at its default
  ];
  for (const attrs of cases) {
    const whole = burrow.FileAttributes.decode(encoded(attrs));
    const got = attributeColumns(encoded(attrs));
    assert.deepEqual(
      { path: Buffer.from(got.path), type: got.type, size: got.size, mtime: got.mtimeMs, uid: got.uid },
      { path: Buffer.from(whole.path), type: whole.type, size: Number(whole.size), mtime: timestampToMs(whole.mtime), uid: Number(whole.uid) },
    );
  }
});

test('a record that is not a well-formed message is refused by name', () => {
  const good = encoded({ path: Buffer.from('/a/long/enough/path'), type: 1, size: 70_000, mtime: { sec: 1 } });
  const bad = [
    good.subarray(0, good.length - 3), // cut inside the mtime
    good.subarray(0, 5), // cut inside the path
    Buffer.from([0x00, 0x01]), // field number 0
    Buffer.from([0x0f, 0x01]), // wire type 7
  ];
  for (const bytes of bad) {
    assert.throws(() => attributeColumns(bytes), (e: unknown) => e instanceof BurrowError && e.code === 'PROTOCOL' && /undecodable attributes record/.test(e.message));
  }
});
