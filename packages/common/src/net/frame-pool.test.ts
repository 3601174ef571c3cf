import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { Channel } from './channel.js';
import { FramePool } from './frame-pool.js';

const peer = { role: 'job', name: '1' } as const;

async function pooledPair(pool: FramePool): Promise<{ near: Channel; far: Channel; done: () => void }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect(port, '127.0.0.1');
  const [[socket]] = await Promise.all([accepted, once(client, 'connect')]);
  server.close();
  return { near: new Channel(client, peer, 'far'), far: new Channel(socket, peer, 'near', undefined, pool), done: () => { client.destroy(); socket.destroy(); } };
}

const record = (fileIndex: number, fill: number) => ({ fileIndex, stream: 2, data: Buffer.alloc(1024 * 1024, fill) });

test('large records land in pooled buffers that serve again once released, and never while still held', async () => {
  const pool = new FramePool();
  const { near, far, done } = await pooledPair(pool);
  try {
    for (let i = 1; i <= 3; i++) await near.sendRecord(record(i, i));
    const first = await far.expect('dataRecord');
    const second = await far.expect('dataRecord');
    assert.ok(first.release && second.release, 'large records come with release');
    first.release();
    first.release(); // a second release must not hand the buffer out twice
    const third = await far.expect('dataRecord');
    for (let i = 4; i <= 6; i++) await near.sendRecord(record(i, i));
    const later = [await far.expect('dataRecord'), await far.expect('dataRecord'), await far.expect('dataRecord')];
    // The second record was never released: nothing overwrote it.
    assert.ok(second.data.equals(Buffer.alloc(1024 * 1024, 2)));
    assert.ok(third.data.equals(Buffer.alloc(1024 * 1024, 3)));
    later.forEach((r, i) => assert.ok(r.data.equals(Buffer.alloc(1024 * 1024, i + 4)), `record ${i + 4}`));
    // Exactly one of the later records reused the first one's memory.
    assert.equal(later.filter((r) => r.data.buffer === first.data.buffer).length + (third.data.buffer === first.data.buffer ? 1 : 0), 1);
    // A small record is not pooled; its release does nothing harmful.
    await near.sendRecord({ fileIndex: 7, stream: 1, data: Buffer.from('small') });
    const small = await far.expect('dataRecord');
    small.release?.();
    assert.equal(small.data.toString(), 'small');
  } finally {
    done();
  }
});
