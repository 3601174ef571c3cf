/** burrow-btape as an administrator runs it: a VTape Device of the SD's configuration, commands on stdin. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const btape = fileURLToPath(new URL('./btape.js', import.meta.url));

function run(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [btape, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    child.stdin.end(input);
  });
}

test('burrow-btape runs test, fill and status on a virtual tape of the configuration; a failed command sets the exit status', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-btape-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'tape0'), '');
  const config = join(dir, 'burrow-sd.conf');
  await writeFile(config, `Storage { Name = sd }
Director { Name = d; Password = p }
Device { Name = Tape0; Device Type = VTape; Media Type = LTO; Archive Device = tape0
  Volume Capacity = 24M; Maximum File Size = 4M; Maximum Block Size = 128k }
Device { Name = FileStorage; Media Type = File; Archive Device = vols }
`);
  const ok = await run(['-c', config, 'Tape0'], 'test\nfill\nrewind\nstatus\nquit\n');
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /Device "Tape0" \(.*tape0\) opened\./);
  assert.match(ok.stdout, /End Forward space files test/);
  assert.match(ok.stdout, /=== All tests passed ===/);
  assert.match(ok.stdout, /Wrote 19[01] blocks of 131072 bytes in 6 files\./);
  assert.match(ok.stdout, /The last block on the tape matches\. Test succeeded\./);
  assert.match(ok.stdout, / Device status: ONLINE BOT file=0 block=0/);
  assert.doesNotMatch(ok.stdout, /NOT correct/);

  const bad = await run(['-c', config, join(dir, 'tape0')], 'fsf 9\nstatus\n');
  assert.equal(bad.code, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, /fsf failed: EIO/);

  const notTape = await run(['-c', config, 'FileStorage'], '');
  assert.equal(notTape.code, 2);
  assert.match(notTape.stderr, /Device "FileStorage" is a File device, not a tape drive/);
  assert.equal((await run(['-c', config, 'Nope'], '')).code, 2);
});
