/**
 * A restore session on the SD: read what the bootstrap names — per job session, its
 * volumes from the block address of the first wanted file, only the wanted file
 * indexes — from the drive the job holds (its ReadReservation), and stream those
 * records to the File daemon. Damage is reported to the Director by address and the
 * remaining files still go out.
 */
import { burrow } from '@burrow/common/proto/index';
import type { ReadReservation } from '../reservations/index.js';
import { sessionSignal, type SessionParties } from './session.js';
import { readVolumes, type VolumeToRead } from '../volume/multi-volume-reader.js';

interface SessionPart {
  sessionId: number;
  volumes: VolumeToRead[];
}

/** Consecutive bootstrap entries of one session are read as one multi-volume run. */
export function groupBySession(volumes: readonly burrow.BootstrapVolume[]): SessionPart[] {
  const parts: SessionPart[] = [];
  for (const v of volumes) {
    const { sessionId } = v;
    let last = parts[parts.length - 1];
    if (!last || last.sessionId !== sessionId) {
      last = { sessionId, volumes: [] };
      parts.push(last);
    }
    last.volumes.push({ volumeName: v.volumeName, startAddr: v.startAddr, fileIndexes: v.fileIndexes });
  }
  return parts;
}

export async function runRestoreSession(s: SessionParties, order: burrow.SdRestoreSession, reservation: ReadReservation): Promise<void> {
  const { director, client, log } = s;
  const jobId = order.jobId;
  const signal = sessionSignal(s);
  let records = 0;
  let bytes = 0;
  let problems = 0;
  let files = 0;
  const report = (text: string): Promise<void> => {
    problems++;
    return director.send('jobMessage', { jobId, level: 'error', text });
  };
  for (const part of groupBySession(order.volumes)) {
    await client.send('dataSessionStart', { sessionId: part.sessionId });
    const items = readVolumes({
      openVolume: (name, s) => reservation.openRead(name, s),
      volumes: part.volumes,
      sessionId: part.sessionId,
      signal,
    });
    for await (const item of items) {
      switch (item.kind) {
        case 'record':
          records++;
          bytes += item.data.length;
          if (item.stream === burrow.Stream.STREAM_ATTRIBUTES) files++;
          await client.sendRecord(item);
          break;
        case 'error':
          await report(`damaged data on Volume at address ${item.addr}: ${item.message}`);
          break;
        case 'truncated':
          await report(`Volume ends inside the block at address ${item.addr}: ${item.message}`);
          break;
        case 'incomplete':
          await report(`record of file ${item.fileIndex} is cut off at the end of the last volume`);
          break;
        case 'unfinished':
          await report(`record of file ${item.fileIndex} was never finished: its job ended with status ${item.status} while writing it`);
          break;
        default:
          break;
      }
    }
  }
  await client.send('dataEnd', {});
  log.info({ jobId, records, bytes, problems }, 'restore session complete');
  await director.send('sdSessionEnd', { files, bytes, records, status: problems > 0 ? 'W' : 'T' });
}
