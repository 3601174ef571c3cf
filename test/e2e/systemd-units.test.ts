/**
 * The systemd units in configs/systemd (issue 15, services): each passes `systemd-analyze
 * verify` without a complaint and keeps its exposure (`systemd-analyze security
 * --offline`) low; and the File daemon, started with only the capabilities its unit
 * leaves it (through setpriv: the same bounding set, no new privileges), still backs up
 * and restores every kind of entry exactly, owners, device nodes, setuid bits and file
 * capabilities included. trusted.* xattrs need CAP_SYS_ADMIN, which the unit does not
 * give: the one loss, said in the unit and in docs/client-install.md, and checked here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { ensureDebianPackage } from '../harness/debian.js';
import { buildEveryKind, removeTree } from '../harness/kinds.js';
import { REPO } from '../harness/paths.js';
import { compareTrees } from '../harness/tree.js';

const UNITS = join(REPO, 'configs', 'systemd');
/** The highest exposure each unit may have (systemd 252 measures 1.7, 2.0 and 3.8). */
const MAX_EXPOSURE = { 'burrow-dir': 2.5, 'burrow-sd': 2.5, 'burrow-fd': 4.5 } as const;

/** Why systemd-analyze cannot run here, or undefined when it can (installed from Debian when missing). */
function noSystemdAnalyze(): string | undefined {
  try {
    ensureDebianPackage('/usr/bin/systemd-analyze', 'systemd');
    return undefined;
  } catch (err) {
    return `systemd-analyze is not installed and could not be: ${(err as Error).message}`;
  }
}

test('each unit passes systemd-analyze verify and keeps its exposure low', { skip: noSystemdAnalyze() }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-units-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [unit, most] of Object.entries(MAX_EXPOSURE)) {
    // verify checks that ExecStart's program exists: a stand-in takes the installed path's place.
    const program = join(dir, unit);
    writeFileSync(program, '#!/bin/sh\n');
    chmodSync(program, 0o755);
    const copy = join(dir, `${unit}.service`);
    writeFileSync(copy, readFileSync(join(UNITS, `${unit}.service`), 'utf8').replaceAll(`/usr/bin/${unit}`, program));

    const verify = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
    assert.equal(verify.status, 0, `${unit}: ${verify.stderr}`);
    // An unknown or misspelt directive is only a warning ("Unknown key ..., ignoring"): none allowed.
    assert.equal(verify.stderr.trim(), '', `${unit}: ${verify.stderr}`);

    const security = spawnSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', copy], { encoding: 'utf8' });
    const level = /Overall exposure level for [^:]+: ([\d.]+)/.exec(`${security.stdout}${security.stderr}`);
    assert.ok(level, `${unit}: ${security.stdout}${security.stderr}`);
    t.diagnostic(`${unit}: exposure ${level[1]}`);
    assert.ok(Number(level[1]) <= most, `${unit}: exposure ${level[1]} above ${most}:\n${security.stdout}`);
  }
});

/** Linux's capability numbers (linux/capability.h) of those a unit may name here. */
const CAP_NUMBERS: Readonly<Record<string, number>> = {
  chown: 0, dac_override: 1, dac_read_search: 2, fowner: 3, fsetid: 4, kill: 5, setgid: 6, setuid: 7, setpcap: 8,
  linux_immutable: 9, net_bind_service: 10, sys_admin: 21, mknod: 27, setfcap: 31,
};

/** The capabilities the File daemon's unit leaves it, as setpriv names them ("dac_read_search"). */
function unitCapabilities(): string[] {
  const unit = readFileSync(join(UNITS, 'burrow-fd.service'), 'utf8');
  const line = /^CapabilityBoundingSet=(.*)$/m.exec(unit);
  assert.ok(line, 'the File daemon unit names its capabilities');
  assert.match(unit, /^NoNewPrivileges=yes$/m);
  return line[1]!.trim().split(/\s+/).map((c) => c.replace(/^CAP_/, '').toLowerCase());
}

/** /proc/PID/status's CapBnd for these capabilities. */
function boundingMask(caps: readonly string[]): string {
  let mask = 0n;
  for (const c of caps) {
    const n = CAP_NUMBERS[c];
    assert.ok(n !== undefined, `capability ${c} is not in this test's table`);
    mask |= 1n << BigInt(n);
  }
  return mask.toString(16).padStart(16, '0');
}

const notRoot = process.getuid?.() !== 0 && 'needs root, as the File daemon unit runs it';
const noSetpriv = !existsSync('/usr/bin/setpriv') && 'setpriv (util-linux) is not installed';

test('the File daemon with only its unit\'s capabilities backs up and restores every kind of entry', { skip: notRoot || noSetpriv }, async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-unit-kinds-'));
  const tree = await buildEveryKind(src);
  for (const u of tree.unsupported) t.diagnostic(`not supported on ${tmpdir()} here, so not checked: ${u}`);
  const caps = unitCapabilities();
  const fdPrefix = ['setpriv', `--bounding-set=-all,${caps.map((c) => `+${c}`).join(',')}`, '--inh-caps=-all', '--no-new-privs', '--'];
  const burrow = await Burrow.start({ include: [src], options: ['Signature = SHA256', 'Sparse = yes'], fdPrefix });
  t.after(async () => {
    await burrow.stop().catch(() => removeTree(burrow.dir));
    removeTree(burrow.dir);
    removeTree(src);
  });
  // The File daemon really runs with that bounding set.
  const pid = burrow.daemons.find((d) => d.name === 'fd')?.process.pid;
  assert.ok(pid, 'the File daemon runs');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  assert.match(status, new RegExp(`^CapBnd:\\s+${boundingMask(caps)}$`, 'm'), status);
  assert.match(status, new RegExp(`^CapEff:\\s+${boundingMask(caps)}$`, 'm'), status);
  assert.match(status, /^NoNewPrivs:\s+1$/m, status);

  const backup = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.match(backup.stdout, /Termination:\s+Backup OK\n/, `${backup.stdout}\n${burrow.logs()}`);
  const where = join(burrow.dir, 'restored');
  const restore = await burrow.console([`restore client=test-fd select current all done yes where=${where}`, 'wait', 'messages']);
  assert.match(restore.stdout, /Termination:\s+Restore OK\n/, `${restore.stdout}\n${burrow.logs()}`);

  const differences = compareTrees(src, join(where, src), tree.excluded, { atime: true });
  // Without CAP_SYS_ADMIN the trusted.* namespace is invisible to the daemon: those xattrs, and nothing else, are missing.
  const trusted = tree.unsupported.some((u) => u.startsWith('trusted.')) ? [] : differences.filter((d) => /trusted\./.test(d));
  assert.deepEqual(differences.filter((d) => !trusted.includes(d)), []);
  if (!tree.unsupported.some((u) => u.startsWith('trusted.'))) assert.ok(trusted.length > 0, 'trusted.* xattrs are lost without CAP_SYS_ADMIN, as the unit says');
});
