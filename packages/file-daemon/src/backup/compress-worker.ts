/**
 * The compression thread's own side (compress-thread.ts starts it): compresses each
 * chunk of a batch on its own (one complete gzip member, as codec.ts writes them) and
 * answers with all of them in one buffer, each behind the room the main thread seals
 * its record frame into. node:zlib only: lz4-napi loaded in a worker thread crashes
 * the whole process (SIGSEGV) when the thread ends.
 */
import { parentPort } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import type { FromCompressThread, ToCompressThread } from './compress-messages.js';

const port = parentPort;
if (port === null) throw new Error('compress-worker.ts runs only as a worker thread');

function compressBatch(m: ToCompressThread): FromCompressThread {
  const input = Buffer.from(m.input);
  const packed: Buffer[] = [];
  let at = 0;
  let total = 0;
  for (let i = 0; i < m.lengths.length; i++) {
    const bytes = input.subarray(at, at + (m.lengths[i] ?? 0));
    at += bytes.length;
    const out = gzipSync(bytes, { level: m.levels[i] ?? 6 });
    packed.push(out);
    total += m.room + out.length;
  }
  const output = new ArrayBuffer(total);
  const view = Buffer.from(output);
  let put = 0;
  for (const p of packed) {
    p.copy(view, put + m.room);
    put += m.room + p.length;
  }
  return { op: 'done', id: m.id, input: m.input, output, lengths: packed.map((p) => p.length) };
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
