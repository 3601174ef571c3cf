/**
 * A backup session on the SD: records from the File daemon go onto volumes through a
 * SessionWriter; each file's attributes, digest and coordinates go to the Director in
 * batches for the catalog; volumes come from the Director when the session needs one.
 */
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import { burrow } from '@burrow/common/proto/index';
import { BackupRecordCheck, type CheckedRecord } from './record-check.js';
import { SessionWriter, type SessionRecord, type SessionStats, type VolumeUsage } from '../volume/session-writer.js';
import { withCommas } from '@burrow/common/progress/index';
import { AttributeSpool, DataSpool, JobSpool } from '../spool/index.js';
import { BLOCK_HEADER_SIZE, MAX_BLOCK_PAYLOAD } from '../volume/block.js';
import { NoRoomForLabel, type AppendVolume } from '../devices/drive.js';
import type { AppendReservation, WakeCause } from '../reservations/index.js';
import { NotInChanger } from '../changers/changer-drive.js';
import { CatalogBatcher } from './catalog-batcher.js';
import { CheckpointClock } from './checkpoints.js';
import { sessionPace, sessionSignal, type SessionParties } from './session.js';
import type { Bandwidth } from '@burrow/common/net/bandwidth';

/** Files in one block at most: a catalog batch (catalog-batcher.ts). */
const FILES_PER_BLOCK = 1000;

/** How many unusable volumes one volume request may skip before the job gives up. */
const MAX_UNUSABLE_VOLUMES = 5;

export async function runBackupSession(s: SessionParties, order: burrow.SdBackupSession, reservation: AppendReservation): Promise<void> {
  const { jobId } = order;
  const signal = sessionSignal(s);
  const say = (text: string): Promise<void> => s.director.send('jobMessage', { jobId, level: 'info', text });
  // With attributes spooled, the catalog hears of the files only at the end, once all the data is on the volume.
  const attributes = order.spoolAttributes || order.spoolData ? await AttributeSpool.create(s.ctx.spools.attributePath(jobId)) : null;
  const toDirector = (files: burrow.ICatalogFile[]): Promise<void> => s.director.send('sdCatalog', { files });
  const batcher = new CatalogBatcher(attributes ? (files) => attributes.add(files) : toDirector);
  const volumeFor = volumeSource(s, { order, reservation, signal });
  const checkpointsOn = s.ctx.checkpointIntervalMs > 0;
  // Files count as saved at a checkpoint only once they are in the catalog (never, while their attributes are spooled).
  const savedIndex = (): number => (checkpointsOn && attributes === null ? batcher.completeIndex : 0);
  const writer = new SessionWriter({
    sessionId: jobId,
    sessionLabel: { jobId, jobName: order.jobName, client: order.client, fileset: order.fileset, level: order.level, pool: order.pool },
    startLabel: { filesetDigest: order.filesetDigest, jobStartTime: order.jobStartTime },
    // A tape's Maximum Block Size bounds the blocks (header included); otherwise the writer's own size.
    ...(reservation.maximumBlockSize ? { blockSize: Math.min(reservation.maximumBlockSize - BLOCK_HEADER_SIZE, MAX_BLOCK_PAYLOAD) } : {}),
    openVolume: () => volumeFor(''),
    nextVolume: (previous: VolumeUsage) => volumeFor(previous.volumeName),
    onFileStart: (fileIndex, volumeName, addr) => batcher.located(fileIndex, volumeName, addr),
    onDeviceNote: (note) => s.director.send('jobMessage', { jobId, level: note.level, text: note.text }),
    onVolumeUsage: async (u) => {
      await batcher.flush();
      // With checkpoints on, a volume change is one too (Bareos): the files whole so far are said.
      await s.director.send('sdVolumeUsage', { ...u, completeIndex: savedIndex() });
    },
    waitForSpace: spaceWait(s, { order, reservation, signal }),
    onSpaceAgain: async (volumeName) => {
      await s.director.send('sdSpaceAgain', { volumeName });
      s.log.info({ jobId, volume: volumeName }, 'space on the disk again');
    },
    signal,
  });
  const clock = checkpointsOn ? new CheckpointClock(async () => {
    const usage = await writer.checkpoint();
    if (usage === undefined) return;
    await batcher.flush();
    await s.director.send('sdVolumeUsage', { ...usage, checkpoint: true, completeIndex: savedIndex() });
  }, s.ctx.checkpointIntervalMs) : null;
  const toVolume = volumeSink({ writer, batcher, clock, written: s.ctx.metrics.written });
  const spool = order.spoolData ? await jobSpool(s, { order, reservation, writer, clock, toVolume, say }) : null;
  const received = { files: 0, bytes: 0 };
  const running = s.ctx.running.get(jobId);
  if (running) {
    running.progress = () => (spool ? received : { files: batcher.files, bytes: writer.stats().bytes });
    if (spool) running.spool = () => ({ state: spool.state, bytes: spool.size });
  }
  const closeOk = async (): Promise<SessionStats> => writer.close({ files: batcher.files, bytes: writer.stats().bytes, status: 'T' });
  try {
    await spool?.start();
    await receiveRecords(s.client, { put: spool ? (rec) => spool.put(rec) : toVolume, signal, received, pace: sessionPace(s) });
    await clock?.stop();
    let stats: SessionStats | undefined;
    if (spool) {
      await spool.finish(async () => { stats = await closeOk(); });
      // Gone before the Director hears of the end (and the job ends for those who wait on it).
      await spool.discard();
    } else {
      stats = await closeOk();
    }
    if (stats === undefined) throw new BurrowError('INTERNAL', 'the session ended without its end label');
    await batcher.finish();
    if (attributes) {
      await say(`Sending spooled attrs to the Director. Despooling ${withCommas(attributes.size)} bytes ...`);
      await attributes.despool(toDirector, signal);
      await attributes.remove();
    }
    // The Director hears of the end first: once the client has its answer (and goes on to
    // its Run After Job), the session is the Director's to commit, even if this SD dies.
    await s.director.send('sdSessionEnd', { files: stats.files, bytes: stats.bytes, status: 'T', records: stats.records });
    await s.client.send('dataEndAck', { records: stats.records });
    s.log.info({ jobId, files: stats.files, bytes: stats.bytes }, 'backup session complete');
  } catch (err) {
    await clock?.stop();
    const e = toBurrowError(err);
    // Keep what was written readable: end the session on the volume if the device still works
    // (a spooling job that never despooled has nothing there: its volume is not asked for).
    if (spool && writer.stats().volumes === 0) await writer.release();
    else await writer.close({ files: batcher.files, status: e.code === 'JOB_CANCELED' ? 'A' : 'E' }).catch(() => writer.release());
    await batcher.finish().catch(() => undefined);
    throw e;
  } finally {
    await spool?.discard();
    await attributes?.remove();
  }
}

