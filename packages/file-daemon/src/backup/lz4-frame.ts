/**
 * The LZ4 frame format (the one `lz4` and every LZ4 library read: magic 0x184D2204,
 * a frame descriptor, blocks, an end mark) written and read around lz4_flex's block
 * codec compiled to WebAssembly (lz4-wasm-nodejs). A data record of stream 5 holds one
 * such frame (docs/volume-format.md).
 *
 * Why not a native binding: lz4-napi, used before, links mimalloc, which keeps the
 * memory freed on each libuv thread (a 256 MiB LZ4 backup took the File daemon to
 * 278 MiB for the compression alone), and its synchronous results are external
 * buffers V8 never counts. The WebAssembly codec's memory is its linear memory: it
 * grows to the largest block seen and no further, in whichever thread runs it.
 *
 * Written: FLG 0x60 (version 01, independent blocks, no checksums: each record's file
 * already has its digest and each volume block its CRC), BD 0x70 (blocks of up to
 * 4 MiB), one block per 4 MiB of input, stored as is (size word's high bit) when
 * compressing does not make it smaller. Read: any frame of one or more independent
 * blocks, with or without block and content checksums (verified) and a content size
 * (checked); what lz4-napi wrote (independent blocks, one block) reads as well.
 */
import lz4Wasm, { decompress as decompressBlockSized } from 'lz4-wasm-nodejs';
import { createXXHash32, type IHasher } from 'hash-wasm';
import { BurrowError } from '@burrow/common/errors/index';

const MAGIC = 0x184d2204;
/** Version 01 (bits 7-6) and block independence (bit 5). */
const FLG_WRITTEN = 0x60;
/** Largest block 4 MiB (code 7 in bits 6-4). */
const BD_WRITTEN = 0x70;
/** (xxh32([FLG_WRITTEN, BD_WRITTEN], seed 0) >> 8) & 0xff; checked by the tests against hash-wasm. */
const HC_WRITTEN = 0x73;
const BLOCK_WRITTEN = 4 * 1024 * 1024;
/** A block size word with this bit set holds its bytes uncompressed. */
const STORED = 0x8000_0000;

const FLG_VERSION_MASK = 0xc0;
const FLG_VERSION_01 = 0x40;
const FLG_INDEPENDENT = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_RESERVED = 0x02;
const FLG_DICT_ID = 0x01;
/** Block maximum sizes by BD bits 6-4 (codes 4-7). */
const BLOCK_MAX: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };

/** The header Burrow writes: magic, FLG, BD, header checksum. */
const HEADER = Buffer.from([0x04, 0x22, 0x4d, 0x18, FLG_WRITTEN, BD_WRITTEN, HC_WRITTEN]);
const END_MARK = Buffer.alloc(4);

/** The most bytes writeLz4Frame writes for `n` input bytes (stored blocks, every size word, header, end mark). */
export function lz4FrameBound(n: number): number {
  return HEADER.length + n + 4 * Math.ceil(n / BLOCK_WRITTEN) + END_MARK.length;
}

/**
 * The exports of the codec's WebAssembly instance (the one lz4-wasm-nodejs made),
 * called as its own glue calls them (wasm-bindgen's ABI of this exact, pinned
 * version), so that a compressed block is copied from the codec's memory straight to
 * where the frame goes: the glue's `compress` copies it out to a fresh buffer first,
 * and in the compression thread those fresh buffers piled up as garbage its collector
 * did not run for (about 100 MiB for a 256 MiB backup).
 */
interface CodecExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  compress(ret: number, input: number, length: number): void;
  __wbindgen_add_to_stack_pointer(delta: number): number;
  __wbindgen_malloc(length: number): number;
  __wbindgen_free(at: number, length: number): void;
}
const codec = (lz4Wasm as unknown as { __wasm: CodecExports }).__wasm;

/**
 * Compresses `input` as one block and hands `use` a view of it in the codec's memory
 * (valid only during the call: the codec's memory is freed and may move after).
 */
