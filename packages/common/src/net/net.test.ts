import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { listen } from './server.js';
import { connect } from './client.js';
import { derivePsk } from './psk.js';
import { createLogger } from '../log/index.js';
import { BurrowError } from '../errors/index.js';
import type { Channel } from './channel.js';

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
