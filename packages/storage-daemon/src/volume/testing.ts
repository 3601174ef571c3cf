/**
 * Test helpers for volume code: a file drive on a fresh temporary directory, mounting
 * and opening a volume by name in one call, and a quick way to write one session of
 * records. Used by this package's unit tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { burrow } from '@burrow/common/proto/generated';
import { BurrowError } from '@burrow/common/errors/index';
import type { AppendOptions, AppendVolume, Drive, ReadVolume } from '../devices/drive.js';
import { fileArchive, fileDrive } from '../devices/random-access-drive.js';
import type { Archive } from '../devices/volume-store.js';
import { SessionWriter, type SessionRecord, type SessionWriterOptions } from './session-writer.js';
import type { VolumeUsage } from './volume-usage.js';

export interface TempDrive {
  drive: Drive;
  archive: Archive;
  dir: string;
  cleanup: () => Promise<void>;
}

/** A file drive named FileStorage on a new temporary directory. */
export async function tempDrive(): Promise<TempDrive> {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-vol-'));
  const archive = fileArchive(dir);
  return {
    drive: fileDrive({ name: 'FileStorage', archive }),
    archive,
    dir,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Mounts `volumeName` on `drive` and opens it for reading. */
export async function openForRead(drive: Drive, volumeName: string, signal?: AbortSignal): Promise<ReadVolume> {
  await drive.mount(volumeName, signal);
  return drive.openRead(signal);
}

/** Mounts `volumeName` on `drive` and opens it for appending. */
export async function openForAppend(drive: Drive, volumeName: string, options?: AppendOptions): Promise<AppendVolume> {
  await drive.mount(volumeName, options?.signal);
  return drive.openAppend(options);
}

/** An attributes record for `path` (raw bytes allowed). */
export function attributesRecord(fileIndex: number, path: string | Buffer): SessionRecord {
  const bytes = typeof path === 'string' ? Buffer.from(path) : path;
  const data = Buffer.from(burrow.FileAttributes.encode({ path: bytes, type: burrow.FileType.FT_REGULAR, mode: 0o644 }).finish());
  return { fileIndex, stream: burrow.Stream.STREAM_ATTRIBUTES, data };
}

/** A data record: u64 offset then the bytes (docs/volume-format.md, stream 2). */
export function dataRecord(fileIndex: number, offset: number, bytes: Buffer): SessionRecord {
  const head = Buffer.alloc(8);
  head.writeBigUInt64BE(BigInt(offset));
  return { fileIndex, stream: burrow.Stream.STREAM_DATA, data: Buffer.concat([head, bytes]) };
}

/** A session of a file's attributes and one data record per file, of every size the restore path treats differently (`sizes` in turn). */
export function mixedRecords(files: number, sizes = [300, 9_000, 40_000, 200_000, 1_000_000, 5]): SessionRecord[] {
  const out: SessionRecord[] = [];
  for (let f = 1; f <= files; f++) {
    out.push(attributesRecord(f, `/data/file${f}`));
    out.push({ fileIndex: f, stream: burrow.Stream.STREAM_DATA, data: patternBytes(sizes[f % sizes.length]!, f) });
  }
  return out;
}

/** Deterministic bytes, different per seed, so misplaced data shows. */
export function patternBytes(length: number, seed: number): Buffer {
  const buf = Buffer.alloc(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    buf[i] = x & 0xff;
  }
  return buf;
}

export interface WrittenSession {
  fileStarts: Map<number, { volumeName: string; addr: number }>;
  usages: VolumeUsage[];
}

/** Writes `records` as session `sessionId` on `volumeName` (labelled first if new). */
export async function writeSession(
  drive: Drive, volumeName: string, sessionId: number, records: SessionRecord[],
  extra: Partial<SessionWriterOptions> = {},
): Promise<WrittenSession> {
  await drive.mount(volumeName).catch(async (err: unknown) => {
    if (!(err instanceof BurrowError) || err.code !== 'NOT_FOUND') throw err;
    await drive.label(volumeName, { poolName: 'Full', mediaType: 'File' });
  });
  const result: WrittenSession = { fileStarts: new Map(), usages: [] };
  const writer = new SessionWriter({
    sessionId,
    sessionLabel: { jobId: sessionId, jobName: `job-${sessionId}`, client: 'c1', level: 'F' },
    blockSize: 1024,
    openVolume: () => drive.openAppend(),
    nextVolume: () => { throw new Error('unexpected volume change'); },
    onFileStart: (fileIndex, vol, addr) => result.fileStarts.set(fileIndex, { volumeName: vol, addr }),
    onVolumeUsage: (u) => { result.usages.push(u); },
    ...extra,
  });
  for (const rec of records) await writer.writeRecord(rec);
  await writer.close({ files: records.length, status: 'T' });
  return result;
}

/**
 * Writes `records` as session `sessionId` as a job killed mid-record leaves it: the
 * writer is aborted once `abortAfterBlocks` data blocks are handed to the volume (inside the
 * last record when it spans more blocks), then the session is ended with `status`,
 * as the SD does when its job fails (backup-receiver.ts). The volume must exist.
 */
export async function writeAbortedSession(
  drive: Drive, volumeName: string, sessionId: number, records: SessionRecord[], o: { abortAfterBlocks: number; status: string },
): Promise<void> {
  await drive.mount(volumeName);
  const abort = new AbortController();
  let blocks = 0;
  const writer = new SessionWriter({
    sessionId,
    sessionLabel: { jobId: sessionId, jobName: `job-${sessionId}`, client: 'c1', level: 'F' },
    blockSize: 1024,
    openVolume: async () => {
      const volume = await drive.openAppend();
      const writeBlock = volume.writeBlock.bind(volume);
      // The job is killed as the block is handed over (it is still written): the writer,
      // which fills the next block meanwhile, stops inside the record that spans on.
      volume.writeBlock = async (block, options) => {
        if (block.flags === 0 && ++blocks >= o.abortAfterBlocks) abort.abort(new BurrowError('JOB_CANCELED', 'killed'));
        return writeBlock(block, options);
      };
      return volume;
    },
    nextVolume: () => { throw new Error('unexpected volume change'); },
    signal: abort.signal,
  });
  try {
    for (const rec of records) await writer.writeRecord(rec);
    await writer.written(); // the last block handed over may be the one that aborts
    if (!abort.signal.aborted) throw new Error(`the session was not aborted within ${records.length} records`);
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  }
  await writer.close({ files: 1, status: o.status });
}
