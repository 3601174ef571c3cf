/**
 * Runbook level 2, a client lost (docs/recovery/2-client-lost.md), end to end: the
 * client's files, a raw partition (a loop device) and a database dump saved as a
 * command's output (bpipe) are backed up Full and Incremental; then the client is
 * lost: its File daemon and its working directory are gone, its tree is gone, the
 * partition overwritten. A fresh File daemon, started on the same configuration in a
 * new working directory, gets the whole last state back with one restore to the
 * original places: the tree exactly as it was, the partition's contents, and the dump
 * fed back into the database's load command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectingConsole, runTool, tidyUp } from '../harness/recovery.js';
import { Burrow } from '../harness/daemons.js';
import { buildSampleTree, compareTrees } from '../harness/tree.js';

function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A loop device over a 2 MiB image, or undefined where losetup does not work (the test says so). */
function loopDevice(img: string, content: Buffer): string | undefined {
  writeFileSync(img, content);
  try {
    return execFileSync('losetup', ['-f', '--show', img], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined;
  }
}

test('level 2: a client lost; a fresh File daemon gets the whole last state back', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'burrow-lvl2-'));
  const home = join(work, 'home');
  mkdirSync(home);
  buildSampleTree(home);
  const scripts = join(work, 'scripts');
  mkdirSync(scripts);
  const db = join(work, 'database.txt');
  writeFileSync(db, 'row 1\n');
  const dump = script(scripts, 'dump.sh', `cat ${JSON.stringify(db)}`);
  const load = script(scripts, 'load.sh', `cat > ${JSON.stringify(db)}`);
  const content = Buffer.alloc(2 * 1024 * 1024);
  randomBytes(150_000).copy(content, 700_000);
  const device = loopDevice(join(work, 'disk.img'), content);
  if (device === undefined) t.diagnostic('losetup does not work here: the raw partition is not part of this run');
  const burrow = await Burrow.start({
    include: [home],
    fdDirectives: [`Allowed Script Dir = ${JSON.stringify(scripts)}`],
    directorResources: `
FileSet { Name = WholeClient
  Include { Options { Signature = SHA256; Sparse = yes }
    File = ${JSON.stringify(home)}
    ${device === undefined ? '' : `File = ${JSON.stringify(device)}`}
    Plugin = "bpipe:file=/DB/shop.sql:reader=${dump}:writer=${load}" } }
Job { Name = backup-client; Type = Backup; Level = Full; Client = test-fd; FileSet = WholeClient; Storage = File; Pool = Full; Messages = Standard }`,
  });
  tidyUp(t, burrow, [work], () => { if (device !== undefined) execFileSync('losetup', ['-d', device]); });
  const ok = expectingConsole(burrow);
  await ok(['run job=backup-client level=Full yes'], /Termination:\s+Backup OK\n/);
  writeFileSync(join(home, 'docs', 'second.txt'), 'after the Full\n');
  writeFileSync(db, 'row 1\nrow 2\n');
  await ok(['run job=backup-client level=Incremental yes'], /Termination:\s+Backup OK\n/);

  // The loss: the File daemon and its working directory, the tree, the partition, the database.
  await burrow.stopNamed('fd');
  rmSync(join(burrow.dir, 'fd'), { recursive: true, force: true });
  const lost = join(work, 'lost-home');
  renameSync(home, lost); // kept aside, untouched, to compare with
  writeFileSync(db, 'garbage\n');
  if (device !== undefined) {
    writeFileSync(device, Buffer.alloc(content.length, 0x55));
    execFileSync('blockdev', ['--flushbufs', device]);
  }

  // A fresh File daemon on the same configuration, in a new working directory.
  mkdirSync(join(burrow.dir, 'fd'));
  await burrow.spawnDaemon('fd', 'fd', burrow.configs.fd);
  await ok(['restore client=test-fd fileset=WholeClient select current all done yes where=/'], /Termination:\s+Restore OK\n/);

  assert.deepEqual(compareTrees(lost, home), []);
  assert.equal(readFileSync(db, 'utf8'), 'row 1\nrow 2\n', 'the dump went back through the load command');
  if (device !== undefined) {
    execFileSync('blockdev', ['--flushbufs', device]);
    assert.ok(readFileSync(device).equals(content), 'the partition holds its saved contents again');
  }
});
