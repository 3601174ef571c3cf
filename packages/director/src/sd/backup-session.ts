/**
 * The Director's answers to the Storage daemon during a backup (Bareos's catreq.cc;
 * the SD's side is storage-daemon/src/fd/catalog-batcher.ts and its volume requests):
 * a volume to write on, the file coordinates and volume usage into the catalog, log
 * lines into the job log, until the SD reports the session's end.
 */
import { toBurrowError } from '@burrow/common/errors/index';
import { peerError, type Channel } from '@burrow/common/net/channel';
import { attributeColumns } from '@burrow/common/proto/attribute-columns';
import type { burrow } from '@burrow/common/proto/index';
import type { Catalog, FileInput } from '../catalog/index.js';
import type { JobVolumes } from '../media/job-volumes.js';
import type { PoolPlan } from '../media/pools.js';
import type { JobLines } from '../messages/job-lines.js';
import { receiveUnlessExpired } from './session-receive.js';
import type { StorageTarget } from './storage-link.js';

/** What the SD said when the Director had no volume for it. */
export interface NoVolumeNow {
  /** The volume the operator should mount or label, or null for any appendable volume. */
  wanted: string | null;
  /** '' for a new request; 'poll', 'mount', 'label' or 'slots' for what made the SD ask again. */
  askingAgain: string;
  /** The job's drive as Bareos prints it. */
  device: string;
  /** The media module's explanation of why there is no volume. */
  reason: string;
  /** The wanted volume's cartridge is out of the changer: where it was last seen, for the operator. */
  location?: string;
  /** The wanted volume's Pool and Media Type, when they are not the job's (a restore reads volumes of any pool). */
  pool?: string;
  mediaType?: string;
  /** The wanted volume is mounted, but the disk under it has no room: the operator is to free space. */
  noSpace?: boolean;
}

/**
 * The job's side of waiting for a volume (jobs/volume-wait.ts): its status, the
 * operator's messages, its Max Wait Time. The session only reports and obeys.
 */
export interface VolumeWaiting {
  /** Aborts when the job may wait no longer (its Max Wait Time). */
  readonly expired: AbortSignal;
  /** No volume now: returns how long the SD waits before asking again; throws when the job must give up. */
  noVolume(req: NoVolumeNow): { pollSeconds: number };
  /** A volume was had, or the session ends. */
  found(): void;
}

/** The volumes a backup wrote on, in order, filled in as the SD reports them. */
export interface VolumesWritten {
  names: string[];
  lastVolumeBytes: number;
  /**
   * Files 1..savedFiles are whole on the volumes and in the catalog, by the SD's last
   * checkpoint (Checkpoint Interval); 0 without one. A job that fails keeps them: Incomplete.
   */
  savedFiles: number;
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
  /** The media module's view of this job's volumes: choice, mounts, usage, limits. */
  media: JobVolumes;
  pool: PoolPlan;
  storage: StorageTarget;
  log: JobLines;
  volumes: VolumesWritten;
  /** The job's wait for a volume, when the media module has none. */
  wait: VolumeWaiting;
  signal: AbortSignal;
  /** Told of each volume mounted on the job's drive (a live event: jobs/drive-session.ts). */
  drive?: { mounted(m: burrow.SdVolumeMounted): void };
}

