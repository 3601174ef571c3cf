/**
 * Live progress (issue 15): while a backup runs, `status dir`, `status client=` and
 * `status storage=` each show its files, bytes, rates and elapsed time in the words of
 * Bareos's status (`Files=... Bytes=... AveBytes/sec=... LastBytes/sec=...`), and the
 * client the file it is reading (`Processing file:`). The backup is held mid-job by a
 * FIFO it reads last, after some 2.4 MB of files (two blocks on the volume, so the
 * catalog has rows), until the test writes into it: no timing is guessed. bconsole's
 * `wait` on a terminal (a pseudo-terminal made by script(1)) shows the job's progress
 * on one line until the job ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { BIN } from '../harness/paths.js';
import { waitFor } from '../harness/processes.js';

test('status dir, client and storage show a running backup\'s progress', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-progress-'));
  t.after(() => rmSync(src, { recursive: true, force: true }));
  mkdirSync(join(src, 'files'));
  for (let i = 0; i < 5; i++) writeFileSync(join(src, 'files', `f${i}.txt`), `file ${i}\n`.repeat(60_000 * (i + 1) / 5));
  const fifo = join(src, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const burrow = await Burrow.start({
    include: [src],
    directorResources: `
FileSet { Name = Held; Include { Options { Signature = SHA256; ReadFifo = yes }
  File = ${JSON.stringify(join(src, 'files'))}
  File = ${JSON.stringify(fifo)} } }
Job { Name = held; Type = Backup; Level = Full; Client = test-fd; FileSet = Held; Storage = File; Pool = Full; Messages = Standard }
`,
  });
  t.after(() => burrow.stop());

  await burrow.console(['run job=held yes']);
  // The catalog has rows once the SD sent the first blocks' files; the client then waits on the FIFO.
  const until = Date.now() + 30_000;
  let dir = '';
  while (!/Files=[1-9]/.test(dir = (await burrow.console(['status dir'])).stdout)) {
    if (Date.now() > until) assert.fail(`no progress in status dir:\n${dir}\n${burrow.logs()}`);
  }
  assert.match(dir, /JobId 1 Job held\.\S+ is running\.\n {4}Files=[1-9]\d* Bytes=[1-9][\d,]* AveBytes\/sec=[\d,]+ LastBytes\/sec=[\d,]+\n {4}Elapsed time: \d+ secs?\n {4}Processing file: \S+f\d\.txt\n/, dir);

  const client = (await burrow.console(['status client=test-fd'])).stdout;
  assert.match(client, /JobId 1 Job held\.\S+ is running\.\n {4}Full Backup Job started: \S+\n {4}Files=[1-9]\d* Bytes=[1-9][\d,]* AveBytes\/sec=[\d,]+ LastBytes\/sec=[\d,]+ Errors=0\n {4}Elapsed time: \d+ secs?\n/, client);
  assert.ok(client.includes(`    Processing file: ${fifo}\n`), client);

  const storage = (await burrow.console(['status storage=File'])).stdout;
  assert.match(storage, /Writing: Full Backup job held\.\S+ JobId=1 Volume="\S+"\n {4}pool="Full" device="FileStorage" \(\S+\)\n {4}Files=[1-9]\d* Bytes=[1-9][\d,]* AveBytes\/sec=[\d,]+ LastBytes\/sec=[\d,]+\n {4}Elapsed time: \d+ secs?\n/, storage);

  // bconsole on a terminal: `wait` draws the running job's progress until the job ends.
  const tty = spawn('script', ['-qec', `${process.execPath} ${BIN.bconsole} -c ${burrow.consoleConfig}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  tty.stdout.on('data', (d: Buffer) => { screen += d.toString(); });
  const exited = new Promise<number | null>((resolve) => tty.on('exit', resolve));
  t.after(() => tty.kill());
  await waitFor(() => screen.includes('Enter a period'), 30_000, () => `no bconsole prompt:\n${screen}`);
  tty.stdin.write('wait\n');
  await waitFor(() => /\r\x1b\[KJobId 1: Files=[1-9][\d,]* Bytes=[1-9][\d,]* AveBytes\/sec=[\d,]+ \S+/.test(screen), 30_000, () => `no progress line from wait:\n${JSON.stringify(screen)}`);

  await writeFile(fifo, 'the end\n');
  await waitFor(() => /JobStatus=OK \(T\)/.test(screen), 30_000, () => `wait did not end:\n${JSON.stringify(screen)}`);
  tty.stdin.write('quit\n');
  assert.equal(await exited, 0, screen);
  const end = await burrow.console(['wait jobid=1', 'status dir']);
  assert.match(end.stdout, /JobStatus=OK \(T\)/, `${end.stdout}\n${burrow.logs()}`);
  assert.match(end.stdout, /Running Jobs:\nNo Jobs running\./);
});
