/**
 * The Director reads its configuration again on SIGHUP and on `reload`: a Job and a
 * Client added to the file run at once; a broken file is refused with its errors
 * shown, and the configuration in force still runs jobs. A job running across a
 * SIGHUP and a `reload` (held by a FIFO it reads) goes on and ends OK.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow, waitFor } from '../harness/daemons.js';

test('SIGHUP puts a new configuration in force and refuses a broken one', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-reload-'));
  writeFileSync(join(src, 'f.txt'), 'f\n');
  t.after(() => rmSync(src, { recursive: true, force: true }));
  const fifo = join(src, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const burrow = await Burrow.start({
    include: [join(src, 'f.txt')],
    directorResources: `
FileSet { Name = Held; Include { Options { ReadFifo = yes }
  File = ${JSON.stringify(fifo)} } }
Job { Name = held; Type = Backup; Level = Full; Client = test-fd; FileSet = Held; Storage = File; Pool = Full; Messages = Standard }
`,
  });
  t.after(() => burrow.stop());
  const dir = burrow.daemons.find((d) => d.name === 'dir');
  assert.ok(dir);
  const hangup = async (expect: RegExp): Promise<void> => {
    const from = dir.output().length;
    dir.process.kill('SIGHUP');
    await waitFor(() => expect.test(dir.output().slice(from)), 15_000, () => `no ${expect} after SIGHUP:\n${dir.output().slice(from)}`);
  };

  const fd = readFileSync(burrow.configs.dir, 'utf8').match(/Client \{ Name = test-fd; (Address = [^;]+; FDPort = \d+; Password = "[^"]+")/)?.[1];
  assert.ok(fd, 'the test Client resource');
  appendFileSync(burrow.configs.dir, `
Client { Name = extra-fd; ${fd} }
Job { Name = extra-job; Type = Backup; Level = Full; Client = extra-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard }
`);
  await hangup(/configuration .* reloaded/);
  const ran = await burrow.console(['list clients', 'run job=extra-job yes', 'wait', 'list jobs']);
  assert.equal(ran.code, 0, ran.stdout + burrow.logs());
  assert.match(ran.stdout, /\| \d+\s+\| extra-fd\s+\|/, 'the new Client has its catalog row');
  assert.match(ran.stdout, /\| 1\s+\| extra-job\s+\|.*\| T\s+\|/);

  const good = readFileSync(burrow.configs.dir, 'utf8');
  appendFileSync(burrow.configs.dir, 'Job { Name = broken; Type = Backup; Client = nowhere; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard }\n');
  // (The daemon's log is JSON: its quotes come escaped.)
  await hangup(/not reloaded; the running one is kept: .*Client \\"nowhere\\" is not defined/);
  const kept = await burrow.console(['run job=extra-job yes', 'wait', 'list jobs', 'run job=broken yes']);
  assert.match(kept.stdout, /\| 2\s+\| extra-job\s+\|.*\| T\s+\|/, kept.stdout + burrow.logs());
  assert.match(kept.stdout, /Job "broken" is not defined/);
  writeFileSync(burrow.configs.dir, good);

  // A running job is not touched by a reload, by signal or by command.
  await burrow.console(['run job=held yes']);
  await burrow.untilLogged(/JobId 3: Using Device "FileStorage" to write\./);
  appendFileSync(burrow.configs.dir, 'Pool { Name = Later; Pool Type = Backup }\n');
  await hangup(/configuration .* reloaded/);
  const reloaded = await burrow.console(['reload', 'status dir']);
  assert.match(reloaded.stdout, /^reloaded$/m, reloaded.stdout);
  assert.match(reloaded.stdout, /JobId 3 Job held\.\S+ is running\./, reloaded.stdout);
  await writeFile(fifo, 'the end\n');
  const held = await burrow.console(['wait jobid=3']);
  assert.match(held.stdout, /JobStatus=OK \(T\)/, held.stdout + burrow.logs());
  writeFileSync(burrow.configs.dir, good);
});
