/**
 * Issue 13's tape rows: a Full backup of `large` to a virtual tape (Device Type =
 * VTape, one cartridge file behaving as a tape), without and with data spooling (the
 * data first to the Device's Spool Directory, then to the tape in one stream), against
 * the same Full to a disk volume (File device), all three in one Burrow on the same
 * disk. ratio = disk_s / tape_s: above 1, the tape path is faster than the disk's.
 * Each backup is restored once and compared with the source, so a fast wrong answer
 * cannot count.
 *
 * Then one file restored from the end of a full cartridge: `large` goes to a
 * burrow-vchanger library whose cartridges are a little smaller than it, its needle
 * written just before the last part, so the needle lies in the last MiBs of the first
 * cartridge (Full) and the last part runs on to the second. The restore's time and the
 * bytes the Storage daemon read (/proc/PID/io rchar) show positioning (fsf, fsr) instead
 * of reading the cartridge.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Burrow } from '@burrow/test/harness/daemons';
import { changerLibrary, libraryStorage, type ChangerLibrary } from '@burrow/test/harness/changer';
import { apiResult, bytesReadBy } from '@burrow/test/harness/checks';
import type { Dataset } from '../datasets/generate.js';
import { median, settleDisk, timed } from '../measure/stats.js';
import { assertSameTree } from '../measure/tree.js';
import { jobOutcome } from '../peers/tool.js';
import { absolute, comparison, type Row } from '../report/rows.js';

const JOB_TIMEOUT_MS = 60 * 60 * 1000;
type Target = 'disk' | 'tape' | 'tape-spooled';
const JOBS: Record<Target, string> = { disk: 'backup-test', tape: 'backup-tape', 'tape-spooled': 'backup-tape-spooled' };

const NEEDLE_ROW = 'restore one file from the end of a full virtual tape cartridge';
const MIB = 2 ** 20;

export async function tapeRows(dataset: Dataset, runs: number, say: (s: string) => void): Promise<Row[]> {
  const ds = dataset.name;
  const { burrow, library } = await startWithTape(dataset);
  try {
    const seconds: Record<Target, number[]> = { disk: [], tape: [], 'tape-spooled': [] };
    // Interleaved, so a change in the machine's load falls on all three alike.
    for (let r = 0; r < runs; r++) {
      for (const target of ['disk', 'tape', 'tape-spooled'] as const) {
        settleDisk();
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
      await needleRow(burrow, dataset, runs, say),
    ];
  } finally {
    await burrow.stop();
    library.remove();
  }
}

/**
 * The needle row's library: two cartridges in a one-drive burrow-vchanger, each a little
 * smaller than `large`. Its FileSet writes the parts but the last, the needle, then the
 * last part; a cartridge holds the needle's end with a few MiB to spare (the blocks' and
 * records' headers and the labels take well under 1%, the early-warning zone 1% of the
 * cartridge), and the last part fills it up and goes on to the second.
 */
async function needleLibrary(dataset: Dataset): Promise<{ library: ChangerLibrary; fileSet: string }> {
  const { parts, last, needle, needleEnd } = needleLayout(dataset);
  const capacity = Math.ceil((needleEnd * 1.01 + 4 * MIB) / 0.99);
  if (statSync(last).size < capacity - needleEnd + MIB) throw new Error(`${last} is too small to fill a cartridge of ${capacity} bytes after the needle`);
  const library = await changerLibrary({
    slots: 3, drives: 1, importExport: 1, barcodes: 'N00001-N00002', capacity: `${Math.ceil(capacity / 1024)}k`, maximumBlockSize: '1M',
  });
  const files = [...parts, needle, last].map((p) => `File = ${JSON.stringify(p)}`).join('; ');
  return { library, fileSet: `FileSet { Name = NeedleLast; Include { Options { Signature = MD5 } ${files} } }` };
}

/** The needle row's FileSet order: `large`'s parts but the last, the needle, the last part; and where the needle ends. */
function needleLayout(dataset: Dataset): { parts: string[]; last: string; needle: string; needleEnd: number } {
  const needle = dataset.needle;
  const parts = readdirSync(dataset.root).filter((n) => n.startsWith('part-')).sort().map((n) => join(dataset.root, n));
  const last = parts.pop();
  if (needle === undefined || last === undefined) throw new Error(`the ${dataset.name} dataset has no needle or parts for the tape needle row`);
  return { parts, last, needle, needleEnd: [...parts, needle].reduce((n, p) => n + statSync(p).size, 0) };
}