export async function serveBackupSession(s: BackupSession): Promise<StorageSessionEnd> {
  const signal = AbortSignal.any([s.signal, s.wait.expired]);
  try {
    for (;;) {
      const msg = await receiveUnlessExpired(s.sd, { jobId: s.jobId, signal: s.signal, expired: s.wait.expired });
      switch (msg.kind) {
        case 'sdVolumeRequest':
          await answerVolumeRequest(s, msg.body, signal);
          break;
        case 'sdVolumeMounted': {
          const { lines, warnings } = await s.media.mounted({
            volumeName: msg.body.volumeName, volBytes: msg.body.volBytes, volBlocks: msg.body.volBlocks, labelled: msg.body.labelled, slot: msg.body.slot, drive: msg.body.changerDrive - 1,
            volFiles: msg.body.volFiles,
          });
          for (const w of warnings ?? []) s.log.warning(w);
          say(s, lines);
          s.drive?.mounted(msg.body);
          break;
        }
        case 'sdCatalog': {
          // The batch's volumes first (one or two, known after the first batch), then its rows.
          const mediaIds = await s.media.mediaIdsOf(msg.body.files.map((f) => f.volumeName));
          await s.catalog.insertFiles(s.jobId, msg.body.files.map((f) => fileRow(f, mediaIds)));
          break;
        }
        case 'sdVolumeUsage':
          await recordVolumeUsage(s, msg.body);
          break;
        case 'sdSpaceAgain':
          s.wait.found();
          s.log.info(`Space on the disk again: Volume "${msg.body.volumeName}" takes the job's data.`);
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
  } finally {
    s.wait.found();
    s.media.release();
  }
}

/** How soon the SD asks again after an operator's mount or label that did not give a volume yet. */
const AFTER_OPERATOR_SECONDS = 2;

function say(s: BackupSession, lines: readonly string[]): void {
  for (const line of lines) s.log.info(line);
}

async function answerVolumeRequest(s: BackupSession, req: burrow.SdVolumeRequest, signal: AbortSignal): Promise<void> {
  try {
    if (req.noSpaceVolume) return await askForSpace(s, req);
    await s.media.untilMountedSettled(req.mountedVolume || undefined, signal);
    const { value: choice, lines, warnings, reason, wanted, outOfChanger } = await s.media.next({
      previousFull: req.previousVolume || undefined, notInChanger: req.notInChangerVolume || undefined,
      unusable: req.unusableVolume ? { volume: req.unusableVolume, reason: req.unusableReason } : undefined,
      labelMedia: req.labelMedia === true, mounted: req.mountedVolume || undefined, othersAppend: req.unwantedVolumes,
    });
    for (const w of warnings ?? []) s.log.warning(w);
    say(s, lines);
    if (choice === null) {
      // Nothing now: the job waits for the operator (or a volume to appear) instead of failing.
      const { pollSeconds } = s.wait.noVolume({
        wanted: wanted ?? null, askingAgain: req.askingAgain, device: req.device || `"${s.storage.device}"`, reason: reason ?? '', location: outOfChanger?.location,
      });
      // Right after a mount or label, once more soon: the label's catalog row may be a moment behind the SD's wake.
      const poll = ['mount', 'label', 'slots'].includes(req.askingAgain) ? Math.min(pollSeconds, AFTER_OPERATOR_SECONDS) : pollSeconds;
      await s.sd.send('sdVolumeReply', { noVolume: true, wantedVolume: wanted ?? '', pollSeconds: poll });
      return;
    }
    s.wait.found();
    await s.sd.send('sdVolumeReply', {
      volumeName: choice.volumeName, poolName: s.pool.name, mediaType: s.storage.mediaType,
      label: choice.action === 'label', recycle: choice.action === 'recycle', maxVolumeBytes: choice.maxVolBytes, endHint: choice.endHint,
      // The SD refuses a tape whose data ends in fewer files than this (Bareos's is_eod_valid).
      volFiles: choice.action === 'append' ? choice.media?.volFiles ?? 0 : 0,
    });
  } catch (err) {
    const e = toBurrowError(err);
    await s.sd.send('error', { code: e.code, message: e.message });
    throw e;
  }
}

/**
 * The disk under the job's mounted volume has no room for its first data block, or the
 * disk under the device has none for a new volume's label: no other volume of the
 * device would do better, so the job waits for the operator to free space and mount (or
 * for the poll interval), and the SD then tries the same volume again.
 */
async function askForSpace(s: BackupSession, req: burrow.SdVolumeRequest): Promise<void> {
  const volume = req.noSpaceVolume;
  const device = req.device || `"${s.storage.device}"`;
  const { pollSeconds } = s.wait.noVolume({
    wanted: volume, askingAgain: req.askingAgain, device, noSpace: true,
    reason: req.noSpaceReason || `No space left on the disk of Device ${device}: Volume "${volume}" cannot take its first data block.`,
  });
  await s.sd.send('sdVolumeReply', { noVolume: true, wantedVolume: volume, pollSeconds });
}

async function recordVolumeUsage(s: BackupSession, u: burrow.SdVolumeUsage): Promise<void> {
  if (u.checkpoint) return recordCheckpoint(s, u);
  const { volumeName } = u;
  const mediaId = await s.media.mediaIdOf(volumeName);
  if (u.completeIndex > s.volumes.savedFiles) await s.catalog.checkpointJob(s.jobId, s.volumes.savedFiles = u.completeIndex);
  await s.catalog.addJobMedia({
    jobId: s.jobId, mediaId, firstIndex: u.firstIndex, lastIndex: u.lastIndex,
    startAddr: u.startAddr, endAddr: u.endAddr, volIndex: u.volumeIndex,
  });
  say(s, (await s.media.usage(volumeName, {
    // A spooling job comes back to a volume after each despool (a row each time): it is one of the volume's jobs once.
    volBytes: u.volBytes, volBlocks: u.volBlocks, volStatus: u.full ? 'Full' : undefined, incrementJobs: !s.volumes.names.includes(volumeName),
    volFiles: u.volFiles,
  })).lines);
  if (!s.volumes.names.includes(volumeName)) s.volumes.names.push(volumeName);
  s.volumes.lastVolumeBytes = u.volBytes;
  if (u.full) s.log.info(`Volume "${volumeName}" is full (${u.volBytes} bytes); continuing on the next volume.`);
}

/**
 * A checkpoint (Bareos's, SD Checkpoint Interval): the files the SD has just sent whole
 * are kept as the job's saved files, with a JobMedia row reaching to the last of them
 * (replaced by the next checkpoint or the volume's end) and the volume's size so far.
 */
async function recordCheckpoint(s: BackupSession, u: burrow.SdVolumeUsage): Promise<void> {
  const mediaId = await s.media.mediaIdOf(u.volumeName);
  const lastIndex = Math.min(u.lastIndex, u.completeIndex);
  if (u.firstIndex > 0 && lastIndex >= u.firstIndex) {
    await s.catalog.addJobMedia({
      jobId: s.jobId, mediaId, firstIndex: u.firstIndex, lastIndex,
      startAddr: u.startAddr, endAddr: u.endAddr, volIndex: u.volumeIndex,
    });
  }
  say(s, (await s.media.usage(u.volumeName, { volBytes: u.volBytes, volBlocks: u.volBlocks, volFiles: u.volFiles })).lines);
  if (u.completeIndex > s.volumes.savedFiles) {
    await s.catalog.checkpointJob(s.jobId, s.volumes.savedFiles = u.completeIndex);
    s.log.info(`Checkpoint: ${u.completeIndex} files saved so far are on Volume "${u.volumeName}" and in the catalog.`);
  }
}

/** A catalog row from what the SD sent: the attributes record is kept as it came, only its columns read. */
function fileRow(f: burrow.CatalogFile, mediaIds: ReadonlyMap<string, number>): FileInput {
  const attributes = Buffer.from(f.attributes.buffer, f.attributes.byteOffset, f.attributes.byteLength);
  const columns = attributeColumns(attributes);
  return {
    fileIndex: f.fileIndex,
    path: columns.path,
    mediaId: mediaIds.get(f.volumeName)!,
    addr: f.addr,
    type: columns.type,
    size: columns.size,
    mtime: columns.mtimeMs,
    attributes,
    digest: f.digest ? Buffer.from(f.digest.value) : null,
    digestAlgorithm: f.digest?.algorithm ?? 0,
  };
}