/**
 * Writes one checked record to the volume, as a backup that does not spool writes all
 * of them: the catalog batch learns of the file's attributes and digest, the write goes
 * through the checkpoint clock, and a full batch leaves.
 */
function volumeSink(o: {
  writer: SessionWriter; batcher: CatalogBatcher; written: (bytes: number) => void;
  /** Checkpoints, when on: each write goes through it so that none overlaps one. */
  clock: CheckpointClock | null;
}): (rec: SessionRecord, checked?: CheckedRecord) => Promise<void> {
  return async (rec, checked = replayed(rec)) => {
    // A copy of the attributes: the record is a view of a network buffer, which the batch must not keep alive.
    if (checked.kind === 'attributes') o.batcher.begin(rec.fileIndex, Buffer.from(rec.data));
    else if (checked.kind === 'digest') o.batcher.digest(rec.fileIndex, checked.digest);
    await (o.clock ? o.clock.write(() => writeOne(o.writer, rec)) : writeOne(o.writer, rec));
    o.written(rec.data.length);
    await o.batcher.sendFull();
  };
}

/** What a record read back from the spool is: it was checked (record-check.ts) when it came in. */
function replayed(rec: SessionRecord): CheckedRecord {
  if (rec.stream === burrow.Stream.STREAM_ATTRIBUTES) return { kind: 'attributes' };
  if (rec.stream === burrow.Stream.STREAM_DIGEST) return { kind: 'digest', digest: burrow.FileDigest.decode(rec.data) };
  return { kind: 'data' };
}

/**
 * The job's spool (spool/): its file in the Device's Spool Directory, its limits (the
 * job's Spool Size, else the Device's Maximum Job Spool Size; the Device's Maximum
 * Spool Size for all its jobs), and the volume path each despool takes.
 */
async function jobSpool(s: SessionParties, o: {
  order: burrow.SdBackupSession; reservation: AppendReservation; writer: SessionWriter; clock: CheckpointClock | null;
  toVolume: (rec: SessionRecord) => Promise<void>; say: (text: string) => Promise<void>;
}): Promise<JobSpool> {
  const settings = s.ctx.spools.settings(o.reservation.deviceName);
  const spoolSize = Number(o.order.spoolSize);
  const file = await DataSpool.create(s.ctx.spools.dataPath(settings.directory, o.order.jobId, o.reservation.driveName));
  const inClock = (work: () => Promise<void>): Promise<void> => (o.clock ? o.clock.write(work) : work());
  return new JobSpool({
    spool: file, drive: s.ctx.spools.drive(o.reservation.driveName),
    jobLimit: spoolSize > 0 ? spoolSize : settings.maximumJobSpoolSize, deviceLimit: settings.maximumSpoolSize,
    takeDrive: (signal) => o.reservation.holdForDespool(signal),
    write: o.toVolume,
    volumeName: () => o.writer.volumeNow(),
    endPart: () => inClock(() => o.writer.park()),
    say: o.say,
    signal: sessionSignal(s),
  });
}

