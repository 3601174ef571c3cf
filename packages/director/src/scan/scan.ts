/**
 * bscan's work: rebuilds the catalog rows of what volumes hold, read in one pass
 * with the Storage daemon's volume reader — Pool and Media from each volume label
 * (the Media counters from its blocks), Client, FileSet and Job from each session's
 * labels (the JobId is the session id, so a bootstrap written before still names it),
 * JobMedia per session and volume, and a File row per file with the block address
 * of its attributes record and its digest. Sessions that span volumes are followed
 * when the volumes are read in the order they were written.
 *
 * Rows already in the catalog are kept: a Job whose JobId is there is not scanned
 * again, a Media row keeps its counters unless `updateMedia` (-m). Without a catalog
 * (no -s) nothing is written and the same counts are reported.
 */
import { burrow, timestampToMs } from '@burrow/common/proto/index';
import { readProblem, type VolumeItem } from '@burrow/storage-daemon/offline/index';
import type { Catalog, FileInput, MediaPatch } from '../catalog/index.js';
import { fileInput, finalStatus, levelOf, resourceName, type ScannedFile } from './rows.js';

export interface ScanOptions {
  /** Where rows go; absent: a dry run that only counts (bscan without -s). */
  catalog?: Catalog;
  /** -m: also update the counters of Media rows already in the catalog. */
  updateMedia: boolean;
  /** A line for the operator; `detail` lines only matter with -v. */
  say: (line: string, detail?: boolean) => void;
}

/** Rows added or updated, by table (Bareos's closing summary). */
export interface ScanTotals {
  pools: number;
  media: number;
  jobs: number;
  jobMedia: number;
  files: number;
  /** Damage and other problems the reader reported. */
  problems: number;
}

/** Files per insert: large enough for fast inserts, small enough to bound memory (as the SD batches them). */
const BATCH_FILES = 1000;

interface VolumeSeen {
  name: string;
  label: burrow.VolumeLabel;
  /** Null in a dry run. */
  mediaId: number | null;
  /** Counters are written for media this scan created, and for all with -m. */
  writeCounters: boolean;
  blocks: number;
  bytes: number;
  firstWritten: number | null;
  lastWritten: number | null;
  sessions: Set<number>;
  /** VolFiles: on tape the filemarks, the last block's tape file + 1 (devices/drive.ts volumeFiles). */
  files: number;
  /** A session went on to another volume from here: the volume was full. */
  full: boolean;
}

interface Usage {
  volumeName: string;
  volIndex: number;
  startAddr: number;
  endAddr: number;
  firstIndex: number;
  lastIndex: number;
  /** On tape: the tape file of the row's blocks (a new one starts a new row, as the SD writes them). */
  tapeFile?: number | undefined;
}

interface SessionSeen {
  jobId: number;
  /** The job is in the catalog already: its records are read past. */
  known: boolean;
  usage: Usage[];
  pending: ScannedFile | null;
  batch: FileInput[];
  lastTime: number;
}

export class VolumeScan {
  readonly totals: ScanTotals = { pools: 0, media: 0, jobs: 0, jobMedia: 0, files: 0, problems: 0 };
  private readonly volumes = new Map<string, VolumeSeen>();
  private readonly sessions = new Map<number, SessionSeen>();
  private current: VolumeSeen | undefined;
  private labelBlockBytes = 0;
  private labelBlockFiles = 0;
  /** Pools this scan created (or, in a dry run, would create). */
  private readonly poolsMade = new Set<string>();

  constructor(private readonly o: ScanOptions) {}

  /** Asynchronous: a file row batch goes to the catalog now and then. */
  async see(item: VolumeItem): Promise<void> {
    switch (item.kind) {
      case 'volume-label': return await this.startVolume(item.label);
      case 'block': return this.countBlock(item);
      case 'session-start': return await this.startSession(item.sessionId, item.addr, item.label);
      case 'session-end': return this.endSession(item.sessionId, item.label);
      case 'record': return this.record(item.sessionId, item);
      default: {
        const problem = readProblem(item);
        if (problem === undefined) return;
        if (item.kind !== 'unfinished' && problem.severity === 'error') this.totals.problems++;
        this.o.say(problem.file ? `JobId ${problem.file.sessionId} FileIndex ${problem.file.fileIndex}: ${problem.text}` : problem.text);
      }
    }
  }

  /** After the last volume: sessions whose end was not seen, and the Media counters. */
  async finish(): Promise<ScanTotals> {
    for (const s of this.sessions.values()) {
      if (s.known) continue;
      this.o.say(`JobId ${s.jobId}: no end-of-session label on the volumes scanned (a later volume missing, or its job died); the job is marked failed (E)`);
      await this.closeSession(s, { status: 'E', endTime: s.lastTime, jobFiles: s.usage.length ? Math.max(...s.usage.map((u) => u.lastIndex)) : 0, jobBytes: 0 });
    }
    for (const v of this.volumes.values()) await this.writeCounters(v);
    return this.totals;
  }

