/**
 * The digest thread's own side (digest/thread.ts starts it): keeps one Hasher per
 * open id and feeds it what the main thread posts, in order. Chunks arrive as views
 * of shared memory, so the bytes are read where the main thread put them.
 */
import { parentPort } from 'node:worker_threads';
import { hashZeros } from './zeros.js';
import { Hashers, type Hasher } from './hashers.js';
import type { FromDigestThread, ToDigestThread } from './thread-messages.js';

const port = parentPort;
if (port === null) throw new Error('thread-worker.ts runs only as a worker thread');

const hashers = await Hashers.create();
const open = new Map<number, Hasher>();

function reply(m: FromDigestThread): void {
  port?.postMessage(m);
}

async function handle(m: ToDigestThread): Promise<void> {
  if (m.op === 'open') {
    const h = hashers.open(m.algorithm);
    if (h === undefined) reply({ op: 'failed', id: m.id, message: `digest algorithm ${m.algorithm} is not known` });
    else open.set(m.id, h);
    return;
  }
  const h = open.get(m.id);
  if (h === undefined) return; // failed at open: the failure was reported then
  if (m.op === 'update') {
    h.update(m.bytes);
    reply({ op: 'taken', id: m.id, bytes: m.bytes.byteLength });
  } else if (m.op === 'zeros') {
    await hashZeros(h, m.count);
  } else if (m.op === 'drop') {
    open.delete(m.id);
  } else {
    open.delete(m.id);
    reply({ op: 'digest', id: m.id, value: h.digest() });
  }
}

// Handled one after another, so a file's chunks are hashed in the order they were posted.
let queue = Promise.resolve();
port.on('message', (m: ToDigestThread) => {
  queue = queue.then(() => handle(m)).catch((err: unknown) => {
    reply({ op: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) });
  });
});
