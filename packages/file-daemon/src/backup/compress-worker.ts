/**
 * The compression thread's own side (compress-thread.ts starts it): compresses each
 * chunk of a batch on its own (one complete gzip member or LZ4 frame, as codec.ts
 * writes them) and answers with all of them in one buffer, each behind the room the
 * main thread seals its record frame into.
 */
import { parentPort } from 'node:worker_threads';
import type { FromCompressThread, ThreadCompression, ToCompressThread } from './compress-messages.js';
import { GzipMembers } from './gzip-members.js';
import { lz4FrameBound, writeLz4Frame } from './lz4-frame.js';

const port = parentPort;
if (port === null) throw new Error('compress-worker.ts runs only as a worker thread');

/**
 * Where a batch is compressed before its answer is copied out at its exact size: kept
 * from batch to batch (it grows to the largest batch's bound), so that compressing
 * leaves no garbage in this thread, whose collector runs seldom (its heap hardly
 * grows): fresh buffers per chunk piled up here by the tens of MiB.
 */
let scratch = new Uint8Array(0);

/** gzip members written straight into the scratch or the answer, no buffer per chunk (gzip-members.ts). */
const gzip = new GzipMembers();

function room(bytes: number): Uint8Array {
  if (scratch.length < bytes) scratch = new Uint8Array(bytes);
  return scratch;
}

/** Writes one chunk compressed at `at`; answers its length. */
function compressOne(bytes: Uint8Array, c: ThreadCompression | undefined, out: Uint8Array, at: number): number {
  if (c?.algorithm === 'LZ4') return writeLz4Frame(bytes, out, at);
  if (c?.algorithm === 'GZIP') return gzip.write(bytes, c.level, out, at);
  throw new Error(`no compression given for a chunk of ${bytes.length} bytes`);
}

/**
 * The most bytes a chunk of `n` bytes compresses to: an LZ4 frame's, or a gzip member's
 * (zlib's deflateBound and gzip's 18 bytes of header and trailer, and one byte more:
 * a member that fills its room to the last byte is written again by gzipSync).
 */
function bound(n: number, c: ThreadCompression | undefined): number {
  return c?.algorithm === 'LZ4' ? lz4FrameBound(n) : n + (n >> 12) + (n >> 14) + (n >> 25) + 7 + 18 + 1;
}

function compressBatch(m: ToCompressThread): FromCompressThread {
  const input = new Uint8Array(m.input);
  let need = 0;
  for (let i = 0; i < m.lengths.length; i++) need += m.room + bound(m.lengths[i] ?? 0, m.compressions[i]);
  // A large chunk's answer is written in place: into the buffer handed back when the
  // answer surely fits, else into a new one of the bound's size, which serves again.
  // A batch of small chunks goes through the scratch, copied out at the answer's size.
  const inPlace = m.reused ? (m.output !== undefined && m.output.byteLength >= need ? m.output : new ArrayBuffer(need)) : null;
  const out = inPlace === null ? room(need) : new Uint8Array(inPlace);
  const lengths: number[] = [];
  let at = 0;
  let put = 0;
  for (let i = 0; i < m.lengths.length; i++) {
    const bytes = input.subarray(at, at + (m.lengths[i] ?? 0));
    at += bytes.length;
    put += m.room;
    const length = compressOne(bytes, m.compressions[i], out, put);
    lengths.push(length);
    put += length;
  }
  if (inPlace !== null) return { op: 'done', id: m.id, input: m.input, output: inPlace, lengths };
  const output = new ArrayBuffer(put);
  new Uint8Array(output).set(out.subarray(0, put));
  return { op: 'done', id: m.id, input: m.input, output, lengths };
}

port.on('message', (m: ToCompressThread) => {
  let answer: FromCompressThread;
  try {
    answer = compressBatch(m);
  } catch (err) {
    answer = { op: 'failed', id: m.id, input: m.input, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(answer, answer.op === 'done' ? [answer.input, answer.output] : [answer.input]);
});
