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
import { readVolumes } from '../volume/multi-volume-reader.js';
import { groupBySession, readProblem, WantedFiles } from '../volume/session-parts.js';
import type { FileRef } from '../volume/reader.js';
import { FramePool } from '@burrow/common/net/frame-pool';

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
  const running = s.ctx.running.get(jobId);
  if (running) running.progress = () => ({ files, bytes });
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
        default: {
          const problem = readProblem(item);
          if (problem !== undefined) await report(problem.text, problem.file);
        }
      }
    }
    for (const line of unseen.missing()) await report(line.text, line.file);
  }
  await client.send('dataEnd', {});
  log.info({ jobId, records, bytes, problems }, 'restore session complete');
  await director.send('sdSessionEnd', { files, bytes, records, status: problems > 0 ? 'W' : 'T' });
}
