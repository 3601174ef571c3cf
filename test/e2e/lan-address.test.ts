/**
 * Bareos's Lan Address (issue 15): the Director reaches the Storage daemon through a
 * "NAT" (a counting relay on 127.0.0.1, on the SD's port), while the client and the SD
 * share a "LAN" (the SD listens on 127.0.0.2 only). With a Lan Address on both the Client
 * and the Storage, the File daemon sends the data to the SD's Lan Address: only the
 * Director's connection crosses the relay. A Client without one (the same File daemon
 * under another Client resource) sends its data through the relay, to the Address.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { CountingProxy } from '../harness/counting-proxy.js';
import { compareTrees } from '../harness/tree.js';

const DATA = 1_000_000;

test('with a Lan Address on the Client and the Storage the data goes over the LAN; without one on the Client, to the Address', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-lan-'));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  writeFileSync(join(src, 'random'), randomBytes(DATA));
  const b = await Burrow.start({
    include: [src],
    sdDirectives: ['SD Address = 127.0.0.2'], // the LAN side only
    storageDirectives: ['Lan Address = 127.0.0.2'],
    clientDirectives: ['Lan Address = 127.0.0.1'],
    directorResources: `
Client { Name = wan-fd; Address = 127.0.0.1; FDPort = @FDPORT@; Password = @CLIENTPASSWORD@; Catalog = MyCatalog }
Job { Name = backup-wan; Type = Backup; Level = Full; Client = wan-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard }`,
  });
  t.after(() => b.stop());
  // The Director's Storage Address is 127.0.0.1: the "NAT", on the SD's own port.
  const nat = await CountingProxy.start({ host: '127.0.0.1', port: b.ports.sd, targetHost: '127.0.0.2' });
  t.after(() => nat.close());
  nat.target = b.ports.sd;

  const lan = await b.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.match(lan.stdout, /Termination:\s+Backup OK\n/, `${lan.stdout}\n${b.logs()}`);
  const afterLan = { connections: nat.connections, bytes: nat.bytesBetween(0, Date.now()) };
  t.diagnostic(`both with a Lan Address: ${afterLan.connections} connection(s), ${afterLan.bytes} bytes through the NAT`);
  assert.equal(afterLan.connections, 1, 'only the Director\'s connection crosses the NAT');
  assert.ok(afterLan.bytes < DATA / 4, `${afterLan.bytes} bytes crossed the NAT: the data went that way`);

  const restored = await b.console(['restore client=test-fd select current all done yes', 'wait', 'messages']);
  assert.match(restored.stdout, /Termination:\s+Restore OK\n/, `${restored.stdout}\n${b.logs()}`);
  assert.deepEqual(compareTrees(src, join(b.dir, 'restored', src)), []);
  assert.equal(nat.connections, 2, 'the restore\'s data crossed the NAT');

  const wan = await b.console(['run job=backup-wan yes', 'wait', 'messages']);
  assert.match(wan.stdout, /Termination:\s+Backup OK\n/, `${wan.stdout}\n${b.logs()}`);
  const wanBytes = nat.bytesBetween(0, Date.now()) - afterLan.bytes;
  t.diagnostic(`the Client without a Lan Address: ${nat.connections - 2} connection(s), ${wanBytes} bytes through the NAT`);
  assert.equal(nat.connections, 4, 'the Director\'s and the File daemon\'s connections both cross the NAT');
  assert.ok(wanBytes > DATA, `only ${wanBytes} bytes crossed the NAT`);
});
