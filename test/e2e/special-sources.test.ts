/**
 * FileSet special sources with real daemons: a command's output saved under a
 * virtual name (bpipe) and a raw block device (a loop device), both restored into
 * their origin (the writer command, the device) and as plain files with where=;
 * commands the client does not allow, and a dump that fails, end the job in Error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';

function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const job = (name: string, fileset: string): string =>
  `Job { Name = ${name}; Type = Backup; Level = Full; Client = test-fd; FileSet = ${fileset}; Storage = File; Pool = Full; Messages = Standard }`;

test('bpipe command output and a raw device round-trip; disallowed and failing commands are errors', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'burrow-special-'));
  const scripts = join(work, 'scripts');
  execFileSync('mkdir', [scripts]);
  const dump = script(scripts, 'dump.sh', 'echo "-- dump of $1"; echo "INSERT 42;"');
  const load = script(scripts, 'load.sh', 'cat > "$1"');
  const failing = script(scripts, 'fail.sh', 'echo "half a dump"; echo "dump: lost connection" >&2; exit 2');
  const img = join(work, 'disk.img');
  const content = Buffer.alloc(2 * 1024 * 1024);
  randomBytes(150_000).copy(content, 700_000);
  writeFileSync(img, content);
  let device = '';
  try {
    device = execFileSync('losetup', ['-f', '--show', img], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    rmSync(work, { recursive: true, force: true });
    t.skip('losetup does not work here');
    return;
  }
  const loaded = join(work, 'loaded.sql');
  const burrow = await Burrow.start({
    include: [work],
    fdDirectives: [`Allowed Script Dir = ${JSON.stringify(scripts)}`],
    directorResources: `
FileSet { Name = Special
  Include { Options { Signature = SHA256; Compression = LZ4; Sparse = yes }
    File = ${JSON.stringify(device)}
    Plugin = "bpipe:file=/DB/dump.sql:reader=${dump} shop:writer=${load} ${loaded}" } }
FileSet { Name = Refused; Include { File = "\\\\|/bin/echo /etc"; Plugin = "bpipe:file=/x.sql:reader=/bin/cat /etc/hostname:writer=" } }
FileSet { Name = FailingDump; Include { Options { Compression = ZSTD } Plugin = "bpipe:file=/DB/bad.sql:reader=${failing}:writer=" } }
${job('backup-special', 'Special')}
${job('backup-refused', 'Refused')}
${job('backup-faildump', 'FailingDump')}`,
  });
  t.after(async () => {
    await burrow.stop();
    execFileSync('losetup', ['-d', device]);
    rmSync(work, { recursive: true, force: true });
  });

  const backup = await burrow.console(['run job=backup-special yes', 'wait', 'messages', 'list files jobid=1']);
  assert.equal(backup.code, 0, backup.stdout + burrow.logs());
  assert.match(backup.stdout, /Termination:\s+Backup OK\n/, backup.stdout);
  assert.match(backup.stdout, /\/DB\/dump\.sql/);
  assert.ok(backup.stdout.includes(device));

  // Into the origins: the writer command gets the dump, the device its contents back.
  writeFileSync(img, Buffer.alloc(content.length, 0x55));
  execFileSync('blockdev', ['--flushbufs', device]);
  const back = await burrow.console(['restore client=test-fd jobid=1 all done yes where=/', 'wait', 'messages']);
  assert.equal(back.code, 0, back.stdout + burrow.logs());
  assert.match(back.stdout, /Termination:\s+Restore OK\n/, back.stdout);
  execFileSync('blockdev', ['--flushbufs', device]);
  assert.ok(readFileSync(device).equals(content), 'the device holds its saved contents again');
  assert.equal(readFileSync(loaded, 'utf8'), '-- dump of shop\nINSERT 42;\n');

  // As plain files under where=.
  const where = join(work, 'files');
  const files = await burrow.console([`restore client=test-fd jobid=1 all done yes where=${where}`, 'wait', 'messages']);
  assert.match(files.stdout, /Termination:\s+Restore OK\n/, files.stdout + burrow.logs());
  assert.ok(readFileSync(join(where, device)).equals(content));
  assert.equal(readFileSync(join(where, 'DB/dump.sql'), 'utf8'), '-- dump of shop\nINSERT 42;\n');

  // A command the client does not allow never runs; the job says why.
  const refused = await burrow.console(['run job=backup-refused yes', 'wait', 'messages']);
  assert.match(refused.stdout, /Termination:\s+\*\*\* Backup Error \*\*\*/, refused.stdout);
  assert.match(refused.stdout, /FileSet "Refused" Include #1 File = "\|\/bin\/echo \/etc": refused by the client: "\/bin\/echo" is not inside an Allowed Script Dir/);

  // A failing dump is an error, never a short backup that looks fine.
  const bad = await burrow.console(['run job=backup-faildump yes', 'wait', 'messages']);
  assert.match(bad.stdout, /reader: dump: lost connection/, bad.stdout);
  assert.match(bad.stdout, /FileSet "FailingDump" Include #1 Plugin bpipe: reader ".*fail\.sh" failed: exit status 2/);
  assert.match(bad.stdout, /Termination:\s+\*\*\* Backup Error \*\*\*/);
});
