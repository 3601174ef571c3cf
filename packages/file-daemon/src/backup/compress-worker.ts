/**
 * The compression thread's own side (compress-thread.ts starts it): compresses each
 * chunk of a batch on its own (one complete gzip member or LZ4 frame, as codec.ts
 * writes them) and answers with all of them in one buffer, each behind the room the
 * main thread seals its record frame into.
 */
import { parentPort } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import type { FromCompressThread, ThreadCompression, ToCompressThread } from './compress-messages.js';
import { lz4FrameParts } from './lz4-frame.js';

const port = parentPort;
if (port === null) throw new Error('compress-worker.ts runs only as a worker thread');

/** One chunk compressed, in pieces laid out one after the other (an LZ4 frame's header, blocks, end mark). */
function compressOne(bytes: Uint8Array, c: ThreadCompression | undefined): Uint8Array[] {
  if (c?.algorithm === 'GZIP') return [gzipSync(bytes, { level: c.level })];
  if (c?.algorithm === 'LZ4') return lz4FrameParts(bytes);
  throw new Error(`no compression given for a chunk of ${bytes.length} bytes`);
}

function compressBatch(m: ToCompressThread): FromCompressThread {
  const input = new Uint8Array(m.input);
  const packed: Uint8Array[][] = [];
  const lengths: number[] = [];
  let at = 0;
  let total = 0;
  for (let i = 0; i < m.lengths.length; i++) {
    const bytes = input.subarray(at, at + (m.lengths[i] ?? 0));
    at += bytes.length;
    const parts = compressOne(bytes, m.compressions[i]);
    const length = parts.reduce((sum, p) => sum + p.length, 0);
    packed.push(parts);
    lengths.push(length);
    total += m.room + length;
  }
  const output = new ArrayBuffer(total);
  const view = new Uint8Array(output);
  let put = 0;
  for (const parts of packed) {
    put += m.room;
    for (const p of parts) {
      view.set(p, put);
      put += p.length;
    }
  }
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
