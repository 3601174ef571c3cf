/** fsx's statAtOrNull: null for a missing name, the entry's stat otherwise, other errors thrown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, constants as fsc } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statAt, statAtOrNull } from './index.js';

test('statAtOrNull: null where nothing is, lstat where something is, ENOTDIR still thrown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-fsx-'));
  writeFileSync(join(dir, 'file'), 'abc');
  symlinkSync('file', join(dir, 'link'));
  const fd = openSync(dir, fsc.O_RDONLY | fsc.O_DIRECTORY);
  try {
    assert.equal(statAtOrNull(fd, Buffer.from('absent')), null);
    const file = statAtOrNull(fd, Buffer.from('file'));
    assert.equal(file?.size, 3);
    assert.deepEqual(file, statAt(fd, Buffer.from('file')));
    // not followed: the link itself, as the restore must see what is in the way
    assert.equal((statAtOrNull(fd, Buffer.from('link'))?.mode ?? 0) & fsc.S_IFMT, fsc.S_IFLNK);
    assert.throws(() => statAtOrNull(fd, Buffer.from('file/below')), (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR' && e.syscall === 'fstatat');
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});
