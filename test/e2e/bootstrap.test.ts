/**
 * Bootstraps with real daemons (docs/bootstrap-format.md): a backup's Write Bootstrap
 * file is overwritten by a Full and appended to by an Incremental, as Bareos does; a
 * `|command` receives it on its standard input; a file that cannot be written ends the
 * job OK with a warning. A restore writes its own bootstrap with bootstrap=FILE, and
 * `run job=RestoreFiles bootstrap=FILE` restores exactly what a bootstrap selects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBootstrapText } from '@burrow/common/bootstrap/text';
import { Burrow } from '../harness/daemons.js';

test('Write Bootstrap: a file for a Full, appended for an Incremental, a pipe, and restores from a bootstrap', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-bsr-src-'));
  const out = mkdtempSync(join(tmpdir(), 'burrow-bsr-'));
  writeFileSync(join(src, 'a'), 'a\n');
  writeFileSync(join(src, 'b'), 'b\n');
  const bsr = join(out, 'test-fd.bsr');
  const burrow = await Burrow.start({
    include: [src],
    jobDirectives: [`Write Bootstrap = "${join(out, '%c.bsr')}"`],
    directorResources: `
Job { Name = backup-pipe; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard
  Write Bootstrap = "|tee ${join(out, 'piped-%i.bsr')}" }
Job { Name = backup-nowhere; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard
  Write Bootstrap = "${join(out, 'missing-dir', 'x.bsr')}" }`,
  });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });
  const run = async (lines: string[]): Promise<string> => {
    const r = await burrow.console([...lines, 'wait', 'messages']);
    assert.equal(r.code, 0, r.stdout + burrow.logs());
    return r.stdout;
  };
  const sessions = (): number[] => parseBootstrapText(readFileSync(bsr, 'utf8'), bsr).sections.map((s) => s.sessionId);

  await run(['run job=backup-test level=Full yes']);
  const full = readFileSync(bsr, 'utf8');
  assert.match(full, /^# \d\d-\w{3}-\d{4} \d\d:\d\d:\d\d - backup-test\.\S+ - Full\nVolume="Vol-0001"\nMediaType="File"\nVolSessionId=1\nVolAddr=\d+-\d+\nFileIndex=1-3\n$/, full);
  assert.deepEqual(sessions(), [1]);

  writeFileSync(join(src, 'c'), 'c\n');
  await run(['run job=backup-test level=Incremental yes']);
  const appended = readFileSync(bsr, 'utf8');
  assert.ok(appended.startsWith(full), 'the Incremental appends to what the Full wrote');
  assert.match(appended, /\n# [^\n]+ - backup-test\.\S+ - Incremental, since=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n/);
  assert.deepEqual(sessions(), [1, 2]);

  await run(['run job=backup-test level=Full yes']);
  assert.deepEqual(sessions(), [3], 'a Full starts the file anew');

  // A |command gets the bootstrap on its standard input, without a shell; what it prints goes to the job log.
  const piped = await run(['run job=backup-pipe yes']);
  const pipedFile = join(out, 'piped-4.bsr');
  assert.deepEqual(parseBootstrapText(readFileSync(pipedFile, 'utf8'), pipedFile).sections.map((s) => s.sessionId), [4]);
  assert.match(piped, /WriteBootstrap: VolSessionId=4\n/);
  assert.match(piped, /Termination:\s+Backup OK\n/);

  // A bootstrap that cannot be written: the backup is still good, with a warning that says why.
  const nowhere = await run(['run job=backup-nowhere yes']);
  assert.match(nowhere, /Warning: Could not open WriteBootstrap file: \S+missing-dir\/x\.bsr: ERR=ENOENT/);
  assert.match(nowhere, /Termination:\s+Backup OK -- with warnings\n/);

  // The Full's bootstrap restores exactly what the Full saved, without asking the catalog which files.
  const where = join(out, 'from-bsr');
  const restored = await run([`run job=RestoreFiles bootstrap=${bsr} where=${where} yes`]);
  assert.match(restored, /Restoring what bootstrap \S+test-fd\.bsr selects\./);
  assert.match(restored, /Files Expected:\s+4\n[\s\S]*Files Restored:\s+4\n[\s\S]*Termination:\s+Restore OK\n/, restored);
  for (const name of ['a', 'b', 'c']) assert.equal(readFileSync(join(where, src, name), 'utf8'), `${name}\n`);

  // A restore writes its own bootstrap with bootstrap=FILE; it reads back as the same selection.
  mkdirSync(join(out, 'r'));
  const own = join(out, 'r', 'restore.bsr');
  const selected = await run([`restore client=test-fd jobid=3 file=${join(src, 'b')} bootstrap=${own} where=${join(out, 'again')} yes`]);
  assert.match(selected, /Bootstrap records written to \S+restore\.bsr/, selected);
  const text = readFileSync(own, 'utf8');
  assert.match(text, /^Storage="File"\nVolume="Vol-0001"\nMediaType="File"\nVolSessionId=3\nVolAddr=\d+-\d+\nFileIndex=\d+\nCount=1$/m, text);
  assert.equal(readFileSync(join(out, 'again', src, 'b'), 'utf8'), 'b\n');

  // A broken bootstrap fails the restore with the line that is wrong.
  const broken = join(out, 'broken.bsr');
  writeFileSync(broken, 'Volume="Vol-0001"\nVolSessionId=3\nVolSessionTime=1700000000\n');
  const refused = await burrow.console([`run job=RestoreFiles bootstrap=${broken} where=${where} yes`, 'wait', 'messages']);
  assert.match(refused.stdout, /broken\.bsr:3: VolSessionTime is not taken by Burrow/);
  assert.match(refused.stdout, /Termination:\s+\*\*\* Restore Error \*\*\*/);
});
