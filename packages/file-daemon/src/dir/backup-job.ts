/** A backup on the client: walk the FileSet, stream every record to the SD session. */
import { BurrowError } from '@burrow/common/errors/index';
import type { burrow } from '@burrow/common/proto/index';
import { backupFileSet } from '../backup/index.js';
import { compileFileSet } from '../fileset/index.js';
import { openStorageSession, storageSink } from '../sd/storage-link.js';
import type { JobReporter } from './job-reporter.js';

export async function runBackupJob(order: burrow.IFdBackupOrder, signal: AbortSignal, reporter: JobReporter): Promise<burrow.IFdJobEnd> {
  const jobId = order.jobId ?? 0;
  if (!order.fileset) throw new BurrowError('PROTOCOL', 'backup order without a FileSet');
  const fileset = compileFileSet(order.fileset);
  const sd = await openStorageSession({ jobId, sdAddress: order.sdAddress ?? '', sdPort: order.sdPort ?? 0, token: order.token ?? new Uint8Array() }, signal);
  try {
    const sink = storageSink(sd);
    const since = order.since ? { sec: Number(order.since.sec ?? 0), nsec: order.since.nsec ?? 0 } : null;
    const totals = await backupFileSet({ fileset, sink, signal, since, onFileIssue: (issue) => reporter.fileIssue(issue) });
    await sd.send('dataEnd', {});
    await sd.expect('dataEndAck', signal);
    return { files: totals.files, bytes: totals.bytes, errors: reporter.errors, status: reporter.status(), wireBytes: sink.wireBytes };
  } finally {
    sd.close('backup done');
  }
}
