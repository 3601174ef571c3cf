/**
 * `-t` against the real binaries finds what used to fail only at start (a listening
 * address that is not one, or not this machine's; a Device Type the SD cannot drive;
 * a directory that cannot be created), prints every warning with its file, line,
 * resource and directive, and prints the warnings also when there are errors.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../harness/daemons.js';
import { BIN } from '../harness/paths.js';

type Daemon = 'dir' | 'sd' | 'fd';

function check(daemon: Daemon, config: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runProcess(process.execPath, [BIN[daemon], '-t', '-c', config], '', 30_000);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('-t checks what a start would find', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-check-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const work = join(dir, 'work');
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('a Director address that is not an address: refused with file, line and directive', async () => {
    const file = write('dir-address.conf', `Director {\n  Name = d\n  Password = p\n  Working Directory = ${JSON.stringify(work)}\n  DirAddress = 99999999999999999999 days\n}\n`);
    const r = await check('dir', file);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${escape(file)}:5: Director "d": DirAddress: "99999999999999999999 days" is neither an IP address nor a host name that resolves`));
  });

  it('an address of another machine: refused, since nothing could listen on it', async () => {
    // 203.0.113.0/24 is TEST-NET-3 (RFC 5737): never an address of this machine. Nothing is sent to it.
    const file = write('fd-address.conf', `FileDaemon {\n  Name = f\n  Working Directory = ${JSON.stringify(work)}\n  FDAddresses = {\n    ipv4 = { addr = 203.0.113.7; port = 9102 }\n  }\n}\nDirector { Name = d; Password = p }\n`);
    const r = await check('fd', file);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${escape(file)}:4: FileDaemon "f": FDAddresses: 203\\.0\\.113\\.7 is not an address of this machine`));
  });

  it('a Tape Device on something not a tape drive, and a Fifo Device: refused; a working directory under a file: refused', async () => {
    const blocker = write('not-a-dir', 'x');
    const file = write('sd-tape.conf', [
      'Storage {', '  Name = s', `  Working Directory = ${JSON.stringify(join(blocker, 'sub'))}`, '}',
      'Director { Name = d; Password = p }',
      'Device {', '  Name = Drive0', '  Media Type = LTO', `  Archive Device = ${JSON.stringify(blocker)}`, '  Device Type = Tape', '}',
      'Device { Name = Pipe; Media Type = Fifo; Archive Device = /tmp/fifo; Device Type = Fifo }', '',
    ].join('\n'));
    const r = await check('sd', file);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${escape(file)}:3: Storage "s": Working Directory: .*${escape(blocker)} is not a directory`));
    assert.match(r.stderr, new RegExp(`${escape(file)}:9: Device "Drive0": Archive Device: ${escape(blocker)} is not a character device`));
    assert.match(r.stderr, new RegExp(`${escape(file)}:12: Device "Pipe": Device Type: Fifo devices are not available yet`));
  });

  it('warnings name the directive and its resource, and come also when there are errors', async () => {
    const file = write('fd-both.conf', `FileDaemon {\n  Name = f\n  Working Directory = ${JSON.stringify(work)}\n  PKI Signatures = yes\n  FD Port = 70000\n}\nDirector { Name = d; Password = p }\n`);
    const r = await check('fd', file);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${escape(file)}:5: FileDaemon "f": FD Port: "70000" is not an integer`));
    assert.match(r.stderr, new RegExp(`and 1 warning:\\n${escape(file)}:4: FileDaemon "f": PKI Signatures: `));

    const ok = write('fd-warn.conf', `FileDaemon {\n  Name = f\n  Working Directory = ${JSON.stringify(work)}\n  PKI Signatures = yes\n  FD Port = 9102\n  FD Port = 9999\n}\nDirector { Name = d; Password = p }\n`);
    const r2 = await check('fd', ok);
    assert.equal(r2.code, 0, r2.stdout + r2.stderr);
    assert.match(r2.stdout, /burrow-fd: configuration .* is valid/);
    const lines = r2.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r2.stderr);
    assert.match(lines[0]!, new RegExp(`^burrow-fd: warning: ${escape(ok)}:4: FileDaemon "f": PKI Signatures: not implemented`));
    assert.match(lines[1]!, new RegExp(`^burrow-fd: warning: ${escape(ok)}:6: FileDaemon "f": FD Port: set twice \\(first at ${escape(ok)}:5, again at ${escape(ok)}:6\\); the last value is used$`));
  });
});