/**
 * Where the session's next volume comes from: the Director names it (labelling a new
 * one, or recycling an old one, first when it says so), told which volume the job's drive has mounted and which
 * other drives append to. A volume that is not ours (or a foreign file where a label
 * should go) is left untouched and reported, and the Director is asked for another, as
 * Bareos does; otherwise one stray file would stop every backup of the pool. A volume
 * another drive took meanwhile is asked around the same way, without blaming it; a
 * cartridge in no slot of the drive's changer is reported as such, and the Director has
 * the job wait for it to be put in (or for another volume). Once
 * a volume is mounted the Director hears so (sdVolumeMounted) and commits its choice.
 * The drive's writers ask one at a time (AppendReservation.chooseVolume), each once
 * the one before has its volume mounted.
 */
function volumeSource(s: SessionParties, o: { order: burrow.SdBackupSession; reservation: AppendReservation; signal: AbortSignal }): (previous: string) => Promise<AppendVolume> {
  const { order: { jobId }, reservation, signal } = o;
  const say = (text: string): Promise<void> => s.director.send('jobMessage', { jobId, level: 'info', text });
  const openVolume = async (reply: burrow.SdVolumeReply, previous: string): Promise<AppendVolume> => {
    const name = reply.volumeName;
    // The Director only asks for a label when the request said Label Media; a second look costs nothing.
    if (reply.label && !reservation.labelMedia) {
      throw new BurrowError('DEVICE', `Device ${reservation.printName} has Label Media = no: volume "${name}" must be labelled with the label command`);
    }
    const labelled = reply.label || reply.recycle;
    const volume = await reservation.openAppend(name, {
      maxVolumeBytes: reply.maxVolumeBytes, endHint: reply.endHint || undefined, signal, recycle: reply.recycle,
      // A volume written before: its tape must hold the files the catalog counts.
      catalogFiles: labelled ? undefined : reply.volFiles,
      // A volume labelled to go on from a full one names it (Bareos's PrevVolumeName), so bls can follow the span.
      label: labelled ? { poolName: reply.poolName, mediaType: reply.mediaType, labelledBy: s.ctx.name, previousVolume: previous || undefined } : undefined,
    });
    await say(reply.recycle ? `Recycled volume "${name}" on device ${reservation.printName}, all previous data lost.`
      : reply.label ? `Labeled new Volume "${name}" on Device ${reservation.printName}.`
      : `Volume "${name}" previously written, moving to end of data at ${volume.endAddress()}.`);
    await s.director.send('sdVolumeMounted', {
      volumeName: name, volBytes: volume.volBytes(), volBlocks: volume.volBlocks(), labelled, slot: reservation.cartridgeSlot(), changerDrive: reservation.changerDrive(),
      volFiles: volume.filesAtOpen,
    });
    return volume;
  };
  /**
   * A new volume whose label the disk had no room for (its file is gone again): the job
   * waits for space as for a first data block (spaceWait), then labels it again.
   */
  const openWhenRoom = async (reply: burrow.SdVolumeReply, previous: string): Promise<AppendVolume> => {
    const wait = spaceWait(s, o);
    let waited = false;
    for (;;) {
      try {
        const volume = await openVolume(reply, previous);
        if (waited) await s.director.send('sdSpaceAgain', { volumeName: reply.volumeName });
        return volume;
      } catch (err) {
        if (!(err instanceof NoRoomForLabel)) throw err;
        waited = true;
        await wait(err.volumeName, err.message);
      }
    }
  };
  return (previous) => reservation.chooseVolume(() => askForVolume(previous), signal);
  async function askForVolume(previous: string): Promise<AppendVolume> {
    let unusable: { volume: string; reason: string } | undefined;
    let notInChanger: string | undefined;
    let askingAgain: '' | 'poll' | WakeCause = '';
    const taken = new Set<string>();
    for (let refused = 0; ;) {
      const reply = await s.pump.requestVolume({
        jobId, previousVolume: previous, unusable, notInChanger, labelMedia: reservation.labelMedia, askingAgain, device: reservation.printName,
        mountedVolume: reservation.mountedVolume() ?? undefined, unwantedVolumes: [...reservation.unwantedVolumes(), ...taken],
      });
      unusable = undefined;
      notInChanger = undefined;
      if (reply.noVolume) {
        askingAgain = await reservation.waitForOperatorOrPoll(reply.wantedVolume || null, reply.pollSeconds, signal);
        continue;
      }
      askingAgain = '';
      // The session's pool is the one whose Allowed Clients were checked at reservation: no volume of another.
      if (reply.poolName !== o.order.pool) throw new BurrowError('DEVICE', `Volume "${reply.volumeName}" is in Pool "${reply.poolName}", not in the job's Pool "${o.order.pool}"`);
      if (reservation.inUseElsewhere(reply.volumeName)) {
        if (++refused >= MAX_UNUSABLE_VOLUMES) throw new BurrowError('DEVICE', `Volume "${reply.volumeName}" is in use on another drive, and so were the ${refused - 1} before it`);
        taken.add(reply.volumeName);
        continue;
      }
      try {
        return await openWhenRoom(reply, previous);
      } catch (err) {
        // A cartridge out of the library: the Director notes it and the job waits for it (or another), it is not unusable.
        if (err instanceof NotInChanger) {
          notInChanger = err.volumeName;
          continue;
        }
        const e = toBurrowError(err);
        // Not ours, or gone from the Archive Device (Bareos marks both in Error and goes on).
        if ((e.code !== 'VOLUME_FORMAT' && e.code !== 'NOT_FOUND') || ++refused >= MAX_UNUSABLE_VOLUMES) throw e;
        unusable = { volume: reply.volumeName, reason: e.message };
      }
    }
  }
}

