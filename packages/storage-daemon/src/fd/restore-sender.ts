/**
 * A restore session on the SD: read what the bootstrap names — per job session, its
 * volumes from the block address of the first wanted file, only the wanted file
 * indexes — from the drive the job holds (its ReadReservation), and stream those
 * records to the File daemon. Damage is reported to the Director by address and the
 * remaining files still go out. A volume whose cartridge is in no slot of the drive's
 * changer is waited for, not given up (Bareos's read acquire).
 */
import { burrow } from '@burrow/common/proto/index';
import type { ReadVolume } from '../devices/drive.js';
import { NotInChanger } from '../changers/changer-drive.js';
import type { ReadReservation, WakeCause } from '../reservations/index.js';
import { sessionPace, sessionSignal, type SessionParties } from './session.js';
import { readVolumes } from '../volume/multi-volume-reader.js';
import { groupBySession, readProblem, WantedFiles } from '../volume/session-parts.js';
import type { FileRef } from '../volume/reader.js';
import { FramePool } from '@burrow/common/net/frame-pool';
import { RECORD_FRAME_ROOM } from '@burrow/common/net/record-frame';

export async function runRestoreSession(s: SessionParties, order: burrow.SdRestoreSession, reservation: ReadReservation): Promise<void> {
  const { director, client, log } = s;
  const jobId = order.jobId;
  const signal = sessionSignal(s);
  let records = 0;
  let bytes = 0;
  let problems = 0;
  let files = 0;
  // `file`: the file a line is about, which the volume knows only by number; the Director names it.
  const report = (text: string, file?: FileRef, level: 'error' | 'warning' = 'error'): Promise<void> => {
    if (level === 'error') problems++;
    return director.send('jobMessage', { jobId, level, text, ...file });
  };
  const running = s.ctx.running.get(jobId);
  if (running) running.progress = () => ({ files, bytes });
  // Records put together from two blocks serve again once the socket wrote them.
  const pool = new FramePool();
  const pace = sessionPace(s);
  for (const part of groupBySession(order.volumes)) {
    const unseen = new WantedFiles(part);
    await client.send('dataSessionStart', { sessionId: part.sessionId });
    const items = readVolumes({
      pool,
      openVolume: (name, sig) => openForRead(s, { jobId, reservation, volumeName: name }, sig ?? signal),
      volumes: part.volumes,
      sessionId: part.sessionId,
      signal,
    });
    for await (const item of items) {
      switch (item.kind) {
        case 'record':
          records++;
          bytes += item.data.length;
          s.ctx.metrics.read(item.data.length);
          if (item.stream === burrow.Stream.STREAM_ATTRIBUTES) {
            files++;
            unseen.found(item.fileIndex);
          }
          if (pace) await client.sendRecordPaced(item, framedInPlace(item), item.release, (n) => pace.take(n, signal));
          else await client.sendRecord(item, framedInPlace(item), item.release);
          break;
        default: {
          const problem = readProblem(item);
          if (problem !== undefined) await report(problem.text, problem.file, problem.severity);
        }
      }
    }
    for (const line of unseen.missing()) await report(line.text, line.file);
  }
  // The Director first, as a backup's end (backup-receiver.ts): the client's end then
  // comes after the Director has the SD's.
  await director.send('sdSessionEnd', { files, bytes, records, status: problems > 0 ? 'W' : 'T' });
  await client.send('dataEnd', {});
  log.info({ jobId, records, bytes, problems }, 'restore session complete');
}

/**
 * A record's frame sealed where it lies (its block's record header, already read, is
 * overwritten by the wire frame's): no copy behind a new header, one write. Undefined
 * when the record offers no room in front of its bytes (put together from fragments).
 */
export function framedInPlace(record: { data: Buffer; room?: number }): Buffer | undefined {
  const { data, room = 0 } = record;
  if (room < RECORD_FRAME_ROOM) return undefined;
  return Buffer.from(data.buffer, data.byteOffset - RECORD_FRAME_ROOM, data.length + RECORD_FRAME_ROOM);
}

/**
 * Opens a volume the session must read. When its cartridge is in no slot of the drive's
 * changer (whatever the catalog said), the Director is told (it notes it and asks the
 * operator: "Please mount read Volume"), and the session waits on its drive until the
 * operator mounts there, update slots or import finds cartridges, or the Director's
 * poll interval passes, then tries again; a cancel ends the wait. After a wait, Bareos's
 * "Ready to read from volume" tells the Director the wait is over.
 */
async function openForRead(s: SessionParties, o: { jobId: number; reservation: ReadReservation; volumeName: string }, signal: AbortSignal): Promise<ReadVolume> {
  const { jobId, reservation, volumeName } = o;
  let askingAgain: '' | 'poll' | WakeCause = '';
  for (;;) {
    try {
      const volume = await reservation.openRead(volumeName, signal);
      try {
        // A changer's drive: the Director keeps where the cartridge is, and that it was loaded.
        const changerDrive = reservation.changerDrive();
        if (changerDrive > 0) await s.director.send('sdVolumeMounted', { volumeName, slot: reservation.cartridgeSlot(), changerDrive });
        if (askingAgain !== '') {
          await s.director.send('jobMessage', { jobId, level: 'info', text: `Ready to read from volume "${volumeName}" on device ${reservation.printName}.` });
        }
      } catch (err) {
        // The Director's connection failed while it was told: the volume is not read, and its drive must not stay busy reading it.
        await volume.close().catch(() => undefined);
        throw err;
      }
      return volume;
    } catch (err) {
      if (!(err instanceof NotInChanger)) throw err;
      const reply = await s.pump.requestReadVolume({ jobId, volumeName, notInChanger: true, askingAgain, device: reservation.printName });
      askingAgain = await reservation.waitForOperatorOrPoll(volumeName, reply.pollSeconds, signal);
    }
  }
}
