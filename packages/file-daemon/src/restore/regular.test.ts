import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { constants, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { closeFd, type Fd } from '@burrow/fsx';
import { burrow } from '@burrow/common/proto/index';
import { PendingFile } from './regular.js';
import { DigestThread } from '../digest/thread.js';
import { Hashers } from '../digest/hashers.js';
import { StreamedDigest, type DigestGuess } from './streamed-digest.js';
import { tempDir } from './testing.js';

const MiB = 1024 * 1024;
const digestThread = new DigestThread();
after(() => digestThread.close());

function payload(offset: number, bytes: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeBigUInt64BE(BigInt(offset));
  return Buffer.concat([head, bytes]);
}

function openDir(path: string): Fd {
  return openSync(path, constants.O_RDONLY | constants.O_DIRECTORY);
}

async function pending(dir: Fd, size: number): Promise<PendingFile> {
  const attrs = burrow.FileAttributes.create({ type: burrow.FileType.FT_REGULAR, size, mode: 0o100644, nlink: 1 });
  const digest = { hashers: await Hashers.create(digestThread), guess: burrow.DigestAlgorithm.DIGEST_MD5 };
  return PendingFile.create(dir, { tmp: Buffer.from('.tmp'), final: Buffer.from('file') }, attrs, new StreamedDigest(digest, Number(attrs.size)));
}

describe('a large restored file', () => {
  it('keeps several writes going and gives each payload back once its write ended (the cache drop-behind: e2e/backup-restore)', async () => {
    await using d = await tempDir('regular');
    const dir = openDir(d.path);
    try {
      const size = 80 * MiB;
      const data = randomBytes(size);
      const file = await pending(dir, size);
      let held = 0;
      let mostHeld = 0;
      for (let at = 0; at < size; at += MiB) {
        held++;
        await file.write(burrow.Stream.STREAM_DATA, payload(at, data.subarray(at, at + MiB)), () => held--);
        mostHeld = Math.max(mostHeld, held);
      }
      file.setDigest(burrow.FileDigest.create({ algorithm: burrow.DigestAlgorithm.DIGEST_MD5, value: createHash('md5').update(data).digest() }));
      const { error } = await file.commit();
      assert.equal(error, null);
      assert.equal(held, 0, 'every payload given back');
      assert.ok(mostHeld > 1, 'writes overlapped');
      assert.ok(mostHeld <= 8, `at most 8 MiB of payloads held, saw ${mostHeld}`);
      assert.ok(readFileSync(`${d.path}/file`).equals(data));
    } finally {
      closeFd(dir);
    }
  });

  it('fails on a write that fails while later ones are taken, and abandoning it leaves no file', async (t) => {
    await using d = await tempDir('regular-full');
    await mkdir(`${d.path}/small`);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'none', `${d.path}/small`], { stdio: 'ignore' });
    } catch {
      t.skip('cannot mount a tmpfs here');
      return;
    }
    const dir = openDir(`${d.path}/small`);
    try {
      const size = 16 * MiB;
      const file = await pending(dir, size);
      const chunk = randomBytes(MiB);
      const failed = await (async () => {
        try {
          for (let at = 0; at < size; at += MiB) await file.write(burrow.Stream.STREAM_DATA, payload(at, chunk));
          await file.commit();
          return null;
        } catch (err) {
          return err as NodeJS.ErrnoException;
        }
      })();
      assert.equal(failed?.code, 'ENOSPC');
      await file.abandon();
      assert.deepEqual(execFileSync('ls', ['-A', `${d.path}/small`], { encoding: 'utf8' }), '');
      // Its blocks are free once abandon() resolved: the next file gets the room.
      writeFileSync(`${d.path}/small/next`, randomBytes(3 * MiB));
    } finally {
      closeFd(dir);
      execFileSync('umount', [`${d.path}/small`]);
    }
  });
});

describe('a restored file whose name is free', () => {
  const attrs = burrow.FileAttributes.create({ type: burrow.FileType.FT_REGULAR, size: 5, mode: 0o100640, nlink: 1 });
  const digest = async (): Promise<DigestGuess> => ({ hashers: await Hashers.create(digestThread), guess: burrow.DigestAlgorithm.DIGEST_MD5 });

  it('is written under its own name, with no other name made on the way; its digest is checked once its batch was hashed', async () => {
    await using d = await tempDir('regular-free');
    const dir = openDir(d.path);
    try {
      const guess = await digest();
      const file = PendingFile.createIfFree(dir, Buffer.from('name'), attrs, new StreamedDigest(guess, Number(attrs.size)));
      assert.ok(file !== null);
      await file.write(burrow.Stream.STREAM_DATA, payload(0, Buffer.from('hello')));
      file.setDigest(burrow.FileDigest.create({ algorithm: burrow.DigestAlgorithm.DIGEST_MD5, value: createHash('md5').update('hello').digest() }));
      const later = (check: ((done: (problem: string | null) => void) => void) | undefined): Promise<string | null> => {
        assert.ok(check !== undefined, 'a small file is checked after the fact');
        const answer = new Promise<string | null>((resolve) => check(resolve));
        guess.hashers.flushDeferred();
        return answer;
      };
      const { error, warnings, checkLater } = await file.commit();
      assert.deepEqual({ error, warnings }, { error: null, warnings: [] });
      assert.equal(await later(checkLater), null);
      // A wrong saved digest is found the same way.
      const other = PendingFile.createIfFree(dir, Buffer.from('other'), attrs, new StreamedDigest(guess, Number(attrs.size)))!;
      await other.write(burrow.Stream.STREAM_DATA, payload(0, Buffer.from('hellO')));
      other.setDigest(burrow.FileDigest.create({ algorithm: burrow.DigestAlgorithm.DIGEST_MD5, value: createHash('md5').update('hello').digest() }));
      assert.match(String(await later((await other.commit()).checkLater)), /^digest mismatch: saved 5d41402abc4b2a76b9719d911017c592, restored /);
      await unlink(`${d.path}/other`);
      assert.deepEqual(execFileSync('ls', ['-A', d.path], { encoding: 'utf8' }), 'name\n');
      assert.equal(readFileSync(`${d.path}/name`, 'utf8'), 'hello');
    } finally {
      closeFd(dir);
    }
  });

  it('is not created where the name is taken, and what has it is left alone', async () => {
    await using d = await tempDir('regular-taken');
    writeFileSync(`${d.path}/name`, 'old');
    const dir = openDir(d.path);
    try {
      assert.equal(PendingFile.createIfFree(dir, Buffer.from('name'), attrs, new StreamedDigest(await digest(), Number(attrs.size))), null);
      assert.equal(readFileSync(`${d.path}/name`, 'utf8'), 'old');
    } finally {
      closeFd(dir);
    }
  });

  it('leaves nothing under its name once abandoned', async () => {
    await using d = await tempDir('regular-abandoned');
    const dir = openDir(d.path);
    try {
      const file = PendingFile.createIfFree(dir, Buffer.from('name'), attrs, new StreamedDigest(await digest(), Number(attrs.size)));
      assert.ok(file !== null);
      await file.write(burrow.Stream.STREAM_DATA, payload(0, Buffer.from('he')));
      await file.abandon();
      assert.deepEqual(execFileSync('ls', ['-A', d.path], { encoding: 'utf8' }), '');
    } finally {
      closeFd(dir);
    }
  });
});
