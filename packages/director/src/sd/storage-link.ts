/**
 * The Director's side of the Storage daemon conversation (its peer is
 * storage-daemon/src/dir/). One connection per job or per console request, as Bareos
 * does, so the connection itself is the session. The Director's answers to the SD's
 * requests during a backup (Bareos's catreq.cc) are in backup-session.ts.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { peerError, type Channel } from '@burrow/common/net/channel';
import type { burrow } from '@burrow/common/proto/index';
import { connectDaemon, type Persisting } from '../peer-connect.js';
import type { Bootstrap } from '@burrow/common/bootstrap/bootstrap';
import { bootstrapToWire } from '@burrow/common/bootstrap/wire';
import type { JobLines } from '../messages/job-lines.js';

/** A Storage resource as a job reaches it: the SD, the devices it offers and their media type. */
export interface StorageTarget {
  name: string;
  address: string;
  port: number;
  password: string;
  /** The first of `devices`, for messages before the SD has reserved a drive. */
  device: string;
  /** The Storage's Device directives: Devices, Count devices or Autochangers the SD reserves a drive among. */
  devices: readonly string[];
  mediaType: string;
  /** Lan Address: where a client on the Storage daemon's LAN reaches it (jobs/data-channel.ts). */
  lanAddress?: string;
  /** Heartbeat Interval in ms (the Storage's, else the Director's). */
  heartbeatMs?: number;
  /** Auto Changer = yes: the volumes of the changer (InChanger = 1 in this Storage) are chosen first. */
  autoChanger: boolean;
  /** The Storage resource's Maximum Concurrent Jobs (the Director's limit for it). */
  maximumConcurrentJobs: number;
}

/** The reservation a job session asks the SD for (Bareos's "use storage=" and "use device=" lines). */
export function reservationOf(target: StorageTarget): { storage: string; mediaType: string; device: string; devices: string[] } {
  return { storage: target.name, mediaType: target.mediaType, device: target.device, devices: [...target.devices] };
}

/**
 * Waits for the SD to open the session (it may first wait for a drive), passing its
 * job log lines on meanwhile; returns the one-job token and the drive it reserved.
 */
export async function awaitSessionReady(sd: Channel, o: { log: JobLines; storageName: string; signal: AbortSignal }): Promise<burrow.SdSessionReady> {
  for (;;) {
    const msg = await sd.receive(o.signal);
    if (msg.kind === 'sdReady') return msg.body;
    if (msg.kind === 'jobMessage') o.log.relay(msg.body.level, msg.body.text, o.storageName);
    else if (msg.kind === 'error') throw peerError(msg.body, 'Storage daemon');
    else throw sd.violation(`expected sdReady, got ${msg.kind}`);
  }
}

/** A connection to the SD: tried once, or (a job's, `persisting`) until the SD Connect Timeout. */
export function openStorage(target: StorageTarget, directorName: string, signal?: AbortSignal, persisting?: Persisting): Promise<Channel> {
  return connectDaemon(target, 'storage', directorName, signal, persisting);
}

export interface LabelRequest {
  volumeName: string;
  poolName: string;
  /** Write a fresh label over the volume's own label of this name (truncate): its data is lost. */
  overwrite?: boolean;
  /** `relabel`: the volume that takes `volumeName` and a fresh label (its data is lost). */
  oldVolumeName?: string;
  /** The drive of the Storage's device (a Count device or Autochanger), from 0 (Bareos's drive=). */
  drive?: number;
  /** An autochanger's slot whose cartridge the drive loads first (label slot=). */
  slot?: number;
}

/** Writes a volume label through the SD; returns the volume's size and files (VolFiles) after labelling. */
export async function labelVolume(target: StorageTarget, directorName: string, req: LabelRequest): Promise<{ volBytes: number; volFiles: number }> {
  const channel = await openStorage(target, directorName);
  try {
    await channel.send('sdLabel', { device: target.device, drive: req.drive ?? 0, volumeName: req.volumeName, poolName: req.poolName, mediaType: target.mediaType, overwrite: req.overwrite === true, oldVolumeName: req.oldVolumeName ?? '', slot: req.slot ?? 0 });
    const reply = await channel.expect('sdLabelReply');
    return { volBytes: Number(reply.volBytes), volFiles: reply.volFiles };
  } finally {
    channel.close('label done');
  }
}

/** The operator's `mount`, `unmount` and `release` of a drive (Bareos's dir_cmd.cc). */
export interface DriveCommand {
  /** wake: after update slots, the jobs waiting on the Storage's drives ask for a volume again; readlabel: read the label of a slot's cartridge (update slots scan). */
  action: 'mount' | 'unmount' | 'release' | 'wake' | 'readlabel' | 'nextwrite';
  /** The drive of the Storage's device, from 0 (Bareos's drive=). */
  drive: number;
  /** mount, readlabel: the changer slot to load. */
  slot?: number;
  /** mount: the volume to mount on a File drive; nextwrite: the tape volume. */
  volumeName?: string;
  /** nextwrite: the volume's next write position (file × 2^32 + block). */
  address?: number;
}

/** Passes the command to the SD, which does it on the drive; returns its numbered reply ("3001 ..."). */
export async function driveCommand(target: StorageTarget, directorName: string, cmd: DriveCommand): Promise<burrow.SdDriveReply> {
  const channel = await openStorage(target, directorName);
  try {
    await channel.send('sdDrive', { action: cmd.action, device: target.device, drive: cmd.drive, slot: cmd.slot ?? 0, volumeName: cmd.volumeName ?? '', address: cmd.address ?? 0 });
    return await channel.expect('sdDriveReply');
  } finally {
    channel.close(`${cmd.action} done`);
  }
}

/** An autochanger question (update slots, status slots, label barcodes); a refusal (39xx) is a DEVICE error with the SD's words. */
export async function changerCommand(target: StorageTarget, directorName: string, cmd: { action: 'list' | 'listall' | 'slots' | 'transfer'; slot?: number; destination?: number }): Promise<burrow.SdChangerReply> {
  const channel = await openStorage(target, directorName);
  try {
    await channel.send('sdChanger', { action: cmd.action, device: target.device, slot: cmd.slot ?? 0, destination: cmd.destination ?? 0 });
    const reply = await channel.expect('sdChangerReply');
    if (reply.code >= 3900) throw new BurrowError('DEVICE', reply.text);
    return reply;
  } finally {
    channel.close(`autochanger ${cmd.action} done`);
  }
}

export interface ReadSession {
  sd: Channel;
  token: Uint8Array;
  /** The drive the SD reserved for the job. */
  device: string;
}

/**
 * Opens a read session (restore, volume verify) on the SD: sends the bootstrap the
 * job built (volumes, sessions, block addresses, file indexes) and returns the
 * one-job token the FD connects with.
 */
export async function openReadSession(
  target: StorageTarget, directorName: string,
  o: { jobId: number; jobName: string; bootstrap: Bootstrap; signal: AbortSignal; log: JobLines; opened: (sd: Channel) => void; persisting?: Persisting },
): Promise<ReadSession> {
  const volumes = bootstrapToWire(o.bootstrap);
  const sd = await openStorage(target, directorName, o.signal, o.persisting);
  o.opened(sd);
  await sd.send('sdRestore', { jobId: o.jobId, jobName: o.jobName, volumes, ...reservationOf(target) });
  const ready = await awaitSessionReady(sd, { log: o.log, storageName: target.name, signal: o.signal });
  return { sd, token: ready.token, device: ready.device || target.device };
}
