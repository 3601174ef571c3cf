/**
 * bconsole's Heartbeat Interval (issue 15): a console whose Director falls silent in the
 * middle of a command (its process stopped: no reset ever comes) gives up within two
 * intervals and exits non-zero, saying why, instead of waiting for ever. Without one it
 * is still waiting after the same time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Burrow, waitFor } from '../harness/daemons.js';
import { BIN } from '../harness/paths.js';

/** A bconsole reading commands from a pipe, with what it printed so far. */
function openConsole(config: string): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN.bconsole, '-c', config], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

test('a console with a Heartbeat Interval notices a silent Director within two intervals; one without keeps waiting', async (t) => {
  const b = await Burrow.start({ include: ['/etc/hostname'] });
  t.after(() => b.stop());
  const director = b.daemons.find((d) => d.name === 'dir')!.process;
  const beating = join(b.dir, 'etc', 'bconsole-heartbeat.conf');
  writeFileSync(beating, readFileSync(b.consoleConfig, 'utf8').replace(/\}\s*$/, '; Heartbeat Interval = 1 }\n'));

  const withBeat = openConsole(beating);
  const without = openConsole(b.consoleConfig);
  t.after(() => { withBeat.child.kill(); without.child.kill(); });
  for (const c of [withBeat, without]) {
    c.child.stdin?.write('version\n');
    await waitFor(() => /Version:|burrow/i.test(c.out()), 30_000, () => `no answer to version:\n${c.out()}\n${b.logs()}`);
  }
  director.kill('SIGSTOP');
  const stoppedAt = Date.now();
  let code: number | null | 'still';
  let took: number;
  try {
    for (const c of [withBeat, without]) c.child.stdin?.write('status dir\n');
    code = await Promise.race([withBeat.exited, new Promise<'still'>((r) => setTimeout(() => r('still'), 10_000))]);
    took = Date.now() - stoppedAt;
  } finally {
    director.kill('SIGCONT'); // before anything stops it
  }
  t.diagnostic(`the console with Heartbeat Interval = 1 s gave up after ${took} ms`);
  assert.equal(code, 2, `bconsole did not give up on a silent Director:\n${withBeat.out()}`);
  assert.match(withBeat.out(), /bconsole: no sign of life from director "test-dir" at [\d.:]+ for [\d.]+ s \(Heartbeat Interval 1 s\)/, withBeat.out());
  // Two intervals of silence, plus one check's slack and a loaded machine's delays.
  assert.ok(took < 6_000, `noticed after ${took} ms`);
  assert.equal(without.child.exitCode, null, `the console without a heartbeat ended:\n${without.out()}`);
  without.child.stdin?.end('quit\n');
  await without.exited;
});
