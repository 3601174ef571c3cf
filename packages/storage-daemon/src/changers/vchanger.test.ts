/**
 * burrow-vchanger: the changer-contract suite through ScriptChanger, the program's own
 * rules (argument counts, the operator's insert and remove), and its faults as the
 * Storage daemon meets them: a failing load, a hung one killed at Maximum Changer Wait
 * with its children, a load that does not change the medium.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BurrowError } from '@burrow/common/errors/index';
import { changerConformance } from './conformance.js';
import { vchanger, vchangerLibrary } from './testing.js';

changerConformance('burrow-vchanger', () => vchangerLibrary());

test('the contract\'s argument counts: fewer is exit 1 with the usage; an unknown command is exit 2', async () => {
  const lib = await vchangerLibrary();
  try {
    const short = await vchanger(lib.dir, 'load', '3');
    assert.equal(short.code, 1);
    assert.match(short.stderr, /load needs 5 arguments/);
    assert.equal((await vchanger(lib.dir, 'transfer', '3')).code, 1);
    const slots = await vchanger(lib.dir, 'slots');
    assert.deepEqual([slots.code, slots.stdout], [0, '8\n']);
    assert.equal((await vchanger(lib.dir, 'eject')).code, 2);
  } finally {
    await lib.cleanup();
  }
});

test('an operator inserts a cartridge in the import/export slot (blank, a file of its own) and removes it', async () => {
  const lib = await vchangerLibrary();
  try {
    assert.equal((await vchanger('insert', lib.dir, '8', 'B00001')).code, 0);
    assert.equal((await stat(join(lib.dir, 'cartridges', 'B00001'))).size, 0, 'a blank cartridge');
    assert.match((await vchanger('insert', lib.dir, '8', 'B00002')).stderr, /Storage Element 8 is Already Full/);
    assert.match((await vchanger('insert', lib.dir, '7', 'A00001')).stderr, /already in the changer/);
    await lib.changer.transfer(8, 7);
    assert.deepEqual((await lib.changer.list()).slots.at(-1), { slot: 7, barcode: 'B00001' });
    const out = await vchanger('remove', lib.dir, '7');
    assert.deepEqual([out.code, out.stdout], [0, 'B00001\n']);
  } finally {
    await lib.cleanup();
  }
});

test('an injected load failure is a DEVICE error with Bareos\'s 3992 and the script\'s words', async () => {
  const lib = await vchangerLibrary();
  try {
    assert.equal((await vchanger('fault', lib.dir, 'fail', 'load')).code, 0);
    await assert.rejects(lib.changer.load(1, lib.drives[0]), (e: unknown) => e instanceof BurrowError && e.code === 'DEVICE'
      && /^3992 Bad autochanger "load slot 1, drive 0": ERR=Child exited with code 1\.\nResults=burrow-vchanger: injected fault: load fails$/.test(e.message));
    assert.equal(await lib.changer.loaded(lib.drives[0]), 0);
  } finally {
    await lib.cleanup();
  }
});

test('a load that hangs is killed at Maximum Changer Wait, its children with it, and the next call goes through', async () => {
  const lib = await vchangerLibrary({ maximumChangerWait: 1 });
  try {
    await vchanger('fault', lib.dir, 'hang', 'load');
    const started = Date.now();
    await assert.rejects(lib.changer.load(1, lib.drives[0]), (e: unknown) => e instanceof BurrowError && e.code === 'DEVICE'
      && /^3992 Bad autochanger "load slot 1, drive 0": ERR=no answer within 1 s \(Maximum Changer Wait\)/.test(e.message));
    assert.ok(Date.now() - started < 5000);
    const sleeper = Number((await readFile(join(lib.dir, 'hang.pid'), 'utf8')).trim());
    assert.ok(sleeper > 0);
    await waitGone(sleeper);
    assert.deepEqual((await lib.changer.list()).slots.length, 6, 'the lock was not left behind');
  } finally {
    await lib.cleanup();
  }
});

test('a stale load changes the state but not the drive, which keeps its first cartridge', async () => {
  const lib = await vchangerLibrary();
  try {
    await lib.changer.load(1, lib.drives[0]);
    await vchanger('fault', lib.dir, 'stale');
    await lib.changer.unload(1, lib.drives[0]);
    await lib.changer.load(2, lib.drives[0]);
    assert.equal(await lib.changer.loaded(lib.drives[0]), 2);
    assert.match(await readlink(lib.drives[0].archiveDevice), /A00001$/);
  } finally {
    await lib.cleanup();
  }
});

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`process ${pid} still runs after its group was killed`);
}
