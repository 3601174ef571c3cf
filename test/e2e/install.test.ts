/**
 * scripts/install.sh (issue 15, services): run twice into a temporary root (DESTDIR
 * style), it links every program of the packages in usr/bin to the built tree, installs
 * the systemd units and creates the `burrow` system user in that root's etc/passwd, and
 * the second run changes nothing. `--client` installs the File daemon's unit only and no
 * user. The machine's own /usr/bin, units and users are not touched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../harness/paths.js';

const SCRIPT = join(REPO, 'scripts', 'install.sh');

function install(root: string, ...args: string[]): string {
  const r = spawnSync('bash', [SCRIPT, '--root', root, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `install.sh failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Every program the packages declare, name -> path in the tree. */
function programs(): Map<string, string> {
  const all = new Map<string, string>();
  for (const dir of readdirSync(join(REPO, 'packages'))) {
    const file = join(REPO, 'packages', dir, 'package.json');
    if (!existsSync(file)) continue;
    const bin = (JSON.parse(readFileSync(file, 'utf8')) as { bin?: Record<string, string> }).bin ?? {};
    for (const [name, rel] of Object.entries(bin)) all.set(name, join(REPO, 'packages', dir, rel));
  }
  return all;
}

test('install.sh into a temporary root: links, units and the burrow user, and a second run changes nothing', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'burrow-install-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const hostPasswd = readFileSync('/etc/passwd', 'utf8');
  const first = install(root);

  const expected = programs();
  assert.ok(['burrow-dir', 'burrow-sd', 'burrow-fd', 'bconsole'].every((p) => expected.has(p)), [...expected.keys()].join(' '));
  for (const [name, target] of expected) {
    const link = join(root, 'usr', 'bin', name);
    assert.ok(lstatSync(link).isSymbolicLink(), `${link} is not a link`);
    assert.equal(readlinkSync(link), target);
    assert.ok((statSync(link).mode & 0o111) !== 0, `${name} is not executable`);
  }
  // A link runs its program (the systemd units' ExecStart).
  const usage = spawnSync(join(root, 'usr', 'bin', 'bconsole'), ['--help'], { encoding: 'utf8' });
  assert.match(usage.stdout, /^Usage: bconsole/, `${usage.stdout}${usage.stderr}`);

  for (const unit of ['burrow-dir.service', 'burrow-sd.service', 'burrow-fd.service']) {
    assert.equal(readFileSync(join(root, 'etc', 'systemd', 'system', unit), 'utf8'), readFileSync(join(REPO, 'configs', 'systemd', unit), 'utf8'));
  }
  const users = (): string[] => readFileSync(join(root, 'etc', 'passwd'), 'utf8').split('\n').filter((l) => l.startsWith('burrow:'));
  assert.equal(users().length, 1);
  assert.match(users()[0]!, /^burrow:[^:]*:\d+:\d+:[^:]*:\/var\/lib\/burrow:\/usr\/sbin\/nologin$/);
  assert.match(readFileSync(join(root, 'etc', 'group'), 'utf8'), /^burrow:[^:]*:\d+:/m);
  assert.match(first, /user burrow: created/);

  const second = install(root);
  assert.doesNotMatch(second, /-> |: installed|: created/, `the second run changed something:\n${second}`);
  assert.equal(users().length, 1);
  assert.equal(readFileSync('/etc/passwd', 'utf8'), hostPasswd, 'the machine\'s own users changed');
});

test('install.sh --client: the File daemon\'s unit only, no user; something in the way is left alone', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'burrow-install-client-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  install(root, '--client');
  assert.deepEqual(readdirSync(join(root, 'etc', 'systemd', 'system')), ['burrow-fd.service']);
  assert.ok(!existsSync(join(root, 'etc', 'passwd')), 'a client got a burrow user');
  assert.ok(lstatSync(join(root, 'usr', 'bin', 'burrow-fd')).isSymbolicLink());

  // A file of the administrator's where a link would go: refused, named, not replaced.
  rmSync(join(root, 'usr', 'bin', 'bls'));
  spawnSync('bash', ['-c', `echo mine > ${join(root, 'usr', 'bin', 'bls')}`]);
  const r = spawnSync('bash', [SCRIPT, '--root', root, '--client'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /usr\/bin\/bls exists and is not a link: left alone/);
  assert.equal(readFileSync(join(root, 'usr', 'bin', 'bls'), 'utf8'), 'mine\n');
});
