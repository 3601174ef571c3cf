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
import type { FileRef } from '../volume/reader.js';
import { FramePool } from '@burrow/common/net/frame-pool';

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

function fileOf(item: FileRef): FileRef {
  return { sessionId: item.sessionId, fileIndex: item.fileIndex };
}

/** Lines naming wanted files one by one, at most; the rest are counted in one line. */
const MAX_NAMED_MISSING = 100;

/**
 * The wanted files of one session whose attributes record has not come by. Those left
 * at the end were lost with a damaged or missing part of the volume, often without
 * any other line naming them (a small file wholly inside a bad block): each is
 * reported by number, for the Director to name.
 */
class WantedFiles {
  private readonly left = new Set<number>();

  constructor(private readonly part: SessionPart) {
    for (const v of part.volumes) for (const i of v.fileIndexes ?? []) this.left.add(i);
  }

  found(fileIndex: number): void {
    this.left.delete(fileIndex);
  }

  *missing(): Generator<{ text: string; file?: FileRef }> {
    const { sessionId } = this.part;
    const volumes = this.part.volumes.map((v) => v.volumeName).join(', ');
    let named = 0;
    for (const fileIndex of [...this.left].sort((a, b) => a - b)) {
      if (named === MAX_NAMED_MISSING) break;
      named++;
      yield { text: `not restored: its attributes record was not found on Volume ${volumes} (damaged or missing data)`, file: { sessionId, fileIndex } };
    }
    const more = this.left.size - named;
    if (more > 0) yield { text: `${more} more files of JobId ${sessionId} not restored: their attributes records were not found on Volume ${volumes}` };
  }
}

export async function runRestoreSession(s: SessionParties, order: burrow.SdRestoreSession, reservation: ReadReservation): Promise<void> {
  const { director, client, log } = s;
  const jobId = order.jobId;
  const signal = sessionSignal(s);
  let records = 0;
  let bytes = 0;
  let problems = 0;
  let files = 0;
  // `file`: the file a line is about, which the volume knows only by number; the Director names it.
  const report = (text: string, file?: FileRef): Promise<void> => {
    problems++;
    return director.send('jobMessage', { jobId, level: 'error', text, ...file });
  };
  // Records put together from two blocks serve again once the socket wrote them.
  const pool = new FramePool();
  for (const part of groupBySession(order.volumes)) {
    const unseen = new WantedFiles(part);
    await client.send('dataSessionStart', { sessionId: part.sessionId });
    const items = readVolumes({
      pool,
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
          s.ctx.metrics.read(item.data.length);
          if (item.stream === burrow.Stream.STREAM_ATTRIBUTES) {
            files++;
            unseen.found(item.fileIndex);
          }
          await client.sendRecord(item, undefined, item.release);
          break;
        case 'error':
          await report(`damaged data on Volume at address ${item.addr}: ${item.message}`, item.file);
          break;
        case 'truncated':
          await report(`Volume ends inside the block at address ${item.addr}: ${item.message}`);
          break;
        case 'incomplete':
          await report(`record of file ${item.fileIndex} is cut off at the end of the last volume`, fileOf(item));
          break;
        case 'unfinished':
          await report(`record of file ${item.fileIndex} was never finished: its job ended with status ${item.status} while writing it`, fileOf(item));
          break;
        default:
          break;
      }
    }
    for (const line of unseen.missing()) await report(line.text, line.file);
  }
  await client.send('dataEnd', {});
  log.info({ jobId, records, bytes, problems }, 'restore session complete');
  await director.send('sdSessionEnd', { files, bytes, records, status: problems > 0 ? 'W' : 'T' });
}
