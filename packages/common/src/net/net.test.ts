import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { listen } from './server.js';
import { connect } from './client.js';
import { derivePsk } from './psk.js';
import { createLogger } from '../log/index.js';
import { BurrowError } from '../errors/index.js';
import type { Channel } from './channel.js';
import { FramePool } from './frame-pool.js';
import type { DataRecord } from '../proto/index.js';

const log = createLogger({ name: 'test', level: 'silent', pretty: false });

async function echoServer(password: string, maxFrame?: number) {
  const served: string[] = [];
  const server = await listen({
    binds: [{ host: '127.0.0.1', port: 0, ipv6Only: false }], log, maxFrame,
    self: { role: 'storage', name: 'sd' },
    lookupPsk: (peer) => (peer.role === 'director' && peer.name === 'dir' ? derivePsk(password, peer) : undefined),
    onChannel: async (ch: Channel) => {
      for (;;) {
        const cmd = await ch.expect('consoleCommand');
        served.push(cmd.text);
        await ch.send('consoleReply', { ok: true, text: `echo ${cmd.text}` });
      }
    },
  });
  return { server, served };
}

test('a peer with the right password talks; a wrong one is refused and the server keeps serving', async () => {
  const { server } = await echoServer('s3cret');
  try {
    const bad = connect({ host: '127.0.0.1', port: server.port, self: { role: 'director', name: 'dir' }, secret: 'wrong', describeTarget: 'sd', peer: { role: 'storage', name: 'sd' } });
    await assert.rejects(bad, (e: unknown) => e instanceof BurrowError && e.code === 'AUTH_FAILED');
    const unknown = connect({ host: '127.0.0.1', port: server.port, self: { role: 'director', name: 'other' }, secret: 's3cret', describeTarget: 'sd', peer: { role: 'storage', name: 'sd' } });
    await assert.rejects(unknown, (e: unknown) => e instanceof BurrowError && e.code === 'AUTH_FAILED');

    const ch = await connect({ host: '127.0.0.1', port: server.port, self: { role: 'director', name: 'dir' }, secret: 's3cret', describeTarget: 'sd', peer: { role: 'storage', name: 'sd' } });
    await ch.send('consoleCommand', { text: 'hi' });
    assert.equal((await ch.expect('consoleReply')).text, 'echo hi');
    ch.close();
  } finally {
    await server.close();
  }
});

test('garbage on the port and oversize frames close only that connection', async () => {
  const { server } = await echoServer('pw', 1024);
  try {
    await new Promise<void>((resolve) => {
      const s = tcpConnect(server.port, '127.0.0.1', () => s.write(Buffer.from('GET / HTTP/1.0\r\n\r\n')));
      s.on('error', () => resolve());
      s.on('close', () => resolve());
    });
    const big = await connect({ host: '127.0.0.1', port: server.port, self: { role: 'director', name: 'dir' }, secret: 'pw', describeTarget: 'sd', peer: { role: 'storage', name: 'sd' }, maxFrame: 1 << 20 });
    await big.send('consoleCommand', { text: 'x'.repeat(5000) });
    await assert.rejects(big.expect('consoleReply'), (e: unknown) => e instanceof BurrowError);

    const good = await connect({ host: '127.0.0.1', port: server.port, self: { role: 'director', name: 'dir' }, secret: 'pw', describeTarget: 'sd', peer: { role: 'storage', name: 'sd' } });
    await good.send('consoleCommand', { text: 'still here' });
    assert.equal((await good.expect('consoleReply')).text, 'echo still here');
    good.close();
  } finally {
    await server.close();
  }
});

test('a data link reads into one kept buffer: every frame, small or spanning reads, arrives intact after the reads that follow it', async () => {
  for (const tls of [true, false]) {
    const sizes = [10, 300, 5_000, 16_000, 70_000, 1_048_576, 3, 200_000];
    const server = await listen({
      binds: [{ host: '127.0.0.1', port: 0, ipv6Only: false }], log,
      self: { role: 'storage', name: 'sd' }, ...(tls ? {} : { cleartextAllowed: () => true }),
      lookupPsk: (peer) => (peer.role === 'director' && peer.name === 'dir' ? derivePsk('pw', peer) : undefined),
      onChannel: async (ch: Channel) => {
        for (let round = 0; round < 20; round++) {
          for (const [i, size] of sizes.entries()) {
            await ch.sendRecord({ fileIndex: round * 100 + i, stream: 2, data: Buffer.alloc(size, (round + i) % 251) });
            await ch.send('consoleReply', { ok: true, text: `reply ${round}.${i}` });
          }
        }
      },
    });
    try {
      const ch = await connect({ host: '127.0.0.1', port: server.port, self: { role: 'director', name: 'dir' }, secret: 'pw', describeTarget: 'sd', peer: { role: 'storage', name: 'sd' }, tls, framePool: new FramePool() });
      // Everything is taken first and checked afterwards, so later reads had every chance to overwrite it.
      const got: Array<{ rec: DataRecord; reply: string }> = [];
      for (let n = 0; n < 20 * sizes.length; n++) {
        const rec = await ch.expect('dataRecord');
        got.push({ rec, reply: (await ch.expect('consoleReply')).text });
      }
      for (const [n, { rec, reply }] of got.entries()) {
        const round = Math.floor(n / sizes.length);
        const i = n % sizes.length;
        assert.equal(rec.fileIndex, round * 100 + i);
        assert.ok(rec.data.equals(Buffer.alloc(sizes[i]!, (round + i) % 251)), `record ${n} (${sizes[i]} bytes, tls ${tls}) intact`);
        assert.equal(reply, `reply ${round}.${i}`);
      }
      ch.close();
    } finally {
      await server.close();
    }
  }
});
