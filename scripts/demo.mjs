// The demo: starts the three daemons from configs/ (state under run/, which git
// ignores), labels a volume, backs up a sample tree, restores it elsewhere, compares
// the two trees file by file, prints a summary and stops the daemons.
// `--keep` leaves the daemons running so you can drive them with bconsole.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, symlinkSync, linkSync, chmodSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'node:net';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const run = join(root, 'run');
const keep = process.argv.includes('--keep');
const bin = {
  dir: join(root, 'packages/director/dist/main.js'),
  sd: join(root, 'packages/storage-daemon/dist/main.js'),
  fd: join(root, 'packages/file-daemon/dist/main.js'),
  bconsole: join(root, 'packages/director/dist/console/bconsole.js'),
};

function portInUse(port) {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** A deterministic sample: a few hundred files of mixed sizes, links and modes. */
function makeSample(dir) {
  let seed = 42;
  const random = (n) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; b[i] = seed >> 16; }
    return b;
  };
  for (let d = 0; d < 8; d++) {
    const sub = join(dir, `project-${d}`, 'src');
    mkdirSync(sub, { recursive: true });
    for (let f = 0; f < 40; f++) {
      const size = (f * 997 + d * 131) % 20000;
      writeFileSync(join(sub, `file-${f}.txt`), f % 2 ? random(size) : Buffer.from('burrow demo line\n'.repeat(size / 17 | 0)));
    }
    writeFileSync(join(dir, `project-${d}`, 'README'), `project ${d}\n`);
  }
  writeFileSync(join(dir, 'big.bin'), random(8 * 1024 * 1024));
  writeFileSync(join(dir, 'empty'), '');
  symlinkSync('project-0/README', join(dir, 'readme-link'));
  linkSync(join(dir, 'project-1', 'README'), join(dir, 'hardlink'));
  writeFileSync(join(dir, 'script.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(dir, 'script.sh'), 0o750);
  mkdirSync(join(dir, 'cache'));
  writeFileSync(join(dir, 'cache', 'excluded'), 'the FileSet excludes this folder\n');
}

function bconsole(lines) {
  const r = spawnSync(process.execPath, [bin.bconsole, '-c', join(root, 'configs', 'bconsole.conf')], { input: `${lines.join('\n')}\n`, encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    throw new Error(`bconsole failed on: ${lines.join('; ')}`);
  }
  return r.stdout;
}

async function waitListening(port, name, log) {
  for (let i = 0; i < 200; i++) {
    if (await portInUse(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not start; see ${log}`);
}

for (const port of [9101, 9102, 9103]) {
  if (await portInUse(port)) {
    console.error(`Port ${port} is in use: are Burrow daemons from an earlier "demo --keep" still running? Stop them with: pkill -f 'dist/main.js -f -c'`);
    process.exit(1);
  }
}
for (const part of ['dir', 'sd', 'fd', 'volumes', 'sample', 'restored']) rmSync(join(run, part), { recursive: true, force: true });
mkdirSync(run, { recursive: true });
makeSample(join(run, 'sample'));

const daemons = [];
for (const [name, port] of [['sd', 9103], ['fd', 9102], ['dir', 9101]]) {
  const log = join(run, `${name}.log`);
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, [bin[name], '-f', '-c', join(root, 'configs', `burrow-${name}.d`)], { stdio: ['ignore', out, out], detached: keep });
  daemons.push(child);
  await waitListening(port, `burrow-${name}`, log);
}

let failed = false;
try {
  console.log(bconsole(['label storage=File volume=Demo-0001 pool=Full']).trim());
  const backup = bconsole(['run job=backup-burrow-fd yes', 'wait', 'llist jobid=1']);
  const restore = bconsole([`restore client=burrow-fd select current all done yes where=${join(run, 'restored')}`, 'wait', 'llist jobid=2']);
  const field = (text, name) => (text.match(new RegExp(`${name}:\\s+(.*)`)) ?? [])[1]?.trim() ?? '?';
  const { compareTrees } = await import(join(root, 'test/dist/harness/tree.js'));
  const diffs = compareTrees(join(run, 'sample'), join(run, 'restored', run, 'sample'), ['cache']);
  failed = diffs.length > 0 || field(backup, 'Termination') !== 'Backup OK' || field(restore, 'Termination') !== 'Restore OK';
  console.log(`
Burrow demo
  Backup:   ${field(backup, 'Termination')} — ${field(backup, 'SD Files Written')} files, ${field(backup, 'FD Bytes Written')} read at ${field(backup, 'Rate')}, compression ${field(backup, 'Software Compression')}
  Volume:   ${field(backup, 'Volume name\\(s\\)')} in ${join(run, 'volumes')} (${field(backup, 'Last Volume Bytes')})
  Restore:  ${field(restore, 'Termination')} — ${field(restore, 'Files Restored')} files, ${field(restore, 'Bytes Restored')} at ${field(restore, 'Rate')}
  Compare:  ${diffs.length === 0 ? 'the restored tree is identical to the original (content, type, mode, owner, mtime, links)' : `${diffs.length} differences:\n    ${diffs.join('\n    ')}`}`);
} finally {
  if (keep) {
    for (const d of daemons) d.unref();
    console.log(`
The daemons are still running (logs in ${run}/*.log). Drive them with:
  node packages/director/dist/console/bconsole.js -c configs/bconsole.conf
Stop them with: pkill -f 'dist/main.js -f -c'`);
  } else {
    for (const d of daemons) d.kill('SIGTERM');
  }
}
process.exit(failed ? 1 : 0);
