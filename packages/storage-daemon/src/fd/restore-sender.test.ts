import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@burrow/common/log/index';
import { listen } from '@burrow/common/net/server';
import { connect } from '@burrow/common/net/client';
import { derivePsk } from '@burrow/common/net/psk';
import { FramePool } from '@burrow/common/net/frame-pool';
import type { Channel } from '@burrow/common/net/channel';
import { BLOCK_HEADER_SIZE } from '../volume/block.js';
import { readVolumes } from '../volume/multi-volume-reader.js';
import { mixedRecords, openForRead, tempDrive, writeSession } from '../volume/testing.js';
import { SMALL_BLOCK_BYTES } from '../devices/file-blocks.js';
import { framedInPlace } from './restore-sender.js';

test('a block buffer is not read into again while a TLS write still holds one of its records (sealed in place, as a restore sends them)', async (t) => {
  const { drive, cleanup } = await tempDrive();
  t.after(cleanup);
  // 64 KiB blocks: many blocks end while the socket still holds views of them (it queues up to 1 MiB before
  // the sender waits). About 24 MiB: far more than the sockets and the receiver's inbox hold.
  const records = mixedRecords(1200, [300, 9_000, 20_000, 40_000, 60_000, 100_000, 5]);
  await writeSession(drive, 'V', 1, records, { blockSize: SMALL_BLOCK_BYTES - BLOCK_HEADER_SIZE });
  const log = createLogger({ name: 'test', level: 'silent', pretty: false });
  const memories = new Set<ArrayBufferLike>();
  let viewsOfBlocks = 0;
  let blocks = 0;
  let framedRecords = 0;
  const server = await listen({
    binds: [{ host: '127.0.0.1', port: 0, ipv6Only: false }], log,
    self: { role: 'storage', name: 'sd' },
    lookupPsk: (peer) => (peer.role === 'director' && peer.name === 'dir' ? derivePsk('pw', peer) : undefined),
    onChannel: async (ch: Channel) => {
      // As the restore session sends (fd/restore-sender.ts): each record's release once the socket is done with it.
      const vol = await openForRead(drive, 'V');
      try {
        for await (const item of readVolumes({ openVolume: async () => vol, volumes: [{ volumeName: 'V' }], sessionId: 1, pool: new FramePool(), reportBlocks: true })) {
          if (item.kind === 'block') blocks++;
          if (item.kind !== 'record') continue;
          if (item.data.buffer.byteLength === SMALL_BLOCK_BYTES) {
            viewsOfBlocks++;
            memories.add(item.data.buffer);
          }
          const framed = framedInPlace(item);
          if (framed !== undefined) framedRecords++;
          await ch.sendRecord(item, framed, item.release);
        }
        await ch.send('consoleReply', { ok: true, text: 'done' });
      } finally {
        await vol.close();
      }
    },
  });
  t.after(() => server.close());
  const ch = await connect({ host: '127.0.0.1', port: server.port, self: { role: 'director', name: 'dir' }, secret: 'pw', describeTarget: 'sd', peer: { role: 'storage', name: 'sd' } });
  t.after(() => ch.close());
  for (const [i, want] of records.entries()) {
    // The receiver stalls now and then: the sender fills the socket and waits, its writes holding block buffers.
    if (i % 400 === 0) await sleep(150);
    const rec = await ch.expect('dataRecord');
    assert.equal(rec.fileIndex, want.fileIndex);
    assert.ok(rec.data.equals(want.data), `record ${i + 1} (${want.data.length} bytes) arrived intact`);
  }
  assert.equal((await ch.expect('consoleReply')).text, 'done');
  assert.ok(framedRecords > 100, `records sealed in place (${framedRecords})`);
  assert.ok(viewsOfBlocks > 100, `records sent as views of their blocks (${viewsOfBlocks})`);
  assert.ok(memories.size < blocks / 2, `block buffers served again (${memories.size} for ${blocks} blocks)`);
});
