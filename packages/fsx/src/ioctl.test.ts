/** fsx's ioctl: the size check before the call, and the kernel's answer on a file that is not a tape. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBinding } from './binding.js';
import { ioctl } from './index.js';

/** MTIOCGET on x86_64 Linux: _IOR('m', 2, struct mtget), 48 bytes. */
const MTIOCGET = 0x80306d02;

// An addon built before ioctl was added (a checkout not reinstalled since) cannot run this.
const stale = typeof (loadBinding() as { ioctl?: unknown }).ioctl !== 'function' && 'the fsx addon predates ioctl: rebuild it with `npx --yes pnpm@9.15.9 rebuild -F @burrow/fsx`';

test('ioctl refuses a Buffer whose size the request does not encode, and passes the kernel\'s errno on', { skip: stale }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-fsx-'));
  const path = join(dir, 'not-a-tape');
  writeFileSync(path, '');
  const fd = openSync(path, 'r');
  try {
    assert.throws(() => ioctl(fd, MTIOCGET, Buffer.alloc(40)), RangeError);
    assert.throws(() => ioctl(fd, 0x6d02, Buffer.alloc(48)), RangeError, 'a request without a size is not taken');
    // A regular file knows no tape ioctl: ENOTTY, as node's own errors are shaped.
    assert.throws(() => ioctl(fd, MTIOCGET, Buffer.alloc(48)), (e: NodeJS.ErrnoException) => e.code === 'ENOTTY' && e.syscall === 'ioctl');
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});