  private volume(): VolumeSeen {
    if (this.current === undefined) throw new Error('a session label before any volume label');
    return this.current;
  }

  private async startVolume(label: burrow.VolumeLabel): Promise<void> {
    const c = this.o.catalog;
    const seen: VolumeSeen = {
      name: label.volumeName, label, mediaId: null, writeCounters: true, blocks: 1, bytes: this.labelBlockBytes,
      firstWritten: null, lastWritten: null, sessions: new Set(), files: this.labelBlockFiles, full: false,
    };
    this.volumes.set(label.volumeName, seen);
    this.current = seen;
    const existing = await c?.getMediaByName(label.volumeName);
    if (existing !== undefined) {
      seen.mediaId = existing.mediaId;
      seen.writeCounters = this.o.updateMedia;
      this.o.say(`Media record for Volume "${label.volumeName}" already exists${this.o.updateMedia ? '; its counters will be updated (-m)' : ''}`, true);
      return;
    }
    let pool = await c?.getPool(label.poolName);
    if (pool === undefined && !this.poolsMade.has(label.poolName)) {
      this.poolsMade.add(label.poolName);
      await c?.ensurePool({ name: label.poolName });
      pool = await c?.getPool(label.poolName);
      this.totals.pools++;
      this.o.say(`Created Pool record for Pool "${label.poolName}"`, true);
    }
    const labelDate = label.labelTime ? timestampToMs(label.labelTime) : null;
    if (c !== undefined && pool !== undefined) {
      seen.mediaId = await c.createMedia({
        volumeName: label.volumeName, poolId: pool.poolId, mediaType: label.mediaType, labelDate, createTime: labelDate ?? undefined,
      });
    }
    this.totals.media++;
    this.o.say(`Created Media record for Volume "${label.volumeName}" (Pool "${label.poolName}", MediaType "${label.mediaType}")`, true);
  }

  private countBlock(item: Extract<VolumeItem, { kind: 'block' }>): void {
    // The volume label's block comes before the label that says which volume this is.
    if (item.sessionId === 0) {
      this.labelBlockBytes = item.bytes;
      this.labelBlockFiles = item.volFiles;
      return;
    }
    const v = this.volume();
    v.blocks++;
    v.bytes += item.bytes;
    v.files = Math.max(v.files, item.volFiles);
    const s = this.sessions.get(item.sessionId);
    let usage = s?.usage.at(-1);
    if (s === undefined || usage === undefined || usage.volumeName !== v.name) return;
    // A filemark at Maximum File Size: the SD ended the job's JobMedia row there and began the next (volume-usage.ts).
    if (item.tapeFile !== undefined && usage.tapeFile !== undefined && item.tapeFile !== usage.tapeFile) {
      usage = { volumeName: v.name, volIndex: usage.volIndex + 1, startAddr: item.addr, endAddr: item.addr, firstIndex: 0, lastIndex: 0 };
      s.usage.push(usage);
    }
    usage.tapeFile = item.tapeFile;
    usage.endAddr = item.addr;
    if (item.firstIndex === 0) return;
    if (usage.firstIndex === 0 || item.firstIndex < usage.firstIndex) usage.firstIndex = item.firstIndex;
    if (item.lastIndex > usage.lastIndex) usage.lastIndex = item.lastIndex;
  }

  private async startSession(jobId: number, addr: number, label: burrow.SessionLabel): Promise<void> {
    const v = this.volume();
    const time = label.time ? timestampToMs(label.time) : 0;
    v.sessions.add(jobId);
    v.firstWritten ??= time;
    v.lastWritten = Math.max(v.lastWritten ?? 0, time);
    let s = this.sessions.get(jobId);
    if (s !== undefined) {
      const before = s.usage.at(-1);
      if (before !== undefined) {
        const from = this.volumes.get(before.volumeName);
        if (from !== undefined) from.full = true;
      }
    } else {
      s = { jobId, known: await this.jobKnown(jobId, label), usage: [], pending: null, batch: [], lastTime: time };
      this.sessions.set(jobId, s);
      // The Director's start time when the label has it: the next Incremental's since must not be later.
      if (!s.known) await this.createJob(jobId, label, label.jobStartTime ? timestampToMs(label.jobStartTime) : time);
    }
    s.usage.push({ volumeName: v.name, volIndex: label.volumeIndex || s.usage.length + 1, startAddr: addr, endAddr: addr, firstIndex: 0, lastIndex: 0 });
  }

  private async jobKnown(jobId: number, label: burrow.SessionLabel): Promise<boolean> {
    const row = await this.o.catalog?.getJob(jobId);
    if (row === undefined) return false;
    const same = row.job === label.jobName;
    this.o.say(same
      ? `JobId ${jobId} (Job ${row.job}) is in the catalog already: not scanned again`
      : `JobId ${jobId} is in the catalog as another job (${row.job}, the volume says ${label.jobName}): its session is not scanned`, same);
    return true;
  }