/**
 * The disk under the job's volume is too full for its first data block (a File device's
 * volumes share one disk: another volume would not help). The Director has the job wait
 * (its status, the operator's message); the session waits on its drive, as for a volume,
 * until the operator mounts there (having freed space) or the poll interval passes, and
 * then writes the block again; a full disk once more asks again, saying what woke it.
 */
function spaceWait(s: SessionParties, o: { order: burrow.SdBackupSession; reservation: AppendReservation; signal: AbortSignal }): (volumeName: string, reason?: string) => Promise<void> {
  const { order: { jobId }, reservation, signal } = o;
  let askingAgain: '' | 'poll' | WakeCause = '';
  return async (volumeName, reason) => {
    s.log.warn({ jobId, volume: volumeName }, 'no space left on the disk; waiting for the operator');
    const reply = await s.pump.requestVolume({
      jobId, previousVolume: '', noSpace: volumeName, noSpaceReason: reason, labelMedia: reservation.labelMedia, askingAgain,
      device: reservation.printName, mountedVolume: volumeName, unwantedVolumes: [],
    });
    if (!reply.noVolume) throw new BurrowError('PROTOCOL', `the Director named volume "${reply.volumeName}" while the job waits for space on the disk of "${volumeName}"`);
    askingAgain = await reservation.waitForOperatorOrPoll(volumeName, reply.pollSeconds, signal);
  };
}

/**
 * The File daemon's records until its dataEnd, each checked (record-check.ts) before
 * `put` takes it (to the volume, or to the job's spool). A record that breaks the
 * rules closes the connection, saying why.
 */
async function receiveRecords(client: Channel, o: {
  put: (rec: SessionRecord, checked: CheckedRecord) => Promise<void>;
  signal: AbortSignal;
  /** Files and bytes received, for status while the job spools. */
  received: { files: number; bytes: number };
  /** The Storage resource's Maximum Bandwidth Per Job: the next record is read no sooner than it allows. */
  pace?: Bandwidth;
}): Promise<void> {
  const rules = new BackupRecordCheck();
  for (;;) {
    const msg = await client.receive(o.signal);
    if (msg.kind === 'dataEnd') return;
    if (msg.kind !== 'dataRecord') throw client.violation(`unexpected ${msg.kind} in a backup stream`);
    const rec = msg.body;
    let checked: CheckedRecord;
    try {
      checked = rules.check(rec);
    } catch (err) {
      throw client.violation((err as Error).message);
    }
    await o.put(rec, checked);
    if (checked.kind === 'attributes') o.received.files += 1;
    const bytes = rec.data.length;
    o.received.bytes += bytes;
    // The writer (or the spool) copied the bytes; a data record's buffer may serve again
    // (attributes and digests are small, never pooled, and the batch keeps views of digests).
    if (checked.kind === 'data') rec.release?.();
    await o.pace?.take(bytes, o.signal);
  }
}

async function writeOne(writer: SessionWriter, rec: SessionRecord): Promise<void> {
  await writer.writeRecord(rec);
  // A block of tiny files holds thousands: written short once a catalog batch waits on it,
  // so the batch leaves and its entries do not pile up (and outlive young collections).
  if (writer.filesWaiting >= FILES_PER_BLOCK) await writer.flush();
}
