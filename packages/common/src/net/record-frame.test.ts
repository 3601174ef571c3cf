import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { BurrowError } from '../errors/index.js';
import { decodeMessage, encodeMessage, PROTOCOL_VERSION } from '../proto/index.js';
import { FrameDecoder } from './frame.js';
import { decodeRecordFrame, isRecordFrame, RECORD_FRAME_ROOM, recordFrameHeader, sealRecordFrame } from './record-frame.js';
import { channelPair } from './testing.js';
import { listen } from './server.js';
import { connect } from './client.js';
import { derivePsk } from './psk.js';
import { createLogger } from '../log/index.js';

const storage = { role: 'storage', name: 'sd' } as const;

test('a record frame sealed in place decodes to the same record; an Envelope never looks like one', () => {
  const payload = Buffer.from('file bytes \u0000 with a zero');
  const framed = Buffer.concat([Buffer.alloc(RECORD_FRAME_ROOM, 0xee), payload]);
  const frame = sealRecordFrame(framed, { fileIndex: 7, stream: 2 });
  const [got] = new FrameDecoder().push(frame);
  assert.ok(got !== undefined && isRecordFrame(got));
  const rec = decodeRecordFrame(got);
  assert.deepEqual({ fileIndex: rec.fileIndex, stream: rec.stream, data: Buffer.from(rec.data) }, { fileIndex: 7, stream: 2, data: payload });
  // Labels carry negative file indexes; the header keeps the sign.
  const head = recordFrameHeader({ fileIndex: -3, stream: 0, data: Buffer.alloc(0) });
  assert.equal(decodeRecordFrame(new FrameDecoder().push(head)[0] as Buffer).fileIndex, -3);
  const envelope = Buffer.from(encodeMessage('hello', { protocolVersion: PROTOCOL_VERSION }));
  assert.equal(isRecordFrame(envelope), false);
  assert.equal(decodeMessage(envelope).kind, 'hello');
});

test('a record frame cut shorter than its header, or over the limit, is refused by name', () => {
  assert.throws(() => decodeRecordFrame(Buffer.from([0, 0, 0, 1])), (e: unknown) => e instanceof BurrowError && e.code === 'PROTOCOL' && /shorter than its 9-byte header/.test(e.message));
  const big = Buffer.alloc(RECORD_FRAME_ROOM + 2000);
  assert.throws(() => sealRecordFrame(big, { fileIndex: 1, stream: 2 }, 1024), (e: unknown) => e instanceof BurrowError && e.code === 'FRAME_TOO_LARGE');
  assert.throws(() => sealRecordFrame(Buffer.alloc(5), { fileIndex: 1, stream: 2 }), /no room/);
});

test('records cross a channel framed, small and large, between Envelope messages; a bad one closes it', async () => {
  await using pair = await channelPair(storage);
  const big = Buffer.alloc(200_000, 0x5a);
  const framed = Buffer.concat([Buffer.alloc(RECORD_FRAME_ROOM), Buffer.from('sealed in place')]);
  let written = 0;
  await pair.near.sendRecord({ fileIndex: 1, stream: 1, data: framed.subarray(RECORD_FRAME_ROOM) }, framed, () => written++);
  await pair.near.sendRecord({ fileIndex: 1, stream: 2, data: Buffer.from('small') });
  await pair.near.send('dataEnd', {});
  await pair.near.sendRecord({ fileIndex: 2, stream: 2, data: big });
  const a = await pair.far.expect('dataRecord');
  assert.equal(a.data.toString(), 'sealed in place');
  assert.equal(written, 1, 'the sender heard once that the socket is done with the framed buffer');
  const b = await pair.far.expect('dataRecord');
  assert.deepEqual([b.fileIndex, b.stream, b.data.toString()], [1, 2, 'small']);
  await pair.far.expect('dataEnd');
  const c = await pair.far.expect('dataRecord');
  assert.ok(c.data.equals(big));
  // A record frame too short for its header: the receiver closes, saying why.
  const socket = (pair.near as unknown as { socket: import('node:net').Socket }).socket;
  socket.write(Buffer.from([0, 0, 0, 3, 0, 1, 2]));
  await assert.rejects(pair.far.receive(), (e: unknown) => e instanceof BurrowError && e.code === 'PROTOCOL');
  assert.match(pair.far.closeReason ?? '', /shorter than its 9-byte header/);
});

test('a peer speaking another protocol version is told which one we speak', async () => {
  const log = createLogger({ name: 'test', level: 'silent', pretty: false });
  const server = await listen({
    binds: [{ host: '127.0.0.1', port: 0, ipv6Only: false }], log,
    self: storage,
    lookupPsk: (peer) => derivePsk('pw', peer),
    onChannel: async () => undefined,
  });
  try {
    // A client of protocol 1 sends its Hello by hand over the authenticated link.
    const ch = await connect({ host: '127.0.0.1', port: server.port, self: { role: 'director', name: 'dir' }, secret: 'pw', describeTarget: 'sd', peer: storage })
      .catch((e: unknown) => e);
    assert.ok(!(ch instanceof Error), 'same-version peers connect');
    (ch as { close: () => void }).close();
    const { connect: tlsConnect } = await import('node:tls');
    const { PSK_CIPHERS } = await import('./psk.js');
    const self = { role: 'director', name: 'old' } as const;
    const socket = tlsConnect({ host: '127.0.0.1', port: server.port, ciphers: PSK_CIPHERS, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', checkServerIdentity: () => undefined, pskCallback: () => ({ psk: derivePsk('pw', self), identity: 'director:old' }) });
    await once(socket, 'secureConnect');
    const { Channel } = await import('./channel.js');
    const old = new Channel(socket, storage, 'sd');
    await old.send('hello', { protocolVersion: 1, role: 'director', name: 'old', software: 'Burrow 0.0.9' });
    await assert.rejects(old.expect('hello'), (e: unknown) => e instanceof BurrowError && /Burrow 0\.0\.9 speaks protocol 1; Burrow .* speaks 2/.test(e.message));
    old.close();
  } finally {
    await server.close();
  }
});
