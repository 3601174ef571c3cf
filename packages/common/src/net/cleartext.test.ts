import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { once } from 'node:events';
import { listen, type ServerOptions } from './server.js';
import { connect, type ConnectOptions } from './client.js';
import { derivePsk, type PeerIdentity } from './psk.js';
import { Channel } from './channel.js';
import { createLogger } from '../log/index.js';
import { BurrowError } from '../errors/index.js';
import { PROTOCOL_VERSION } from '../proto/index.js';

const log = createLogger({ name: 'test', level: 'silent', pretty: false });
const storage: PeerIdentity = { role: 'storage', name: 'sd' };
const TOKEN = 'one-job-token-0123456789';

/** An SD-like server: job sessions with TOKEN, a Director with 'pw'; jobs may come without TLS when `clear`. */
async function server(clear: boolean, served: string[]) {
  const opts: ServerOptions = {
    binds: [{ host: '127.0.0.1', port: 0, ipv6Only: false }], log, self: storage,
    lookupPsk: (peer) => (peer.role === 'job' && peer.name === '7' ? derivePsk(TOKEN, peer) : peer.role === 'director' ? derivePsk('pw', peer) : undefined),
    cleartextAllowed: clear ? (peer) => peer.role === 'job' : undefined,
    onChannel: async (ch: Channel) => {
      const cmd = await ch.expect('consoleCommand');
      served.push(`${ch.peer.role}:${ch.peer.name}:${cmd.text}`);
      await ch.send('consoleReply', { ok: true, text: `echo ${cmd.text}` });
    },
  };
  return listen(opts);
}

function job(port: number, more: Partial<ConnectOptions> = {}): Promise<Channel> {
  return connect({ host: '127.0.0.1', port, self: { role: 'job', name: '7' }, secret: TOKEN, peer: storage, describeTarget: 'Storage daemon session', tls: false, ...more });
}

const authFailed = (re: RegExp) => (e: unknown): boolean => e instanceof BurrowError && e.code === 'AUTH_FAILED' && re.test(e.message);

test('a data session without TLS proves its secret both ways and then talks; TLS still works beside it', async () => {
  const served: string[] = [];
  const s = await server(true, served);
  try {
    const clear = await job(s.port);
    await clear.send('consoleCommand', { text: 'in the clear' });
    assert.equal((await clear.expect('consoleReply')).text, 'echo in the clear');
    clear.close();
    const tls = await job(s.port, { tls: true });
    await tls.send('consoleCommand', { text: 'under tls' });
    assert.equal((await tls.expect('consoleReply')).text, 'echo under tls');
    tls.close();
    assert.deepEqual(served, ['job:7:in the clear', 'job:7:under tls']);
  } finally {
    await s.close();
  }
});

test('without TLS: a wrong token, a peer the configuration keeps on TLS, and a server that requires TLS are refused by name', async () => {
  const served: string[] = [];
  const s = await server(true, served);
  const strict = await server(false, served);
  try {
    await assert.rejects(job(s.port, { secret: 'not-the-token-000000' }), authFailed(/could not prove it knows this session's secret/));
    await assert.rejects(
      connect({ host: '127.0.0.1', port: s.port, self: { role: 'director', name: 'dir' }, secret: 'pw', peer: storage, describeTarget: 'sd', tls: false }),
      authFailed(/director "dir" connected without TLS, which this daemon requires for it/));
    // A daemon that allows nobody in the clear drops the connection before any greeting.
    await assert.rejects(job(strict.port), (e: unknown) => e instanceof BurrowError && e.code === 'AUTH_FAILED');
    assert.deepEqual(served, []);
  } finally {
    await s.close();
    await strict.close();
  }
});

test('a client that answers the server with a wrong proof is refused, and the server serves on', async () => {
  const served: string[] = [];
  const s = await server(true, served);
  try {
    const socket = tcpConnect(s.port, '127.0.0.1');
    await once(socket, 'connect');
    const ch = new Channel(socket, storage, 'sd');
    await ch.send('hello', { protocolVersion: PROTOCOL_VERSION, role: 'job', name: '7', nonce: Buffer.alloc(32, 1) });
    const hello = await ch.expect('hello');
    assert.equal(hello.nonce.length, 32);
    await ch.send('cleartextProof', { proof: Buffer.alloc(32) });
    await assert.rejects(ch.expect('consoleReply'), authFailed(/could not prove it knows the secret/));
    const good = await job(s.port);
    await good.send('consoleCommand', { text: 'still serving' });
    assert.equal((await good.expect('consoleReply')).text, 'echo still serving');
    good.close();
  } finally {
    await s.close();
  }
});
