/** The virtual tape: the tape-semantics suite, its byte layout, its fault hooks. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTapeError } from './raw-tape.js';
import { record, scanFiles, tapeSemantics } from './tape-semantics.js';
import { VirtualTape, VTAPE_FLAG_WRITE_PROTECTED, VTAPE_HEADER_SIZE } from './vtape.js';

async function tempDir(): Promise<{ dir: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-vtape-'));
  return { dir, done: () => rm(dir, { recursive: true, force: true }) };
}

tapeSemantics('virtual tape', async () => {
  const { dir, done } = await tempDir();
  let n = 0;
  let last = '';
  const fresh = async (options = {}): Promise<VirtualTape> => {
    last = join(dir, `tape${++n}`);
    await writeFile(last, '');
    return VirtualTape.open(last, options);
  };
  return {
    blank: () => fresh(),
    reopen: () => VirtualTape.open(last),
    sized: (capacity, earlyWarning) => fresh({ capacity, earlyWarning }),
    unloaded: () => VirtualTape.open(join(dir, 'no-cartridge')),
    worm: () => fresh({ worm: true }),
    writeProtected: async () => {
      const tape = await fresh();
      await tape.write(record(1));
      await tape.close();
      const bytes = await readFile(last);
      bytes.writeUInt16LE(VTAPE_FLAG_WRITE_PROTECTED, 10);
      await writeFile(last, bytes);
      return VirtualTape.open(last);
    },
    cleanup: done,
  };
});

describe('virtual tape', () => {
  it('lays records and filemarks out as docs/vtape-format.md says', async () => {
    const { dir, done } = await tempDir();
    try {
      const path = join(dir, 'tape');
      await writeFile(path, '');
      const tape = await VirtualTape.open(path, { capacity: 1_000_000, earlyWarning: 1000 });
      await tape.write(Buffer.from('abc'));
      await tape.weof(1);
      await tape.close();
      const bytes = await readFile(path);
      assert.equal(bytes.subarray(0, 8).toString('latin1'), 'BRWVTAPE');
      assert.equal(bytes.readUInt16LE(8), 1);
      assert.equal(bytes.readBigUInt64LE(16), 1_000_000n);
      assert.equal(bytes.readBigUInt64LE(24), 1000n);
      assert.deepEqual([...bytes.subarray(VTAPE_HEADER_SIZE)], [3, 0, 0, 0, 0x61, 0x62, 0x63, 0, 0, 0, 0]);
    } finally {
      await done();
    }
  });

  it('refuses a file that is not a cartridge, and leaves it alone', async () => {
    const { dir, done } = await tempDir();
    try {
      const path = join(dir, 'notes.txt');
      await writeFile(path, 'not a tape at all, but long enough to hold a header of sixty-four bytes');
      await assert.rejects(VirtualTape.open(path), (e: unknown) => isTapeError(e, 'EIO') && /not a virtual tape cartridge/.test((e as Error).message));
      assert.equal((await readFile(path, 'utf8')).startsWith('not a tape'), true);
      // The lock is given back, so the drive can be opened again once the file is replaced.
      await writeFile(path, '');
      await (await VirtualTape.open(path)).close();
    } finally {
      await done();
    }
  });

  it('ends the data before a record a crash cut short, and writes over it', async () => {
    const { dir, done } = await tempDir();
    try {
      const path = join(dir, 'tape');
      await writeFile(path, '');
      const tape = await VirtualTape.open(path);
      await tape.write(record(1));
      await tape.write(record(2));
      await tape.weof(0);
      await tape.close(); // writes the filemark
      await truncate(path, (await stat(path)).size - 4 - 10); // the filemark and part of record 2 gone
      const again = await VirtualTape.open(path);
      assert.deepEqual(await scanFiles(again), [1]);
      await again.eom();
      await again.write(record(3));
      await again.rewind();
      const buf = Buffer.alloc(4096);
      assert.equal(await again.read(buf), 512);
      assert.equal(await again.read(buf), 512);
      assert.deepEqual(buf.subarray(0, 512), record(3));
      await again.close();
    } finally {
      await done();
    }
  });

  it('fails the writes and reads it is told to, and can lose its position until a rewind', async () => {
    const { dir, done } = await tempDir();
    try {
      const path = join(dir, 'tape');
      await writeFile(path, '');
      const tape = await VirtualTape.open(path, { faults: { failWrites: [2], failReads: [1], losePositionAfter: 7 } });
      await tape.write(record(1));
      await assert.rejects(tape.write(record(2)), (e: unknown) => isTapeError(e, 'EIO'));
      await tape.write(record(3));
      await tape.weof(1);
      await tape.rewind();
      await assert.rejects(tape.read(Buffer.alloc(1024)), (e: unknown) => isTapeError(e, 'EIO'));
      const buf = Buffer.alloc(1024);
      assert.equal(await tape.read(buf), 512);
      assert.deepEqual(buf.subarray(0, 512), record(3), 'the failed read passed record 1; the failed write wrote nothing');
      assert.deepEqual([(await tape.status()).file, (await tape.status()).block], [0, 2]);
      await tape.read(buf);
      assert.deepEqual([(await tape.status()).file, (await tape.status()).block], [-1, -1], 'position lost');
      await tape.rewind();
      assert.deepEqual([(await tape.status()).file, (await tape.status()).block], [0, 0]);
      assert.equal(tape.stats.bytesRead, 512);
      await tape.close();
      const stuck = await VirtualTape.open(path, { faults: { fsfStuck: true } });
      await stuck.fsf(1);
      assert.equal((await stuck.status()).file, 0);
      await stuck.close();
    } finally {
      await done();
    }
  });

  it('treats a cartridge file it may not write as write-protected', { skip: process.getuid?.() === 0 ? 'root writes anyway' : false }, async () => {
    const { dir, done } = await tempDir();
    try {
      const path = join(dir, 'tape');
      await writeFile(path, '');
      await (await VirtualTape.open(path)).close();
      await chmod(path, 0o444);
      const tape = await VirtualTape.open(path);
      assert.equal((await tape.status()).writeProtected, true);
      await assert.rejects(tape.write(record(1)), (e: unknown) => isTapeError(e, 'EACCES'));
      await tape.close();
    } finally {
      await done();
    }
  });
});
