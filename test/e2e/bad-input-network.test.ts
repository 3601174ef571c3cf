/**
 * Bad peers against the real daemons: a console with the wrong password, plain TCP
 * garbage on every daemon's port, and a frame over the size limit. Each is refused
 * with a clear message, only that connection ends, and the daemons keep serving.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BurrowError } from '@burrow/common/errors/index';
import { Burrow, waitFor } from '../harness/daemons.js';
import { ask, assertAllServing, assertBackupOk, daemonLog, openConsole, sendRaw } from '../harness/checks.js';

describe('bad peers on the network', () => {
  let src = '';
  let burrow: Burrow;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    burrow = await Burrow.start({ include: [src] });
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  const directorLog = (): string => daemonLog(burrow, 'dir');

  it('refuses a console with the wrong password, says so, and logs it', async () => {
    const wrong = join(burrow.dir, 'etc', 'wrong-bconsole.conf');
    const good = readFileSync(burrow.configs.console, 'utf8');
    writeFileSync(wrong, good.replace(JSON.stringify(burrow.passwords.console), JSON.stringify(`not-${burrow.passwords.console}`)));
    const r = await burrow.console(['status dir'], wrong);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /authentication.*failed.*password/i);
    assert.doesNotMatch(r.stdout, /Version:/);
    await waitFor(() => /WARN authentication failed for console "\*UserAgent\*" from 127\.0\.0\.1: wrong password/.test(directorLog()), 5000,
      () => `the Director did not log the failed authentication:\n${directorLog()}`);
    await assertAllServing(burrow);
  });

  for (const target of ['dir', 'sd', 'fd'] as const) {
    it(`drops a peer that speaks HTTP to the ${target} port and keeps serving`, async () => {
      const port = burrow.ports[target];
      const http = await sendRaw(port, Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
      assert.ok(http.closed, `${target} kept a garbage connection open`);
      assert.doesNotMatch(http.received.toString('latin1'), /HTTP\//);
      // Random bytes that happen to look like a TLS record header with a huge length.
      const junk = await sendRaw(port, Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff]), Buffer.alloc(300, 0xab)]));
      assert.ok(junk.closed, `${target} kept a junk connection open`);
      await assertAllServing(burrow);
    });
  }

  it('closes a console connection that sends a frame over 4 MiB, logs why, and serves others', async () => {
    const bystander = await openConsole(burrow);
    const channel = await openConsole(burrow, 64 * 1024 * 1024);
    try {
      // The connection works before the oversize frame...
      assert.equal((await ask(channel, 'version')).ok, true);
      // ...and is closed by the Director after it, with no reply.
      await channel.send('consoleCommand', { text: `status ${'x'.repeat(5 * 1024 * 1024)}` }).catch(() => undefined);
      await assert.rejects(channel.expect('consoleReply', AbortSignal.timeout(10_000)),
        (e: unknown) => e instanceof BurrowError && e.code === 'CONNECTION');
      // A console connected all along is not disturbed.
      assert.match((await ask(bystander, 'status dir')).text, /test-dir Version:/);
    } finally {
      channel.close('test done');
      bystander.close('test done');
    }
    await waitFor(() => /WARN \[FRAME_TOO_LARGE\] connection ended: peer announced a frame of \d+ bytes; the limit is 4194304/.test(directorLog()), 5000,
      () => `the Director did not log the oversize frame:\n${directorLog()}`);
    await assertAllServing(burrow);
    await assertBackupOk(burrow);
  });
});
