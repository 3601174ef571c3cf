/**
 * `estimate` on the client: walk the FileSet as a backup at this level would, read no
 * file data, and report what would be saved (and, with `listing`, each entry).
 */
import type { Channel } from '@burrow/common/net/channel';
import { burrow } from '@burrow/common/proto/index';
import { backupFileSet, type FileRecord, type RecordSink } from '../backup/index.js';
import { compileFileSet } from '../fileset/index.js';
import { Hashers } from '../digest/hashers.js';
import type { JobReporter } from './job-reporter.js';
import type { CommandRefusal } from '../fileset/lists.js';

const LISTING_BATCH = 500;

/** `commandRefusal`: the client's script policy, which `|command` lists obey. */
export async function runEstimate(
  order: burrow.FdEstimateOrder, director: Channel, signal: AbortSignal, reporter: JobReporter, commandRefusal: CommandRefusal,
): Promise<burrow.IFdJobEnd> {
  const fileset = compileFileSet(order.fileset ?? new burrow.FileSetSpec());
  let batch: burrow.IFileAttributes[] = [];
  const sink: RecordSink = {
    write: async (rec: FileRecord) => {
      if (!order.listing || rec.stream !== burrow.Stream.STREAM_ATTRIBUTES) return;
      batch.push(burrow.FileAttributes.decode(rec.data));
      if (batch.length >= LISTING_BATCH) {
        await director.send('estimateListing', { files: batch });
        batch = [];
      }
    },
  };
  const totals = await backupFileSet({ fileset, sink, signal, since: order.since, estimate: true, commandRefusal, hashers: await Hashers.create(), onFileIssue: (issue) => reporter.fileIssue(issue) });
  if (batch.length) await director.send('estimateListing', { files: batch });
  return { files: totals.files, bytes: totals.bytes, errors: reporter.errors, status: reporter.status() };
}
