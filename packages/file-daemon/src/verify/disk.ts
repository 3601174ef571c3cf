/**
 * The disk levels of a verify: walk the FileSet with each Options block's signature
 * replaced by the digest its verify= letters ask for (5 MD5, 1 SHA1; none: the data
 * is not read) and no compression, and send the Director each entry's attributes,
 * digest and letters. Data records are dropped: nothing leaves the client but that.
 */
import type { Channel } from '@burrow/common/net/channel';
import { burrow } from '@burrow/common/proto/index';
import { backupFileSet, type FileRecord, type RecordSink } from '../backup/index.js';
import { compileFileSet } from '../fileset/index.js';
import type { FileOptions } from '../fileset/options.js';
import type { CommandRefusal } from '../fileset/lists.js';
import type { JobReporter } from '../dir/job-reporter.js';
import { EntryBatches } from './batches.js';
import { Hashers } from '../digest/hashers.js';

/** The digest a set of verify= letters asks for (Bareos: the last of 5 and 1 wins). */
function verifyDigest(letters: string): string | undefined {
  let digest: string | undefined;
  for (const l of letters) {
    if (l === '5') digest = 'MD5';
    else if (l === '1') digest = 'SHA1';
  }
  return digest;
}

/** The FileSet as a verify walks it: signatures from the verify= letters, no compression. */
export function verifySpec(spec: burrow.IFileSetSpec): burrow.IFileSetSpec {
  return {
    ...spec,
    includes: (spec.includes ?? []).map((inc) => ({
      ...inc,
      options: (inc.options ?? []).map((o) => {
        const settings: Record<string, string> = { ...(o.settings ?? {}) };
        delete settings['compression'];
        delete settings['signature'];
        const digest = verifyDigest(settings['verify'] ?? '');
        if (digest !== undefined) settings['signature'] = digest;
        return { ...o, settings };
      }),
    })),
  };
}

export async function runDiskVerify(
  order: burrow.IFdVerifyOrder, director: Channel, signal: AbortSignal, reporter: JobReporter, commandRefusal: CommandRefusal,
): Promise<burrow.IFdJobEnd> {
  const fileset = compileFileSet(verifySpec(order.fileset ?? {}));
  const out = new EntryBatches(director);
  let pending: burrow.IVerifyEntry | null = null;
  const sink: RecordSink = {
    write: async (rec: FileRecord, options?: FileOptions) => {
      if (rec.stream === burrow.Stream.STREAM_ATTRIBUTES) {
        if (pending) await out.add(pending);
        pending = { attributes: burrow.FileAttributes.decode(rec.data), letters: options?.verify ?? '' };
      } else if (rec.stream === burrow.Stream.STREAM_DIGEST && pending) {
        pending.digest = burrow.FileDigest.decode(rec.data);
      }
    },
  };
  const totals = await backupFileSet({ fileset, sink, signal, digestOnly: true, commandRefusal, hashers: await Hashers.create(), onFileIssue: (issue) => reporter.fileIssue(issue) });
  if (pending) await out.add(pending);
  await out.flush();
  return { files: totals.files, bytes: totals.bytes, errors: reporter.errors, status: reporter.status() };
}
