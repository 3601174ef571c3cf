/**
 * The Director's answers to the Storage daemon during a backup (Bareos's catreq.cc;
 * the SD's side is storage-daemon/src/fd/catalog-batcher.ts and its volume requests):
 * a volume to write on, the file coordinates and volume usage into the catalog, log
 * lines into the job log, until the SD reports the session's end.
 */
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import { peerError, type Channel } from '@burrow/common/net/channel';
import { burrow, timestampToMs } from '@burrow/common/proto/index';
import type { Catalog, FileInput } from '../catalog/index.js';
import { chooseVolume, type PoolPlan } from '../media/volumes.js';
import type { JobLines } from '../messages/job-lines.js';
import type { StorageTarget } from './storage-link.js';

/** The volumes a backup wrote on, in order, filled in as the SD reports them. */
export interface VolumesWritten {
  names: string[];
  lastVolumeBytes: number;
}

/** What the SD reports at the session's end; `status` is its Bareos letter, unchecked. */
export interface StorageSessionEnd {
  files: number;
  bytes: number;
  status: string;
}

export interface BackupSession {
  sd: Channel;
  catalog: Catalog;
  jobId: number;
  pool: PoolPlan;
  storage: StorageTarget;
  log: JobLines;
  volumes: VolumesWritten;
  signal: AbortSignal;
}

export async function serveBackupSession(s: BackupSession): Promise<StorageSessionEnd> {
  const mediaIds = new MediaIds(s.catalog);
  for (;;) {
    const msg = await s.sd.receive(s.signal);
    switch (msg.kind) {
      case 'sdVolumeRequest':
        await answerVolumeRequest(s, mediaIds, msg.body);
        break;
      case 'sdCatalog':
        s.catalog.insertFiles(s.jobId, msg.body.files.map((f) => fileRow(f, mediaIds)));
        break;
      case 'sdVolumeUsage':
        recordVolumeUsage(s, mediaIds, msg.body);
        break;
      case 'jobMessage':
        s.log.relay(msg.body.level, msg.body.text, s.storage.name);
        break;
      case 'sdSessionEnd':
        if (msg.body.error) s.log.error(msg.body.error, s.storage.name);
        return { files: msg.body.files, bytes: msg.body.bytes, status: msg.body.status };
      case 'error':
        throw peerError(msg.body, 'Storage daemon');
      default:
        throw s.sd.violation(`unexpected ${msg.kind} during a backup`);
    }
  }
}

/** The catalog ids of the volumes this session wrote on, looked up once each. */
class MediaIds {
  private readonly ids = new Map<string, number>();

  constructor(private readonly catalog: Catalog) {}

  known(volumeName: string): number | undefined {
    return this.ids.get(volumeName);
  }

  remember(volumeName: string, mediaId: number): void {
    this.ids.set(volumeName, mediaId);
  }

  of(volumeName: string): number {
    let known = this.ids.get(volumeName);
    if (known === undefined) {
      const row = this.catalog.getMediaByName(volumeName);
      if (!row) throw new BurrowError('PROTOCOL', `the SD wrote on volume "${volumeName}", which the catalog does not know`);
      known = row.mediaId;
      this.ids.set(volumeName, known);
    }
    return known;
  }
}

async function answerVolumeRequest(s: BackupSession, mediaIds: MediaIds, req: burrow.SdVolumeRequest): Promise<void> {
  try {
    // The SD could not use the volume it was given: take it out of use so neither
    // this job nor the next one chooses it again.
    const unusable = req.unusableVolume;
    const unusableId = unusable ? mediaIds.known(unusable) : undefined;
    if (unusable && unusableId !== undefined) {
      s.catalog.setMediaStatus(unusableId, 'Error');
      s.log.warning(`Volume "${unusable}" cannot be used: ${req.unusableReason}. Marking Volume "${unusable}" in Error in Catalog.`);
    }
    const choice = chooseVolume(s.catalog, {
      pool: s.pool, storage: s.storage, previousFull: req.previousVolume || undefined, labelMedia: req.labelMedia === true,
      mounted: req.mountedVolume || undefined, unwanted: new Set(req.unwantedVolumes),
    });
    mediaIds.remember(choice.volumeName, choice.mediaId);
    if (choice.label) s.log.info(`Created new Volume "${choice.volumeName}" in catalog.`);
    await s.sd.send('sdVolumeReply', {
      volumeName: choice.volumeName, poolName: s.pool.name, mediaType: s.storage.mediaType,
      label: choice.label, maxVolumeBytes: choice.maxVolumeBytes, endHint: choice.endHint,
    });
  } catch (err) {
    const e = toBurrowError(err);
    await s.sd.send('error', { code: e.code, message: e.message });
    throw e;
  }
}

function recordVolumeUsage(s: BackupSession, mediaIds: MediaIds, u: burrow.SdVolumeUsage): void {
  const { volumeName } = u;
  const mid = mediaIds.of(volumeName);
  s.catalog.addJobMedia({
    jobId: s.jobId, mediaId: mid, firstIndex: u.firstIndex, lastIndex: u.lastIndex,
    startAddr: u.startAddr, endAddr: u.endAddr, volIndex: u.volumeIndex,
  });
  s.catalog.updateMediaUsage(mid, {
    volBytes: u.volBytes, volBlocks: u.volBlocks, lastWritten: Date.now(),
    volStatus: u.full ? 'Full' : undefined, incrementJobs: true,
    addFiles: u.lastIndex >= u.firstIndex && u.firstIndex ? u.lastIndex - u.firstIndex + 1 : 0,
  });
  if (!s.volumes.names.includes(volumeName)) s.volumes.names.push(volumeName);
  s.volumes.lastVolumeBytes = u.volBytes;
  if (u.full) s.log.info(`Volume "${volumeName}" is full (${u.volBytes} bytes); continuing on the next volume.`);
}

function fileRow(f: burrow.CatalogFile, mediaIds: MediaIds): FileInput {
  const attrs = f.attributes ?? new burrow.FileAttributes();
  return {
    fileIndex: f.fileIndex,
    path: Buffer.from(attrs.path),
    mediaId: mediaIds.of(f.volumeName),
    addr: f.addr,
    type: attrs.type,
    size: attrs.size,
    mtime: timestampToMs(attrs.mtime),
    attributes: Buffer.from(burrow.FileAttributes.encode(attrs).finish()),
    digest: f.digest ? Buffer.from(f.digest.value) : null,
    digestAlgorithm: f.digest?.algorithm ?? 0,
  };
}
