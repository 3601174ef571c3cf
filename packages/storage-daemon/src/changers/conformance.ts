/**
 * The changer-contract suite (STYLE.md habit 12; research note section 8 B): what every
 * changer the Storage daemon drives must answer, through ScriptChanger, the one code
 * path the daemon uses. A harness makes a fresh library of 8 slots, the last an
 * import/export slot, 2 drives, and cartridges A00001 to A00006 in slots 1 to 6.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError, type BurrowErrorCode } from '@burrow/common/errors/index';
import type { ChangerDrive, ScriptChanger } from './script-changer.js';

export interface ChangerHarness {
  readonly changer: ScriptChanger;
  readonly drives: readonly [ChangerDrive, ChangerDrive];
  /** What the drive really holds now (the cartridge's barcode), or null; absent when the harness cannot see it. */
  holds?(drive: ChangerDrive): Promise<string | null>;
  cleanup(): Promise<void>;
}

const rejectsWith = (code: BurrowErrorCode, text: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof BurrowError, String(e));
  assert.equal(e.code, code, e.message);
  assert.match(e.message, text);
  return true;
};

const SIX = [1, 2, 3, 4, 5, 6].map((slot) => ({ slot, barcode: `A0000${slot}` }));

export function changerConformance(kind: string, makeHarness: () => Promise<ChangerHarness>): void {
  const withHarness = (fn: (h: ChangerHarness) => Promise<void>) => async (): Promise<void> => {
    const h = await makeHarness();
    try {
      await fn(h);
    } finally {
      await h.cleanup();
    }
  };

  describe(`changer contract: ${kind}`, () => {
    it('answers slots, list, listall and loaded for a library at rest', withHarness(async ({ changer, drives }) => {
      assert.equal(await changer.slots(), 8);
      assert.deepEqual(await changer.list(), { slots: SIX, messages: [], problems: [] });
      const all = await changer.listall();
      assert.deepEqual(all.slice(0, 2), [{ kind: 'drive', drive: 0, full: false }, { kind: 'drive', drive: 1, full: false }]);
      assert.deepEqual(all.slice(2).map((e) => (e.kind === 'drive' ? 'drive' : `${e.kind}:${e.slot}:${e.full ? e.barcode : 'E'}`)), [
        ...SIX.map((s) => `slot:${s.slot}:${s.barcode}`), 'slot:7:E', 'import-export:8:E',
      ]);
      assert.equal(await changer.loaded(drives[0]), 0);
      assert.equal(await changer.loaded(drives[1]), 0);
    }));

    it('loads and unloads: a loaded cartridge is listed under its home slot, its slot empty in listall', withHarness(async (h) => {
      const { changer, drives } = h;
      await changer.load(3, drives[0]);
      assert.equal(await changer.loaded(drives[0]), 3);
      assert.equal(await h.holds?.(drives[0]), 'A00003');
      assert.deepEqual((await changer.list()).slots, SIX, 'list shows the cartridge in the drive under its home slot');
      const all = await changer.listall();
      assert.deepEqual(all[0], { kind: 'drive', drive: 0, full: true, slot: 3, barcode: 'A00003' });
      assert.deepEqual(all.find((e) => e.kind === 'slot' && e.slot === 3), { kind: 'slot', slot: 3, full: false });
      await changer.unload(3, drives[0]);
      assert.equal(await changer.loaded(drives[0]), 0);
      assert.equal(await h.holds?.(drives[0]), null);
      assert.deepEqual((await changer.list()).slots, SIX);
    }));

    it('refuses a load into a full drive, a load from an empty slot (NOT_FOUND: the SD asks again) and an unload into a full slot', withHarness(async ({ changer, drives }) => {
      await changer.load(1, drives[0]);
      await assert.rejects(changer.load(2, drives[0]), rejectsWith('DEVICE', /^3992 Bad autochanger "load slot 2, drive 0": .*Full/s));
      await assert.rejects(changer.load(7, drives[1]), rejectsWith('NOT_FOUND', /^3992 .*slot 7 is empty.*Source Element Address 7 is Empty/s));
      await assert.rejects(changer.load(1, drives[1]), rejectsWith('NOT_FOUND', /slot 1 is empty/), 'its cartridge is in drive 0');
      await assert.rejects(changer.unload(2, drives[0]), rejectsWith('DEVICE', /^3995 Bad autochanger "unload slot 2, drive 0": .*Already Full/s));
      await assert.rejects(changer.unload(1, drives[1]), rejectsWith('DEVICE', /^3995 .*Empty/s), 'nothing in drive 1');
      assert.equal(await changer.loaded(drives[0]), 1, 'the failures changed nothing');
      await changer.unload(1, drives[0]);
    }));

    it('transfers a cartridge to an empty slot, and refuses a full destination or an empty source', withHarness(async ({ changer }) => {
      await changer.transfer(3, 7);
      assert.deepEqual((await changer.list()).slots.map((s) => `${s.slot}:${s.barcode}`), ['1:A00001', '2:A00002', '4:A00004', '5:A00005', '6:A00006', '7:A00003']);
      await assert.rejects(changer.transfer(1, 2), rejectsWith('DEVICE', /^3998 Bad autochanger "transfer 1 2" command: .*Already Full/s));
      await assert.rejects(changer.transfer(3, 8), rejectsWith('DEVICE', /^3998 .*Empty/s));
      await changer.transfer(7, 8);
      const all = await changer.listall();
      assert.deepEqual(all.find((e) => e.kind === 'import-export'), { kind: 'import-export', slot: 8, full: true, barcode: 'A00003' });
      assert.ok(!(await changer.list()).slots.some((s) => s.barcode === 'A00003'), 'list leaves out the import/export slots');
    }));

    it('two drives hold two cartridges at once', withHarness(async (h) => {
      const { changer, drives } = h;
      await Promise.all([changer.load(2, drives[0]), changer.load(5, drives[1])]);
      assert.deepEqual([await changer.loaded(drives[0]), await changer.loaded(drives[1])], [2, 5]);
      assert.deepEqual([await h.holds?.(drives[0]), await h.holds?.(drives[1])], h.holds ? ['A00002', 'A00005'] : [undefined, undefined]);
      await Promise.all([changer.unload(2, drives[0]), changer.unload(5, drives[1])]);
    }));
  });
}
