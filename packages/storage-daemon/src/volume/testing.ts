/**
 * Test helpers for volume code: a File device in a fresh temporary directory, and a
 * quick way to write one session of records. Used by this package's unit tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { burrow } from '@burrow/common/proto/generated';
import { FileDevice } from '../devices/file-device.js';
import { SessionWriter, type SessionRecord, type SessionWriterOptions } from './session-writer.js';
import type { VolumeUsage } from './volume-usage.js';

export interface TempDevice {
  device: FileDevice;
  dir: string;
  cleanup: () => Promise<void>;
}

export async function tempDevice(): Promise<TempDevice> {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-vol-'));
  return {
    device: new FileDevice({ name: 'FileStorage', archiveDevice: dir }),
    dir,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
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
  device: FileDevice, volumeName: string, sessionId: number, records: SessionRecord[],
  extra: Partial<SessionWriterOptions> = {},
): Promise<WrittenSession> {
  if (!(await device.exists(volumeName))) await device.label(volumeName, { poolName: 'Full', mediaType: 'File' });
  const result: WrittenSession = { fileStarts: new Map(), usages: [] };
  const writer = new SessionWriter({
    sessionId,
    sessionLabel: { jobId: sessionId, jobName: `job-${sessionId}`, client: 'c1', level: 'F' },
    blockSize: 1024,
    openVolume: () => device.openForAppend(volumeName),
    nextVolume: () => { throw new Error('unexpected volume change'); },
    onFileStart: (fileIndex, vol, addr) => result.fileStarts.set(fileIndex, { volumeName: vol, addr }),
    onVolumeUsage: (u) => { result.usages.push(u); },
    ...extra,
  });
  for (const rec of records) await writer.writeRecord(rec);
  await writer.close({ files: records.length, status: 'T' });
  return result;
}