  private async createJob(jobId: number, label: burrow.SessionLabel, time: number): Promise<void> {
    this.totals.jobs++;
    const level = levelOf(label.level);
    this.o.say(`Created Job record for JobId=${jobId} Job=${label.jobName} Level=${label.level} Client="${label.client}" FileSet="${label.fileset}"`, true);
    const c = this.o.catalog;
    if (c === undefined) return;
    const poolId = (await c.getPool(label.pool))?.poolId ?? null;
    await c.createJob({
      jobId, job: label.jobName, name: resourceName(label.jobName), type: 'B', level: level ?? 'F',
      clientId: await c.ensureClient(label.client), fileSetId: await c.ensureFileSet(label.fileset, label.filesetDigest), poolId, schedTime: time,
    });
    await c.startJob(jobId, time);
    if (level === undefined) this.o.say(`JobId ${jobId}: unknown level "${label.level}" in its session label; recorded as Full`);
  }

  private async record(sessionId: number, rec: Extract<VolumeItem, { kind: 'record' }>): Promise<void> {
    const s = this.sessions.get(sessionId);
    rec.release?.();
    if (s === undefined || s.known) return;
    if (rec.stream === burrow.Stream.STREAM_ATTRIBUTES) {
      await this.completeFile(s);
      s.pending = { fileIndex: rec.fileIndex, attributes: Buffer.from(rec.data), volumeName: rec.volumeName, addr: rec.addr };
    } else if (rec.stream === burrow.Stream.STREAM_DIGEST && s.pending?.fileIndex === rec.fileIndex) {
      try {
        s.pending.digest = burrow.FileDigest.decode(rec.data);
      } catch (err) {
        this.totals.problems++;
        this.o.say(`JobId ${sessionId} FileIndex ${rec.fileIndex}: undecodable digest record: ${(err as Error).message}`);
      }
    }
  }

  private async completeFile(s: SessionSeen): Promise<void> {
    const f = s.pending;
    s.pending = null;
    if (f === null) return;
    this.totals.files++;
    const mediaId = this.volumes.get(f.volumeName)?.mediaId;
    if (this.o.catalog === undefined || mediaId == null) return;
    try {
      s.batch.push(fileInput(f, mediaId));
    } catch (err) {
      this.totals.problems++;
      this.o.say(`JobId ${s.jobId} FileIndex ${f.fileIndex}: ${(err as Error).message}; no File row`);
    }
    if (s.batch.length >= BATCH_FILES) await this.flushFiles(s);
  }

  private async flushFiles(s: SessionSeen): Promise<void> {
    if (s.batch.length > 0) await this.o.catalog?.insertFiles(s.jobId, s.batch.splice(0));
  }

  private async endSession(jobId: number, label: burrow.SessionLabel): Promise<void> {
    const s = this.sessions.get(jobId);
    const time = label.time ? timestampToMs(label.time) : 0;
    const v = this.volume();
    v.lastWritten = Math.max(v.lastWritten ?? 0, time);
    if (s === undefined || s.known) {
      this.sessions.delete(jobId);
      return;
    }
    await this.closeSession(s, { status: finalStatus(label.status), endTime: time, jobFiles: Number(label.files), jobBytes: Number(label.bytes) });
  }

  private async closeSession(s: SessionSeen, end: { status: ReturnType<typeof finalStatus>; endTime: number; jobFiles: number; jobBytes: number }): Promise<void> {
    await this.completeFile(s);
    await this.flushFiles(s);
    this.sessions.delete(s.jobId);
    for (const u of s.usage) {
      const v = this.volumes.get(u.volumeName);
      this.totals.jobMedia++;
      if (v?.mediaId == null) continue;
      await this.o.catalog?.addJobMedia({
        jobId: s.jobId, mediaId: v.mediaId, firstIndex: u.firstIndex, lastIndex: u.lastIndex,
        startAddr: u.startAddr, endAddr: u.endAddr, volIndex: u.volIndex,
      });
    }
    await this.o.catalog?.finishJob(s.jobId, end);
    this.o.say(`Updated Job record for JobId=${s.jobId}: status ${end.status}, ${end.jobFiles} files, ${end.jobBytes} bytes`, true);
  }

  private async writeCounters(v: VolumeSeen): Promise<void> {
    if (!v.writeCounters || v.mediaId === null || this.o.catalog === undefined) return;
    const patch: MediaPatch = {
      volBytes: v.bytes, volBlocks: v.blocks, volJobs: v.sessions.size, volFiles: v.files,
      firstWritten: v.firstWritten, lastWritten: v.lastWritten,
    };
    if (v.full) patch.volStatus = 'Full';
    await this.o.catalog.updateMedia(v.mediaId, patch);
    this.o.say(`Updated Media record for Volume "${v.name}": ${v.blocks} blocks, ${v.bytes} bytes, ${v.sessions.size} jobs, VolFiles ${v.files}${v.full ? ', Full' : ''}`, true);
  }
}