/** Burrow with its File device, a VTape drive big enough for every run with a Spool Directory beside it, and the needle row's library. */
async function startWithTape(dataset: Dataset): Promise<{ burrow: Burrow; library: ChangerLibrary }> {
  const tapes = `/tmp/burrow-bench-tape-${process.pid}`;
  rmSync(tapes, { recursive: true, force: true });
  mkdirSync(tapes, { recursive: true });
  const cartridge = join(tapes, 'drive0');
  writeFileSync(cartridge, '');
  const capacityMiB = Math.ceil((dataset.bytes * 8) / 2 ** 20) + 64;
  const job = (name: string, more: string): string =>
    `Job { Name = ${name}; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = Tape; Pool = Tapes; Messages = Standard; ${more} }`;
  const { library, fileSet } = await needleLibrary(dataset);
  let burrow: Burrow;
  try {
    burrow = await Burrow.start({
      include: [dataset.root],
      options: ['Signature = MD5'],
      sdResources: `
Device { Name = Tape0; Device Type = VTape; Media Type = LTO; Archive Device = ${JSON.stringify(cartridge)}; Volume Capacity = ${capacityMiB}M
  Label Media = no; Spool Directory = ${JSON.stringify(join(tapes, 'spool'))} }
${library.sdResources}`,
      directorResources: `
Storage { Name = Tape; Address = 127.0.0.1; SDPort = @SDPORT@; Password = @SDPASSWORD@; Device = Tape0; Media Type = LTO }
Pool { Name = Tapes; Pool Type = Backup }
${job('backup-tape', '')}
${job('backup-tape-spooled', 'Spool Data = yes')}
${libraryStorage('Auto Changer = yes')}
Pool { Name = Cartridges; Pool Type = Backup }
${fileSet}
Job { Name = backup-needle-last; Type = Backup; Level = Full; Client = test-fd; FileSet = NeedleLast; Storage = Library; Pool = Cartridges; Messages = Standard }`,
    });
  } catch (err) {
    library.remove();
    throw err;
  }
  const label = await burrow.console(['label storage=Tape volume=BENCH-0001 pool=Tapes',
    'label storage=Library volume=N00001 pool=Cartridges slot=1 drive=0', 'label storage=Library volume=N00002 pool=Cartridges slot=2 drive=0']);
  if (label.code !== 0 || (label.stdout.match(/successfully created/g) ?? []).length !== 3) {
    await burrow.stop();
    library.remove();
    throw new Error(`labelling the virtual tapes failed: ${label.stdout}${label.stderr}`);
  }
  const stop = burrow.stop.bind(burrow);
  burrow.stop = async () => {
    await stop();
    rmSync(tapes, { recursive: true, force: true });
  };
  return { burrow, library };
}

interface JobMediaRecord { volumename: string; firstindex: number; lastindex: number }

/**
 * The needle row: a Full of the needle-last FileSet spans the library's two cartridges;
 * the catalog must show the needle on the first, Full, and nowhere else. It is then
 * restored `runs` times (the first run has the changer bring that cartridge back), its
 * content compared; the median time and SD bytes read are the row.
 */
async function needleRow(burrow: Burrow, dataset: Dataset, runs: number, say: (s: string) => void): Promise<Row> {
  const { needle, needleEnd } = needleLayout(dataset);
  const backup = await burrow.console(['run job=backup-needle-last yes', 'wait', 'messages'], undefined, JOB_TIMEOUT_MS);
  const jobId = jobOutcome(`burrow Full of ${dataset.name} (needle last) to the library`, 'Backup', backup);
  const files = await apiResult<{ filenames: Array<{ path: string; fileindex: number }> }>(burrow, `list files jobid=${jobId}`);
  const index = files.filenames.find((f) => f.path === needle)?.fileindex;
  const rows = (await apiResult<{ jobmedia: JobMediaRecord[] }>(burrow, `list jobmedia jobid=${jobId}`)).jobmedia;
  const holding = new Set(rows.filter((r) => index !== undefined && r.firstindex <= index && index <= r.lastindex).map((r) => r.volumename));
  const [volume] = holding;
  const media = volume === undefined ? undefined : (await apiResult<{ volumes: Array<{ volstatus: string; volbytes: number }> }>(burrow, `list volume=${volume}`)).volumes[0];
  if (volume === undefined || holding.size !== 1 || media?.volstatus !== 'Full' || new Set(rows.map((r) => r.volumename)).size < 2) {
    throw new Error(`the needle (file ${index}) should be on one Full cartridge of the two the job spans: JobMedia ${JSON.stringify(rows)}, ${volume}: ${JSON.stringify(media)}`);
  }
  say(`  needle on ${volume} (Full, ${(media.volbytes / MIB).toFixed(1)} MiB)`);
  const seconds: number[] = [];
  const bytes: number[] = [];
  const where = `/tmp/burrow-bench-tape-needle-${process.pid}`;
  for (let r = 0; r < runs; r++) {
    rmSync(where, { recursive: true, force: true });
    try {
      const before = bytesReadBy(burrow, 'sd');
      settleDisk();
      const { seconds: s, value: out } = await timed(() => burrow.console(
        [`restore client=test-fd jobid=${jobId} storage=Library file=${needle} yes where=${where}`, 'wait', 'messages'], undefined, JOB_TIMEOUT_MS));
      bytes.push(bytesReadBy(burrow, 'sd') - before);
      jobOutcome('burrow restore of the needle from the full cartridge', 'Restore', out);
      if (!readFileSync(join(where, needle)).equals(readFileSync(needle))) throw new Error(`the needle restored from ${volume} differs from its source`);
      seconds.push(s);
      say(`  needle from ${volume}: ${s.toFixed(2)} s, SD read ${bytes.at(-1)} bytes`);
    } finally {
      rmSync(where, { recursive: true, force: true });
    }
  }
  return absolute(dataset.name, NEEDLE_ROW, {
    burrow_s: Number(median(seconds).toFixed(3)), bytes_read: median(bytes),
    note: `a ${statSync(needle).size}-byte file ending after ${(needleEnd / MIB).toFixed(1)} MiB of data on ${volume}, Full at ${(media.volbytes / MIB).toFixed(1)} MiB`,
  });
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
