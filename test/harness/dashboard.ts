/**
 * The daemons and data the dashboard's browser tests share: a tree of small files in
 * `dirs` folders of 600 (enough for several catalog batches, so a progress bar moves
 * more than once) and a `names` folder holding a name that is not UTF-8; a Director
 * with its HTTP API on, a job that waits for a volume of the empty pool Empty and one
 * that waits on the pool Never (to cancel).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from './daemons.js';
import { freePort } from './ports.js';

/** A file name that is not UTF-8 (Latin-1 "café.txt", in names/inner): shown escaped, restored as its bytes. */
export const LATIN1_NAME = Buffer.from('caf\xe9.txt', 'latin1');

export interface DashboardDaemons {
  src: string;
  burrow: Burrow;
  /** The dashboard's address. */
  url: string;
  stop(): Promise<void>;
}

export async function dashboardDaemons(o: { dirs: number }): Promise<DashboardDaemons> {
  const src = mkdtempSync(join(tmpdir(), 'burrow-dash-'));
  for (let d = 0; d < o.dirs; d++) {
    mkdirSync(join(src, `d${d}`));
    for (let f = 0; f < 600; f++) writeFileSync(join(src, `d${d}`, `f${f}.txt`), `file ${d}/${f}\n`.repeat(20));
  }
  mkdirSync(join(src, 'names', 'inner'), { recursive: true });
  writeFileSync(Buffer.concat([Buffer.from(join(src, 'names', 'inner') + '/'), LATIN1_NAME]), 'not UTF-8\n');
  writeFileSync(join(src, 'names', 'plain.txt'), 'plain\n');
  const port = await freePort();
  const job = (name: string, pool: string): string => `Job { Name = ${name}; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = ${pool}; Messages = Standard }\n`;
  const burrow = await Burrow.start({
    include: [src], labelFormat: null,
    directorDirectives: [`Http Port = ${port}`],
    directorResources: `Pool { Name = Empty; Pool Type = Backup }\nPool { Name = Never; Pool Type = Backup }\n${job('wait-empty', 'Empty')}${job('wait-cancel', 'Never')}`,
  });
  return {
    src, burrow, url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      await burrow.stop();
      rmSync(src, { recursive: true, force: true });
    },
  };
}

/**
 * Page code (text: the tests compile without the DOM's types) that keeps in
 * `window.seen` every value the running jobs' progress bars show, as the page draws them.
 */
export const WATCH_PROGRESS_BARS = `
  window.seen = [];
  new MutationObserver(() => {
    for (const bar of document.querySelectorAll('#running .bar')) window.seen.push(Number(bar.dataset.bytes));
  }).observe(document.querySelector('#running tbody'), { childList: true, subtree: true });`;

/** The bar showed at least two values on its way, never going back. */
export function assertBarMoved(seen: number[]): void {
  const distinct = [...new Set(seen.filter((n) => n > 0))];
  assert.ok(distinct.length >= 2, `the bar moved: ${JSON.stringify(seen)}`);
  assert.deepEqual(distinct, [...distinct].sort((a, b) => a - b));
}
