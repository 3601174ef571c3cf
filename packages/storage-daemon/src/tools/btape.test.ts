/** burrow-btape as an administrator runs it: a VTape Device of the SD's configuration, commands on stdin. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VCHANGER_COMMAND, vchanger } from '../changers/testing.js';
import { TapeDrive } from '../devices/tape/tape-drive.js';
import { VirtualTape } from '../devices/tape/vtape.js';

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

test('burrow-btape is refused a drive the Storage daemon holds, told which process has it, and gets it once released', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-btape-busy-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const cartridge = join(dir, 'tape0');
  await writeFile(cartridge, '');
  const config = join(dir, 'burrow-sd.conf');
  await writeFile(config, `Storage { Name = sd }
Director { Name = d; Password = p }
Device { Name = Tape0; Device Type = VTape; Media Type = LTO; Archive Device = tape0; Volume Capacity = 4M }
`);
  // The drive as the daemon has it after a label: its cartridge open until unmounted.
  const drive = new TapeDrive({ name: 'Tape0', typeName: 'VTape', device: cartridge, open: () => VirtualTape.open(cartridge) });
  await drive.label('T1', { poolName: 'Full', mediaType: 'LTO' });
  const refused = await run(['-c', config, 'Tape0'], 'weof\n');
  assert.equal(refused.code, 1, refused.stdout + refused.stderr);
  assert.match(refused.stderr, new RegExp(`cannot open Device "Tape0": EBUSY: .*tape0: the cartridge is in use by process ${process.pid} \\(lock file .*\\); a drive is open in one program at a time`));
  assert.doesNotMatch(refused.stdout, /opened/);
  await drive.unmount();
  const free = await run(['-c', config, 'Tape0'], 'status\n');
  assert.equal(free.code, 0, free.stdout + free.stderr);
  assert.match(free.stdout, /Device status: ONLINE/);
});

test('burrow-btape fill m fills two cartridges of a burrow-vchanger library: the block the first refused starts the second', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-btape-changer-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const library = join(dir, 'library');
  const drive = join(dir, 'drive0');
  assert.equal((await vchanger('init', library, '--slots', '3', '--drives', '1', '--import-export', '0', '--barcodes', 'F00001-F00002')).code, 0);
  assert.equal((await vchanger(library, 'load', '1', drive, '0')).code, 0, 'the first cartridge in the drive');
  const config = join(dir, 'burrow-sd.conf');
  await writeFile(config, `Storage { Name = sd }
Director { Name = d; Password = p }
Device { Name = Drive0; Device Type = VTape; Media Type = LTO; Archive Device = ${JSON.stringify(drive)}; Autochanger = yes; Drive Index = 0
  Volume Capacity = 3M; Maximum File Size = 1M; Maximum Block Size = 64k }
Autochanger { Name = Library; Device = Drive0; Changer Device = ${JSON.stringify(library)}; Changer Command = ${JSON.stringify(VCHANGER_COMMAND)} }
`);
  const out = await run(['-c', config, 'Drive0'], 'fill m\n');
  assert.equal(out.code, 0, out.stdout + out.stderr);
  const refused = Number(/block (\d+) was refused\./.exec(out.stdout)?.[1]);
  assert.ok(refused > 1, out.stdout);
  assert.match(out.stdout, /The last block on the first tape matches\./);
  assert.match(out.stdout, /Loaded the cartridge of Slot 2 into drive 0 of Autochanger "Library"\./);
  assert.match(out.stdout, new RegExp(`End of medium on the second tape: blocks ${refused} to \\d+ in \\d+ files\\.`));
  assert.match(out.stdout, new RegExp(`The first block on the second tape is block ${refused}, the one the first tape refused\\.`));
  assert.match(out.stdout, /The last block on the second tape matches\. Test succeeded\./);
  assert.match((await vchanger(library, 'loaded', '0', drive, '0')).stdout, /^2$/m, 'the second cartridge is in the drive');

  // A drive in no Autochanger cannot: fill m says why and fails.
  await writeFile(join(dir, 'tape1'), '');
  await writeFile(config, `Storage { Name = sd }
Director { Name = d; Password = p }
Device { Name = Tape1; Device Type = VTape; Media Type = LTO; Archive Device = ${JSON.stringify(join(dir, 'tape1'))}; Volume Capacity = 1M }
`);
  const alone = await run(['-c', config, 'Tape1'], 'fill m\n');
  assert.equal(alone.code, 1);
  assert.match(alone.stdout, /fill m needs a drive in an Autochanger/);
});
