/**
 * Issue 13's tape rows: a Full backup of `large` to a virtual tape (Device Type =
 * VTape, one cartridge file behaving as a tape), without and with data spooling (the
 * data first to the Device's Spool Directory, then to the tape in one stream), against
 * the same Full to a disk volume (File device), all three in one Burrow on the same
 * disk. ratio = disk_s / tape_s: above 1, the tape path is faster than the disk's.
 * Each backup is restored once and compared with the source, so a fast wrong answer
 * cannot count.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Burrow } from '@burrow/test/harness/daemons';
import type { Dataset } from '../datasets/generate.js';
import { median, timed } from '../measure/stats.js';
import { assertSameTree } from '../measure/tree.js';
import { jobOutcome } from '../peers/tool.js';
import { comparison, type Row } from '../report/rows.js';

const JOB_TIMEOUT_MS = 60 * 60 * 1000;
type Target = 'disk' | 'tape' | 'tape-spooled';
const JOBS: Record<Target, string> = { disk: 'backup-test', tape: 'backup-tape', 'tape-spooled': 'backup-tape-spooled' };

export async function tapeRows(dataset: Dataset, runs: number, say: (s: string) => void): Promise<Row[]> {
  const ds = dataset.name;
  const burrow = await startWithTape(dataset);
  try {
    const seconds: Record<Target, number[]> = { disk: [], tape: [], 'tape-spooled': [] };
    // Interleaved, so a change in the machine's load falls on all three alike.
    for (let r = 0; r < runs; r++) {
      for (const target of ['disk', 'tape', 'tape-spooled'] as const) {
        const { seconds: s, value: out } = await timed(() => burrow.console([`run job=${JOBS[target]} yes`, 'wait', 'messages'], undefined, JOB_TIMEOUT_MS));
        const jobId = jobOutcome(`burrow Full of ${ds} to ${target}`, 'Backup', out);
        seconds[target].push(s);
        say(`  ${target}: ${s.toFixed(2)} s (JobId ${jobId})`);
        if (r === 0) await restoreAndCompare(burrow, dataset, jobId, target);
      }
    }
    const disk = median(seconds.disk);
    return [
      comparison(ds, 'full backup to a virtual tape (no spooling)', median(seconds.tape), 'disk volume', disk),
      comparison(ds, 'full backup to a virtual tape (Spool Data = yes)', median(seconds['tape-spooled']), 'disk volume', disk),
    ];
  } finally {
    await burrow.stop();
  }
}

/** Burrow with its File device and a VTape drive big enough for every run, a Spool Directory beside it. */
async function startWithTape(dataset: Dataset): Promise<Burrow> {
  const tapes = `/tmp/burrow-bench-tape-${process.pid}`;
  rmSync(tapes, { recursive: true, force: true });
  mkdirSync(tapes, { recursive: true });
  const cartridge = join(tapes, 'drive0');
  writeFileSync(cartridge, '');
  const capacityMiB = Math.ceil((dataset.bytes * 8) / 2 ** 20) + 64;
  const job = (name: string, more: string): string =>
    `Job { Name = ${name}; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = Tape; Pool = Tapes; Messages = Standard; ${more} }`;
  const burrow = await Burrow.start({
    include: [dataset.root],
    options: ['Signature = MD5'],
    sdResources: `
Device { Name = Tape0; Device Type = VTape; Media Type = LTO; Archive Device = ${JSON.stringify(cartridge)}; Volume Capacity = ${capacityMiB}M
  Label Media = no; Spool Directory = ${JSON.stringify(join(tapes, 'spool'))} }`,
    directorResources: `
Storage { Name = Tape; Address = 127.0.0.1; SDPort = @SDPORT@; Password = @SDPASSWORD@; Device = Tape0; Media Type = LTO }
Pool { Name = Tapes; Pool Type = Backup }
${job('backup-tape', '')}
${job('backup-tape-spooled', 'Spool Data = yes')}`,
  });
  const label = await burrow.console(['label storage=Tape volume=BENCH-0001 pool=Tapes']);
  if (label.code !== 0) {
    await burrow.stop();
    throw new Error(`labelling the virtual tape failed: ${label.stdout}${label.stderr}`);
  }
  const stop = burrow.stop.bind(burrow);
  burrow.stop = async () => {
    await stop();
    rmSync(tapes, { recursive: true, force: true });
  };
  return burrow;
}

async function restoreAndCompare(burrow: Burrow, dataset: Dataset, jobId: number, target: Target): Promise<void> {
  const where = `/tmp/burrow-bench-tape-restore-${process.pid}`;
  rmSync(where, { recursive: true, force: true });
  try {
    const storage = target === 'disk' ? 'File' : 'Tape';
    const out = await burrow.console([`restore client=test-fd jobid=${jobId} storage=${storage} all done yes where=${where}`, 'wait', 'messages'], undefined, JOB_TIMEOUT_MS);
    jobOutcome(`burrow restore of the ${target} Full`, 'Restore', out);
    assertSameTree(dataset.root, join(where, dataset.root), `the ${target} Full of ${dataset.name}`, 1000n);
  } finally {
    rmSync(where, { recursive: true, force: true });
  }
}