function withCompressedBlock<T>(input: Uint8Array, use: (block: Uint8Array) => T): T {
  const ret = codec.__wbindgen_add_to_stack_pointer(-16);
  try {
    const at = codec.__wbindgen_malloc(input.length); // the codec takes it over and frees it
    new Uint8Array(codec.memory.buffer, at, input.length).set(input);
    codec.compress(ret, at, input.length);
    const words = new Int32Array(codec.memory.buffer, ret, 2);
    const out = words[0] as number;
    const length = words[1] as number;
    try {
      // The codec puts the input's length (u32 LE) in front of its block; the frame does not keep it.
      return use(new Uint8Array(codec.memory.buffer, out + 4, length - 4));
    } finally {
      codec.__wbindgen_free(out, length);
    }
  } finally {
    codec.__wbindgen_add_to_stack_pointer(16);
  }
}

/**
 * Writes `input` as one LZ4 frame into `out` from `at`, where lz4FrameBound(input.length)
 * bytes must be free; answers the frame's length.
 */
export function writeLz4Frame(input: Uint8Array, out: Uint8Array, at: number): number {
  if (out.length - at < lz4FrameBound(input.length)) throw new BurrowError('INTERNAL', `no room for an LZ4 frame of ${input.length} bytes`);
  const words = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out.set(HEADER, at);
  let put = at + HEADER.length;
  for (let from = 0; from < input.length; from += BLOCK_WRITTEN) {
    const raw = input.subarray(from, Math.min(input.length, from + BLOCK_WRITTEN));
    put += withCompressedBlock(raw, (block) => {
      if (block.length < raw.length) {
        words.setUint32(put, block.length, true);
        out.set(block, put + 4);
        return 4 + block.length;
      }
      words.setUint32(put, (raw.length | STORED) >>> 0, true);
      out.set(raw, put + 4);
      return 4 + raw.length;
    });
  }
  out.set(END_MARK, put);
  return put + END_MARK.length - at;
}

/** `input` as one LZ4 frame in a buffer of its own. */
export function lz4Frame(input: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(lz4FrameBound(input.length));
  return out.subarray(0, writeLz4Frame(input, out, 0));
}

let hasher: Promise<IHasher> | null = null;

/** xxh32 with seed 0 (the frame format's checksum), from hash-wasm: one instance, reused. */
async function xxh32(bytes: Uint8Array): Promise<number> {
  hasher ??= createXXHash32(0);
  const h = await hasher;
  h.init();
  h.update(bytes);
  return Buffer.from(h.digest('binary')).readUInt32BE(0);
}

function bad(why: string): BurrowError {
  return new BurrowError('VOLUME_FORMAT', `an LZ4 frame ${why}`);
}

/**
 * The number of bytes an LZ4 block decodes to, found by walking its sequences (their
 * literal and match lengths) without decoding them: the block codec wants the exact
 * size beforehand, and a frame does not say it. A length that runs past the block is
 * refused here; offsets are the codec's to check.
 */
export function lz4BlockContentSize(block: Uint8Array): number {
  let ip = 0;
  let size = 0;
  const end = block.length;
  while (ip < end) {
    const token = block[ip++] as number;
    let literals = token >>> 4;
    if (literals === 15) [literals, ip] = extendedLength(block, ip, literals, 'a literal length');
    ip += literals;
    size += literals;
    if (ip > end) throw bad('has a block whose literals run past its end');
    if (ip === end) return size; // the last sequence: literals only
    ip += 2; // the match's offset
    let match = token & 15;
    if (match === 15) [match, ip] = extendedLength(block, ip, match, 'a match length');
    if (ip >= end) throw bad('has a block that ends in a match (the last sequence must be literals)');
    size += match + 4;
  }
  throw bad('has an empty compressed block');
}

/** A length of 15 in a token goes on in bytes of 255 and a last one below: the whole length and where it ends. */
function extendedLength(block: Uint8Array, from: number, length: number, what: string): [number, number] {
  let ip = from;
  let b: number;
  do {
    if (ip >= block.length) throw bad(`has a block cut short in ${what}`);
    b = block[ip++] as number;
    length += b;
  } while (b === 255);
  return [length, ip];
}

