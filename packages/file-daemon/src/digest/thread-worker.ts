/**
 * The digest thread's own side (digest/thread.ts starts it): keeps one Hasher per
 * open id and feeds it what the main thread posts, in order. Chunks arrive in buffers
 * handed over, and go back once hashed.
 */
import { parentPort } from 'node:worker_threads';
import { hashZeros } from './zeros.js';
import { NamedHashers } from './named.js';
import type { Hasher } from './hasher.js';
import type { FromDigestThread, ToDigestThread } from './thread-messages.js';

const port = parentPort;
if (port === null) throw new Error('thread-worker.ts runs only as a worker thread');

/** Without XXH128 (and hash-wasm) until a file asks for it. */
let hashers = await NamedHashers.create({ xxh128: false });

async function hashersFor(names: readonly string[]): Promise<NamedHashers> {
  if (names.includes('XXH128') && !hashers.computes('XXH128')) hashers = await NamedHashers.create();
  return hashers;
}
const open = new Map<number, Hasher>();

function reply(m: FromDigestThread): void {
  port?.postMessage(m);
}

async function handle(m: ToDigestThread): Promise<void> {
  if (m.op === 'spans') {
    const here = await hashersFor(m.spans.map((span) => span.name));
    const digests = m.spans.map((span) => {
      const h = here.computes(span.name) ? here.open(span.name) : undefined;
      if (h === undefined) throw new Error(`digest algorithm ${span.name} is not known`);
      h.update(new Uint8Array(m.buffer, span.start, span.end - span.start));
      return h.digest();
    });
    port?.postMessage({ op: 'spans', id: m.id, buffer: m.buffer, digests } satisfies FromDigestThread, [m.buffer]);
    return;
  }
  if (m.op === 'open') {
    const here = await hashersFor([m.name]);
    const h = here.computes(m.name) ? here.open(m.name) : undefined;
    if (h === undefined) reply({ op: 'failed', id: m.id, message: `digest algorithm ${m.name} is not known` });
    else open.set(m.id, h);
    return;
  }
  const h = open.get(m.id);
  if (m.op === 'update') {
    // Hashed (unless the open failed, which was reported then) and handed back, always:
    // the main thread counts what is queued by these answers.
    h?.update(new Uint8Array(m.buffer, 0, m.length));
    port?.postMessage({ op: 'taken', id: m.id, buffer: m.buffer, length: m.length } satisfies FromDigestThread, [m.buffer]);
    return;
  }
  if (h === undefined) return; // failed at open: the failure was reported then
  if (m.op === 'zeros') {
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
