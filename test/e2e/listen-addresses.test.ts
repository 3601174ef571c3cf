/**
 * Where the real daemons listen. Given no address, a daemon listens on IPv6 and IPv4
 * as Bareos does (dual stack on `::`), so it answers on ::1 and on 127.0.0.1. An
 * `SDAddresses` block listens on each of its entries; a host name listens on what it
 * resolves to. Each answer is a status reply over the daemon's own TLS-PSK protocol.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@burrow/common/net/client';
import { startDaemonProcess, stopDaemon, untilListening, type Daemon, type ListeningDaemon } from '../harness/daemons.js';

const hasIpv6Loopback = Object.values(networkInterfaces()).some((l) => l?.some((i) => i.address === '::1'));

/** Asks a File or Storage daemon for its status as Director `d` would. */
async function statusFrom(host: string, port: number, peer: { role: 'client' | 'storage'; name: string }): Promise<string> {
  const ch = await connect({ host, port, self: { role: 'director', name: 'd' }, secret: 'pw', peer, describeTarget: `${peer.name} at ${host}` });
  try {
    await ch.send('statusRequest', {});
    return (await ch.expect('statusReply')).text ?? '';
  } finally {
    ch.close('done');
  }
}

describe('listening addresses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-listen-'));
  const running: Daemon[] = [];
  after(async () => {
    await Promise.all(running.map(stopDaemon));
    rmSync(dir, { recursive: true, force: true });
  });
  /** Starts a daemon whose configuration asks for port 0; resolves with the port it got. */
  const start = async (program: 'fd' | 'sd', text: string): Promise<ListeningDaemon> => {
    const file = join(dir, `${program}-${running.length}.conf`);
    writeFileSync(file, text);
    const d = startDaemonProcess(program, program, file);
    running.push(d);
    return { ...d, port: await untilListening(d) };
  };
  const work = (name: string): string => `Working Directory = ${JSON.stringify(join(dir, name))}; Pid Directory = ${JSON.stringify(join(dir, name))}`;

  it('a daemon given no address answers on ::1 and on 127.0.0.1', async (t) => {
    if (!hasIpv6Loopback) {
      t.skip('this machine has no ::1 (no IPv6 loopback), so dual stack cannot be shown here');
      return;
    }
    const fd = await start('fd', `FileDaemon { Name = fd1; FDPort = 0; ${work('fd1')} }\nDirector { Name = d; Password = pw }\n`);
    const { port } = fd;
    assert.match(fd.output(), new RegExp(`listening on \\*:${port}`));
    assert.match(await statusFrom('::1', port, { role: 'client', name: 'fd1' }), /fd1 Version/);
    assert.match(await statusFrom('127.0.0.1', port, { role: 'client', name: 'fd1' }), /fd1 Version/);
  });

  it('an SDAddresses block listens on each entry, IPv4 and IPv6 literals alike', async (t) => {
    // Port 0 in each entry: the system picks one port, and every entry listens on it.
    const entries = ['ipv4 = { addr = 127.0.0.1; port = 0 }'];
    if (hasIpv6Loopback) entries.push('ipv6 = { addr = ::1; port = 0 }');
    const sd = await start('sd', [
      `Storage { Name = sd1; ${work('sd1')}`, '  SDAddresses = {', ...entries.map((e) => `    ${e}`), '  }', '}',
      'Director { Name = d; Password = pw }',
      `Device { Name = FileStorage; Media Type = File; Archive Device = ${JSON.stringify(join(dir, 'volumes'))} }`, '',
    ].join('\n'));
    const { port } = sd;
    assert.match(sd.output(), new RegExp(`listening on 127\\.0\\.0\\.1:${port}`));
    assert.match(await statusFrom('127.0.0.1', port, { role: 'storage', name: 'sd1' }), /sd1 Version/);
    if (!hasIpv6Loopback) { t.diagnostic('no ::1 here: the IPv6 entry was left out'); return; }
    assert.match(sd.output(), new RegExp(`\\[::1\\]:${port}`));
    assert.match(await statusFrom('::1', port, { role: 'storage', name: 'sd1' }), /sd1 Version/);
  });

  it('a host name listens on the addresses it resolves to', async () => {
    const fd = await start('fd', `FileDaemon { Name = fd2; FDAddress = localhost; FDPort = 0; ${work('fd2')} }\nDirector { Name = d; Password = pw }\n`);
    const { port } = fd;
    assert.match(fd.output(), new RegExp(`listening on 127\\.0\\.0\\.1:${port}`));
    assert.match(await statusFrom('127.0.0.1', port, { role: 'client', name: 'fd2' }), /fd2 Version/);
  });
});
