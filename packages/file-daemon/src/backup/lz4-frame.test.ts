import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createXXHash32 } from 'hash-wasm';
import { BurrowError } from '@burrow/common/errors/index';
import { lz4BlockContentSize, lz4Frame, lz4FrameBound, readLz4Frame, writeLz4Frame } from './lz4-frame.js';

const MiB = 1024 * 1024;
const text = (n: number): Buffer => Buffer.from('the volume is full; label a new one in the pool '.repeat(Math.ceil(n / 48))).subarray(0, n);

async function xxh32(bytes: Uint8Array): Promise<number> {
  return Buffer.from((await createXXHash32(0)).init().update(bytes).digest('binary')).readUInt32BE(0);
}

async function refused(frame: Uint8Array, why: RegExp, max = 16 * MiB): Promise<void> {
  await assert.rejects(readLz4Frame(frame, max), (err: unknown) => err instanceof BurrowError && err.code === 'VOLUME_FORMAT' && why.test(err.message));
}

describe('the LZ4 frame', () => {
  it('writes the header the format asks for, its checksum byte from xxh32 of the descriptor', async () => {
    const f = lz4Frame(Buffer.from('abc'));
    assert.equal(f.readUInt32LE(0), 0x184d2204);
    assert.equal(f[4], 0x60, 'version 01, independent blocks, no checksums');
    assert.equal(f[5], 0x70, '4 MiB blocks');
    assert.equal(f[6], ((await xxh32(f.subarray(4, 6))) >>> 8) & 0xff);
    assert.equal(f.readUInt32LE(f.length - 4), 0, 'end mark');
  });

  it('reads back what it wrote: empty, tiny, compressible, incompressible, and more than one block', async () => {
    const noise = randomBytes(MiB);
    for (const content of [Buffer.alloc(0), Buffer.from('a'), text(64 * 1024), noise, Buffer.concat([text(5 * MiB), noise])]) {
      const frame = lz4Frame(content);
      assert.ok(frame.length <= lz4FrameBound(content.length), `${content.length} bytes: within the bound`);
      assert.ok((await readLz4Frame(frame, 16 * MiB)).equals(content), `${content.length} bytes round trip`);
    }
    assert.ok(lz4Frame(text(MiB)).length < MiB / 10, 'text shrinks');
  });

  it('stores a block that does not shrink as is (size word with the high bit)', () => {
    const noise = randomBytes(100_000);
    const f = lz4Frame(noise);
    assert.equal(f.length, 7 + 4 + noise.length + 4);
    assert.equal(f.readUInt32LE(7), (0x8000_0000 | noise.length) >>> 0);
    assert.ok(f.subarray(11, 11 + noise.length).equals(noise));
  });

  it('splits input past 4 MiB into blocks of 4 MiB', async () => {
    const content = text(9 * MiB);
    const f = lz4Frame(content);
    const sizes: number[] = [];
    for (let at = 7; f.readUInt32LE(at) !== 0; at += 4 + f.readUInt32LE(at)) sizes.push(lz4BlockContentSize(f.subarray(at + 4, at + 4 + f.readUInt32LE(at))));
    assert.deepEqual(sizes, [4 * MiB, 4 * MiB, MiB]);
    assert.ok((await readLz4Frame(f, 16 * MiB)).equals(content));
  });

  it('writes where it is told, and refuses a place too small for the bound', () => {
    const content = text(10_000);
    const out = Buffer.alloc(100 + lz4FrameBound(content.length), 0xee);
    const n = writeLz4Frame(content, out, 100);
    assert.ok(out.subarray(100, 100 + n).equals(lz4Frame(content)));
    assert.ok(out.subarray(0, 100).equals(Buffer.alloc(100, 0xee)), 'nothing before it touched');
    assert.throws(() => writeLz4Frame(content, out, 101), /no room/);
  });

  it('finds a block\'s decoded size by its sequences', () => {
    const content = text(300_000);
    const frame = lz4Frame(content);
    const length = frame.readUInt32LE(7);
    assert.equal(lz4BlockContentSize(frame.subarray(11, 11 + length)), content.length);
  });

  it('verifies checksums and a content size when a frame has them', async () => {
    const content = text(100_000);
    const plain = lz4Frame(content);
    const blockWord = plain.subarray(7, 11);
    const block = plain.subarray(11, 11 + blockWord.readUInt32LE(0));
    const descriptor = Buffer.alloc(10);
    descriptor[0] = 0x60 | 0x10 | 0x08 | 0x04; // block and content checksums, content size
    descriptor[1] = 0x70;
    descriptor.writeBigUInt64LE(BigInt(content.length), 2);
    const u32 = (n: number): Buffer => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(n >>> 0, 0);
      return b;
    };
    const frame = (blockSum: number, contentSum: number): Buffer => Buffer.concat([
      u32(0x184d2204), descriptor, Buffer.alloc(1) /* header checksum, set below */, blockWord, block, u32(blockSum), u32(0), u32(contentSum),
    ]);
    const good = frame(await xxh32(block), await xxh32(content));
    good[14] = ((await xxh32(descriptor)) >>> 8) & 0xff;
    assert.ok((await readLz4Frame(good, 16 * MiB)).equals(content));
    const badBlock = Buffer.from(good);
    badBlock.writeUInt32LE(((await xxh32(block)) ^ 1) >>> 0, 15 + 4 + block.length);
    await refused(badBlock, /block whose checksum is wrong/);
    const badContent = Buffer.from(good);
    badContent.writeUInt32LE(((await xxh32(content)) ^ 1) >>> 0, badContent.length - 4);
    await refused(badContent, /wrong content checksum/);
    const badSize = Buffer.from(good);
    badSize.writeBigUInt64LE(BigInt(content.length + 1), 6);
    badSize[14] = ((await xxh32(badSize.subarray(4, 14))) >>> 8) & 0xff;
    await refused(badSize, /declares 100001 bytes but holds 100000/);
  });

  it('refuses what is not a whole, good frame, with a clear error', async () => {
    const good = lz4Frame(text(200_000));
    await refused(Buffer.from('not lz4 at all'), /magic number/);
    await refused(good.subarray(0, 5), /magic number/);
    const hc = Buffer.from(good);
    hc[6] = (hc[6] as number) ^ 0xff;
    await refused(hc, /header checksum/);
    await refused(good.subarray(0, good.length - 1), /cut short before its end mark/);
    await refused(good.subarray(0, 40), /cut short in a block/);
    await refused(Buffer.concat([good, Buffer.from([1])]), /followed by 1 more bytes/);
    await refused(good, /holds more than 1000 bytes/, 1000);
    const broken = Buffer.from(good);
    broken.fill(0xff, 20, 60); // lengths that run past the block, or offsets before its start
    await refused(broken, /block/);
    const version = Buffer.from(good);
    version[4] = 0xa0;
    await refused(version, /version 2/);
  });
});
