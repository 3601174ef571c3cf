/**
 * A backup session on the SD: records from the File daemon go onto volumes through a
 * SessionWriter; each file's attributes, digest and coordinates go to the Director in
 * batches for the catalog; volumes come from the Director when the session needs one.
 */
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import type { Logger } from '@burrow/common/log/index';
import { asBuffer, burrow, isDataStream } from '@burrow/common/proto/index';
import type { StorageContext } from '../context.js';
import type { DirectorPump } from '../dir/director-pump.js';
import { SessionWriter, type VolumeUsage } from '../volume/session-writer.js';
import type { AppendVolume } from '../devices/device.js';
import { CatalogBatcher } from './catalog-batcher.js';

/** How many unusable volumes one volume request may skip before the job gives up. */
const MAX_UNUSABLE_VOLUMES = 5;

export async function runBackupSession(
  ctx: StorageContext, director: Channel, pump: DirectorPump, client: Channel, order: burrow.SdBackupSession, log: Logger,
): Promise<void> {
  const jobId = order.jobId;
  const device = ctx.device(order.device);
  const signal = AbortSignal.any([pump.cancel.signal, ctx.signal]);
  const batcher = new CatalogBatcher((files) => director.send('sdCatalog', { files }));

  const openVolume = async (reply: burrow.SdVolumeReply): Promise<AppendVolume> => {
    const name = reply.volumeName;
    if (reply.label) {
      // The Director only asks when the request said Label Media; a second look costs nothing.
      if (!device.labelMedia) throw new BurrowError('DEVICE', `Device "${device.name}" has Label Media = no: volume "${name}" must be labelled with the label command`);
      await device.label(name, { poolName: reply.poolName, mediaType: reply.mediaType, labelledBy: ctx.name });
      await director.send('jobMessage', { jobId, level: 'info', text: `Labeled new Volume "${name}" on Device "${device.name}".` });
    }
    const volume = await device.openForAppend(name, { maxVolumeBytes: reply.maxVolumeBytes, endHint: reply.endHint || undefined, signal });
    if (!reply.label) {
      await director.send('jobMessage', { jobId, level: 'info', text: `Volume "${name}" previously written, moving to end of data at ${volume.endAddress()}.` });
    }
    return volume;
  };

  // A volume that is not ours (or a foreign file where a label should go) is left
  // untouched and reported, and the Director is asked for another, as Bareos does;
  // otherwise one stray file would stop every backup of the pool.
  const volumeFor = async (previous: string): Promise<AppendVolume> => {
    let unusable: { volume: string; reason: string } | undefined;
    for (let attempt = 1; ; attempt++) {
      const reply = await pump.requestVolume({ jobId, previousVolume: previous, unusable, labelMedia: device.labelMedia });
      try {
        return await openVolume(reply);
      } catch (err) {
        const e = toBurrowError(err);
        if (e.code !== 'VOLUME_FORMAT' || attempt >= MAX_UNUSABLE_VOLUMES) throw e;
        unusable = { volume: reply.volumeName, reason: e.message };
      }
    }
  };

  const writer = new SessionWriter({
    sessionId: jobId,
    sessionLabel: { jobId, jobName: order.jobName, client: order.client, fileset: order.fileset, level: order.level, pool: order.pool },
    openVolume: () => volumeFor(''),
    nextVolume: (previous: VolumeUsage) => volumeFor(previous.volumeName),
    onFileStart: (fileIndex, volumeName, addr) => batcher.located(fileIndex, volumeName, addr),
    onVolumeUsage: async (u) => {
      await batcher.flush();
      await director.send('sdVolumeUsage', u);
    },
    signal,
  });

  let lastIndex = 0;
  try {
    for (;;) {
      const msg = await client.receive(signal);
      if (msg.kind === 'dataEnd') break;
      if (msg.kind !== 'dataRecord') throw client.violation(`unexpected ${msg.kind} in a backup stream`);
      const rec = msg.body;
      const { fileIndex, stream } = rec;
      const data = asBuffer(rec.data);
      if (fileIndex < lastIndex || fileIndex < 1) throw client.violation(`file index ${fileIndex} after ${lastIndex}`);
      if (stream === burrow.Stream.STREAM_ATTRIBUTES) {
        if (fileIndex === lastIndex) throw client.violation(`second attributes record for file ${fileIndex}`);
        batcher.begin(fileIndex, decodeOrViolate(client, () => burrow.FileAttributes.decode(data), 'attributes'));
      } else if (fileIndex !== lastIndex) {
        throw client.violation(`stream ${stream} for file ${fileIndex} before its attributes`);
      } else if (stream === burrow.Stream.STREAM_DIGEST) {
        batcher.digest(fileIndex, decodeOrViolate(client, () => burrow.FileDigest.decode(data), 'digest'));
      } else if (!isDataStream(stream)) {
        throw client.violation(`unknown stream ${stream}`);
      }
      lastIndex = fileIndex;
      await writer.writeRecord({ fileIndex, stream, data });
      await batcher.sendFull();
    }
    const stats = await writer.close({ files: batcher.files, bytes: writer.stats().bytes, status: 'T' });
    await batcher.finish();
    await client.send('dataEndAck', { records: stats.records });
    await director.send('sdSessionEnd', { files: stats.files, bytes: stats.bytes, status: 'T', records: stats.records });
    log.info({ jobId, files: stats.files, bytes: stats.bytes }, 'backup session complete');
  } catch (err) {
    const e = toBurrowError(err);
    // Keep what was written readable: end the session on the volume if the device still works.
    await writer.close({ files: batcher.files, status: e.code === 'JOB_CANCELED' ? 'A' : 'E' }).catch(() => writer.release());
    await batcher.finish().catch(() => undefined);
    throw e;
  }
}

function decodeOrViolate<T>(client: Channel, decode: () => T, what: string): T {
  try {
    return decode();
  } catch (err) {
    throw client.violation(`undecodable ${what} record: ${(err as Error).message}`);
  }
}