/** One compressed block decoded, through the WebAssembly codec (which checks every offset and the size). */
function decodeBlock(block: Uint8Array, size: number): Uint8Array {
  const sized = new Uint8Array(4 + block.length);
  new DataView(sized.buffer).setUint32(0, size, true);
  sized.set(block, 4);
  try {
    return decompressBlockSized(sized);
  } catch (err) {
    throw new BurrowError('VOLUME_FORMAT', 'an LZ4 frame has a block that does not decode', { cause: err });
  }
}

/**
 * The content of one LZ4 frame that fills `frame` exactly. Refused with a
 * VOLUME_FORMAT error: anything not an LZ4 frame, a wrong header or block checksum,
 * a content larger than `maxContent`, bytes after the end mark, and frames this
 * reader cannot decode (a dictionary, linked blocks beyond the first).
 */
export async function readLz4Frame(frame: Uint8Array, maxContent: number): Promise<Buffer> {
  const view = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.length < 7 || view.readUInt32LE(0) !== MAGIC) throw bad('does not start with the LZ4 frame magic number');
  const flg = view[4] as number;
  const bd = view[5] as number;
  if ((flg & FLG_VERSION_MASK) !== FLG_VERSION_01) throw bad(`has version ${flg >>> 6}, not 1`);
  if ((flg & FLG_RESERVED) !== 0 || (bd & 0x8f) !== 0) throw bad('sets reserved descriptor bits');
  if ((flg & FLG_DICT_ID) !== 0) throw bad('needs a dictionary');
  const blockMax = BLOCK_MAX[(bd >>> 4) & 7];
  if (blockMax === undefined) throw bad(`has block size code ${(bd >>> 4) & 7}`);
  let at = 6;
  let contentSize: number | null = null;
  if ((flg & FLG_CONTENT_SIZE) !== 0) {
    if (view.length < at + 9) throw bad('is cut short in its header');
    const declared = view.readBigUInt64LE(at);
    if (declared > BigInt(maxContent)) throw bad(`declares ${declared} bytes, more than ${maxContent}`);
    contentSize = Number(declared);
    at += 8;
  }
  if (((await xxh32(view.subarray(4, at))) >>> 8 & 0xff) !== view[at]) throw bad('has a wrong header checksum');
  at += 1;

  const blocks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    if (view.length < at + 4) throw bad('is cut short before its end mark');
    const word = view.readUInt32LE(at);
    at += 4;
    if (word === 0) break;
    const length = word & ~STORED;
    if (length > blockMax) throw bad(`has a block of ${length} bytes, more than its ${blockMax}`);
    if (view.length < at + length) throw bad('is cut short in a block');
    const data = view.subarray(at, at + length);
    at += length;
    if ((flg & FLG_BLOCK_CHECKSUM) !== 0) {
      if (view.length < at + 4) throw bad('is cut short in a block checksum');
      if ((await xxh32(data)) !== view.readUInt32LE(at)) throw bad('has a block whose checksum is wrong');
      at += 4;
    }
    if (blocks.length > 0 && (flg & FLG_INDEPENDENT) === 0) throw bad('has linked blocks (each refers to the one before), which this reader does not decode');
    let content: Uint8Array;
    if ((word & STORED) !== 0) content = data;
    else {
      const size = lz4BlockContentSize(data);
      if (size > blockMax) throw bad(`has a block that decodes to ${size} bytes, more than its ${blockMax}`);
      if (total + size > maxContent) throw bad(`holds more than ${maxContent} bytes`);
      content = decodeBlock(data, size);
    }
    total += content.length;
    if (total > maxContent) throw bad(`holds more than ${maxContent} bytes`);
    blocks.push(content);
  }
  if ((flg & FLG_CONTENT_CHECKSUM) !== 0) {
    if (view.length < at + 4) throw bad('is cut short in its content checksum');
    const whole = blocks.length === 1 ? (blocks[0] as Uint8Array) : Buffer.concat(blocks);
    if ((await xxh32(whole)) !== view.readUInt32LE(at)) throw bad('has a wrong content checksum');
    at += 4;
  }
  if (at !== view.length) throw bad(`is followed by ${view.length - at} more bytes`);
  if (contentSize !== null && contentSize !== total) throw bad(`declares ${contentSize} bytes but holds ${total}`);
  const only = blocks[0];
  if (blocks.length === 1 && only !== undefined) return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
  return Buffer.concat(blocks, total);
}
