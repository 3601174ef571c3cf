/** burrow-btape's commands on virtual tapes: test and fill pass, a broken fsf is caught and explained. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TAPE_SETTINGS, type TapeSettings } from '../devices/tape/tape-drive.js';
import { VirtualTape, type VirtualTapeOptions } from '../devices/tape/vtape.js';
import { Btape } from './btape-session.js';

async function withBtape(o: { vtape?: VirtualTapeOptions; settings?: Partial<TapeSettings>; testRecords?: number }, fn: (b: Btape, out: string[]) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-btape-'));
  const path = join(dir, 'tape0');
  await writeFile(path, '');
  const out: string[] = [];
  const open = (): Promise<VirtualTape> => VirtualTape.open(path, o.vtape);
  const b = new Btape({ tape: await open(), reopen: open, settings: { ...DEFAULT_TAPE_SETTINGS, ...o.settings }, print: (l) => out.push(l), testRecords: o.testRecords });
  try {
    await fn(b, out);
  } finally {
    await b.drive.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

describe('burrow-btape commands', () => {
  it('test passes every step on a virtual tape, with btape\'s 10,000 records a file', async () => {
    await withBtape({}, async (b, out) => {
      assert.equal(await b.run('test'), true, out.join('\n'));
      const text = out.join('\n');
      assert.doesNotMatch(text, /NOT correct/);
      assert.match(text, /Read 20000 blocks and 2 EOFs\. This is correct!/);
      assert.match(text, /Block 19999 re-read correctly\./);
      assert.match(text, /We should be in file 3\. I am at file 3\. This is correct!/);
      assert.match(text, /Total files=4, blocks=7, bytes = 7168/);
      assert.match(text, /End Forward space files test/);
      assert.match(text, /=== All tests passed ===/);
    });
  });

  it('test passes with software eom and fsf and fixed blocks too', async () => {
    await withBtape({ settings: { hardwareEndOfMedium: false, fastForwardSpaceFile: false, minimumBlockSize: 2048, maximumBlockSize: 2048 }, testRecords: 300 }, async (b, out) => {
      assert.equal(await b.run('test'), true, out.join('\n'));
      assert.match(out.join('\n'), /Wrote 300 blocks of 2048 bytes\./);
    });
  });

  it('test fails when fsf does not move, and advises Fast Forward Space File = no', async () => {
    await withBtape({ vtape: { faults: { fsfStuck: true } }, testRecords: 50 }, async (b, out) => {
      assert.equal(await b.run('test'), false);
      const text = out.join('\n');
      assert.match(text, /This is NOT correct!!!!/);
      assert.match(text, /Fast Forward Space File = no/);
      assert.match(text, /=== Some tests FAILED ===/);
    });
  });

  it('fill writes to the end of the medium, a filemark every Maximum File Size, and reads the last block back', async () => {
    await withBtape({ vtape: { capacity: 1024 * 1024, earlyWarning: 64 * 1024 }, settings: { maximumFileSize: 256 * 1024 } }, async (b, out) => {
      assert.equal(await b.run('fill'), true, out.join('\n'));
      const text = out.join('\n');
      assert.match(text, /End of tape reached\. Wrote 1[45] blocks of 65536 bytes in 4 files\./);
      assert.match(text, /The last block on the tape matches\. Test succeeded\./);
      await b.run('rewind');
      await b.run('scan');
      assert.match(out.join('\n'), /Total files=4, blocks=1[45], bytes = /);
    });
  });

  it('positions, writes and reads single records, and shows the status', async () => {
    await withBtape({}, async (b, out) => {
      for (const c of ['wr', 'wr', 'weof', 'wr', 'weof 2', 'rewind', 'fsf', 'rb', 'rb', 'bsf 1', 'status', 'eod', 'status', 'bsr', 'fsr 2']) await b.run(c);
      assert.deepEqual(out.slice(0, 10), [
        'Wrote one record of 1024 bytes.', 'Wrote one record of 1024 bytes.', `Wrote 1 EOF to "${b.drive.path}"`, 'Wrote one record of 1024 bytes.',
        `Wrote 2 EOF to "${b.drive.path}"`, `Rewound "${b.drive.path}"`, 'Forward spaced 1 file.', 'Read block of 1024 bytes.', 'Got EOF on tape.', 'Backspaced 1 file.',
      ]);
      assert.equal(out[10], ' Device status: ONLINE file=1 block=-1');
      assert.equal(out[13], ' Device status: ONLINE EOF EOD file=3 block=-1');
      assert.match(out.at(-1)!, /^fsr failed: EIO/);
      assert.equal(await b.run('jump'), false);
    });
  });
});
