/**
 * A disk site over a compressed "year", on the real daemons (issue 11's "Done when"):
 * daily Incrementals, weekly Differentials and monthly Fulls into the three pools of
 * Bareos's stock JobDefs (Full, Differential, Incremental), each with a Volume
 * Retention, Maximum Volume Jobs or Bytes, AutoPrune, Recycle and a Label Format.
 * Retentions are seconds of real time (the Director has no test clock in production):
 * a "day" is DAY ms, the jobs are started by `run`, and the files change between
 * them. Checked: the volume files stay bounded in number and size (they are pruned,
 * recycled and reused, on disk and in `list volumes`); every point still in the
 * catalog restores exactly what the tree was then; an expired point is refused with a
 * clear message; no kept job loses a link of its restore chain, and the job log says
 * which jobs pruning kept for that reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';

/** Real milliseconds per "day". */
const DAY = 1000;
/** Days per "week" and weeks per "month" of the compressed calendar. */
const WEEK = 4;
const MONTH = 3;
const MONTHS = 4;

/**
 * An Incremental volume holds six of the year's Incrementals (each about 1,000 bytes
 * with its labels, the first ~120 of the volume's label), and a seventh's data block
 * does not fit: the limit is about halfway between the two. The count of volumes the
 * year needs depends on this; when the labels grew by the FileSet digest and job start
 * time bscan needs (80 bytes a job), 6,000 held only five and the year needed a ninth
 * volume.
 */
const INCREMENTAL_VOLUME_BYTES = 6500;

type Level = 'Full' | 'Differential' | 'Incremental';

/** Day d's level: a Full on the first day of a month, a Differential on the first of a week, else an Incremental. */
function levelOf(day: number): Level {
  if (day % (WEEK * MONTH) === 0) return 'Full';
  return day % WEEK === 0 ? 'Differential' : 'Incremental';
}

/** The tree as a map of relative path -> contents. */
type Snapshot = Map<string, string>;

function snapshot(root: string, rel = ''): Snapshot {
  const out: Snapshot = new Map();
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) for (const [p, c] of snapshot(root, path)) out.set(p, c);
    else out.set(path, readFileSync(join(root, path), 'utf8'));
  }
  return out;
}

/** What changes on day d: today's log line, a file per week, one deleted now and then. */
function change(src: string, day: number): void {
  writeFileSync(join(src, 'daily.txt'), `day ${day}\n`);
  const week = Math.floor(day / WEEK);
  mkdirSync(join(src, 'weeks'), { recursive: true });
  writeFileSync(join(src, 'weeks', `week-${week}.txt`), `week ${week}, last written on day ${day}\n`);
  if (day % 5 === 4) rmSync(join(src, 'weeks', `week-${week - 1}.txt`), { force: true });
  if (day % (WEEK * MONTH) === 1) writeFileSync(join(src, 'monthly.txt'), `month ${Math.floor(day / (WEEK * MONTH))}\n`);
}

