/**
 * ScriptChanger around the script itself: calls on one changer never overlap (a script
 * that logs its start and end, called four times at once), and a script that cannot be
 * started, or answers nonsense, is a clear DEVICE error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BurrowError } from '@burrow/common/errors/index';
import { ScriptChanger } from './script-changer.js';

test('calls on one changer are serialised: each ends before the next starts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-changer-'));
  try {
    const script = join(dir, 'changer.sh');
    const log = join(dir, 'log');
    await writeFile(script, `echo "start $2" >> ${log}\nsleep 0.1\necho "end $2" >> ${log}\necho 4\n`);
    const changer = new ScriptChanger({ name: 'C', command: `/bin/sh ${script} %c %o %S %a %d`, changerDevice: dir, maximumChangerWait: 10 });
    const drive = { index: 0, archiveDevice: join(dir, 'drive0') };
    const answers = await Promise.all([changer.slots(), changer.loaded(drive), changer.slots(), changer.loaded(drive)]);
    assert.deepEqual(answers, [4, 4, 4, 4]);
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    assert.deepEqual(lines, ['start slots', 'end slots', 'start loaded', 'end loaded', 'start slots', 'end slots', 'start loaded', 'end loaded']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a script that cannot start, or answers what is not a slot, is a DEVICE error saying so', async () => {
  const missing = new ScriptChanger({ name: 'C', command: '/no/such/mtx-changer %c %o %S %a %d', changerDevice: '/dev/sg0', maximumChangerWait: 10 });
  await assert.rejects(missing.slots(), (e: unknown) => e instanceof BurrowError && e.code === 'DEVICE' && /^3998 Bad autochanger "slots" command: ERR=.*ENOENT/.test(e.message));
  const chatty = new ScriptChanger({ name: 'C', command: '/bin/echo drive is loaded', changerDevice: '/dev/sg0', maximumChangerWait: 10 });
  await assert.rejects(chatty.loaded({ index: 0, archiveDevice: '/dev/nst0' }),
    (e: unknown) => e instanceof BurrowError && /^3991 Bad autochanger "loaded\? drive 0" command: ERR=its answer is not a slot number\.\nResults=drive is loaded$/.test(e.message));
});