/** Local time with milliseconds, as `restore before=` reads it. */
function when(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

interface Point {
  day: number;
  jobId: number;
  level: Level;
  /** Just before the job was run: it started later. */
  started: number;
  /** Just after the job ended (a `restore before=` of this moment gets its state). */
  at: number;
  tree: Snapshot;
}

test('a compressed year: pruned, recycled, bounded, and every kept point restores exactly', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-year-'));
  const burrow = await Burrow.start({
    include: [src], labelFormat: 'Full-', options: ['Signature = MD5'],
    poolDirectives: ['Volume Retention = 12 seconds', 'Maximum Volume Jobs = 1', 'AutoPrune = yes', 'Recycle = yes'],
    jobDirectives: ['Accurate = yes', 'Full Backup Pool = Full', 'Differential Backup Pool = Differential', 'Incremental Backup Pool = Incremental'],
    directorResources: `
Pool { Name = Differential; Pool Type = Backup; Label Format = "Differential-"; Volume Retention = 9 seconds
  Maximum Volume Jobs = 2; AutoPrune = yes; Recycle = yes }
Pool { Name = Incremental; Pool Type = Backup; Label Format = "Incremental-"; Volume Retention = 5 seconds
  Maximum Volume Bytes = ${INCREMENTAL_VOLUME_BYTES}; AutoPrune = yes; Recycle = yes }`,
  });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });

  const points: Point[] = [];
  const logs: string[] = [];
  /** Volume files on disk after each day: count, bytes, names. */
  const disk: Array<{ day: number; count: number; bytes: number; names: string[] }> = [];
  // Each day starts DAY after the one before, or later when a job ran long: never
  // sooner, so a retention never covers more days than it does at full speed.
  let dayStarted = 0;
  for (let day = 0; day < WEEK * MONTH * MONTHS; day++) {
    await sleep(dayStarted + DAY - Date.now());
    dayStarted = Date.now();
    change(src, day);
    const level = levelOf(day);
    const r = await burrow.console([`run job=backup-test level=${level} yes`, 'wait', 'messages']);
    assert.equal(r.code, 0, r.stdout + burrow.logs());
    assert.match(r.stdout, /Termination:\s+Backup OK\n/, r.stdout);
    assert.match(r.stdout, new RegExp(`Backup Level:\\s+${level}`), r.stdout);
    const jobId = Number(/JobId:\s+(\d+)\n/.exec(r.stdout)?.[1]);
    logs.push(r.stdout);
    points.push({ day, jobId, level, started: dayStarted, at: Date.now(), tree: snapshot(src) });
    const names = readdirSync(burrow.volumes).sort();
    disk.push({ day, count: names.length, bytes: names.reduce((n, v) => n + statSync(join(burrow.volumes, v)).size, 0), names });
  }
  const log = logs.join('\n');
  const summary = disk.map((d) => `day ${d.day}: ${d.count} volumes, ${d.bytes} bytes`).join('\n');

  // Bounded: the volumes are pruned, recycled and reused in every pool, so 48 jobs
  // need no more than 8 volume files ever (7 at full speed; longer days need fewer),
  // and the bytes on disk stay within 8 volumes' worth.
  for (const pool of ['Full', 'Differential', 'Incremental']) {
    assert.match(log, new RegExp(`Recycled volume "${pool}-\\d+" on device "FileStorage"`), `a ${pool} volume is recycled\n${summary}`);
  }
  const everNamed = new Set(disk.flatMap((d) => d.names));
  assert.ok(everNamed.size <= 8, `${everNamed.size} volumes ever made for ${points.length} jobs: ${[...everNamed].join(' ')}\n${summary}`);
  const most = Math.max(...disk.map((d) => d.count));
  assert.ok(most <= 8, `at most 8 volume files for ${points.length} jobs\n${summary}`);
  assert.ok(Math.max(...disk.map((d) => d.bytes)) <= 8 * (INCREMENTAL_VOLUME_BYTES + 1000), `at most 8 volumes' worth of bytes\n${summary}`);
  // The catalog agrees with the disk: one row per volume file, no more.
  const listed = (await burrow.console(['list volumes'])).stdout;
  const rows = [...listed.matchAll(/^\| \d+\s+\| (\S+)\s+\| (\w+)\s+\| (\w+)\s+\|/gm)].map((m) => m[1]!).sort();
  assert.deepEqual(rows, disk.at(-1)!.names, listed);

  // What the catalog still holds, and that no kept job lost a link of its chain.
  const jobList = (await burrow.console(['list jobs'])).stdout;
  const kept = new Set([...jobList.matchAll(/^\| (\d+)\s+\| backup-test/gm)].map((m) => Number(m[1])));
  const chainOf = (i: number): Point[] => {
    const upTo = points.slice(0, i + 1);
    const full = upTo.findLastIndex((p) => p.level === 'Full');
    const diff = upTo.findLastIndex((p, k) => k > full && p.level === 'Differential');
    const base = Math.max(full, diff);
    return [upTo[full]!, ...(diff > full ? [upTo[diff]!] : []), ...upTo.filter((p, k) => k > base && p.level === 'Incremental')];
  };
  assert.ok(!kept.has(points[0]!.jobId), `the first Full has expired and is pruned\n${jobList}`);
  for (const [i, p] of points.entries()) {
    if (!kept.has(p.jobId)) continue;
    const missing = chainOf(i).filter((link) => !kept.has(link.jobId));
    assert.deepEqual(missing.map((m) => m.jobId), [], `JobId ${p.jobId} (day ${p.day}) lost a link of its chain\n${jobList}`);
  }
  // The newest points, started within the shortest retention, are all kept.
  const end = Date.now();
  for (const p of points.filter((q) => q.started > end - 5000)) assert.ok(kept.has(p.jobId), `JobId ${p.jobId} (day ${p.day}) is within retention`);
  // Pruning said which jobs it kept for a chain.
  assert.match(log, /JobId \d+ \((Full|Differential|Incremental)\) is kept: JobId \d+ \((Differential|Incremental)\), which is kept, builds on it/, log);

  // Every point still in the catalog restores exactly what the tree was then.
  const keptPoints = points.filter((p) => kept.has(p.jobId));
  assert.ok(keptPoints.length >= 8, `${keptPoints.length} points kept`);
  for (const [n, p] of keptPoints.entries()) {
    const where = join(burrow.dir, `restored-${n}`);
    const r = await burrow.console([`restore client=test-fd before="${when(p.at)}" all done yes where=${where}`, 'wait', 'messages']);
    assert.equal(r.code, 0, r.stdout + burrow.logs());
    const chain = chainOf(points.indexOf(p)).map((q) => q.jobId).join(',');
    assert.match(r.stdout, new RegExp(`from JobId\\(s\\) ${chain}\\b`), `day ${p.day}: the chain ${chain}\n${r.stdout}`);
    assert.match(r.stdout, /Termination:\s+Restore OK\n/, r.stdout);
    assert.deepEqual(snapshot(join(where, src)), p.tree, `day ${p.day} (JobId ${p.jobId}) restores as it was`);
    rmSync(where, { recursive: true, force: true });
  }

  // An expired point is refused, saying why.
  const expired = await burrow.console([`restore client=test-fd before="${when(points[0]!.at)}" all done yes where=${join(burrow.dir, 'expired')}`]);
  const oldestFull = keptPoints.find((p) => p.level === 'Full')!;
  assert.match(expired.stdout, new RegExp(`no successful Full backup of client "test-fd" in the catalog before \\S+ \\S+: `
    + `the oldest one is JobId ${oldestFull.jobId} of \\S+ \\S+; older backups have passed their retention and been pruned`), expired.stdout);
  assert.doesNotMatch(expired.stdout, /Restore OK|Job queued/, expired.stdout);
  const gone = await burrow.console([`restore jobid=${points[0]!.jobId} all done yes where=${join(burrow.dir, 'expired')}`]);
  assert.match(gone.stdout, new RegExp(`JobId ${points[0]!.jobId} does not exist`), gone.stdout);

  // A pruned point after the oldest kept Full: `before=` means the latest state the
  // catalog keeps before it (Bareos's meaning; the catalog keeps no trace of pruned
  // jobs), and that state restores whole, never a mix of what is left.
  const between = points.find((p) => !kept.has(p.jobId) && p.at > oldestFull.at);
  assert.ok(between, `a pruned point after the oldest kept Full\n${jobList}`);
  {
    const stand = keptPoints.filter((p) => p.at < between.at).at(-1)!;
    const where = join(burrow.dir, 'restored-between');
    const r = await burrow.console([`restore client=test-fd before="${when(between.at)}" all done yes where=${where}`, 'wait', 'messages']);
    const chain = chainOf(points.indexOf(stand)).map((q) => q.jobId).join(',');
    assert.match(r.stdout, new RegExp(`from JobId\\(s\\) ${chain}\\b`), `day ${between.day} (pruned) gives day ${stand.day}'s state\n${r.stdout}`);
    assert.deepEqual(snapshot(join(where, src)), stand.tree);
  }
});
