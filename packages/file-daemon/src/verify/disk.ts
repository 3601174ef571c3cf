/**
 * The disk levels of a verify: walk the FileSet with each Options block's signature
 * kept only where its verify= letters ask for a digest (verifyDigest; none: the data
 * is not read) and no compression, and send the Director each entry's attributes,
 * digest and letters. Data records are dropped: nothing leaves the client but that.
 */
import type { Channel } from '@burrow/common/net/channel';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { backupFileSet, type FileRecord, type RecordSink } from '../backup/index.js';
import { compileFileSet } from '../fileset/index.js';
import type { FileOptions } from '../fileset/options.js';
import type { CommandRefusal } from '../fileset/lists.js';
import type { VerifyReporter } from './reporter.js';
import { EntryBatches } from './batches.js';
import { Hashers } from '../digest/hashers.js';
import { decodeSettings, encodeSettings, type OptionValues, type SignatureName } from '@burrow/common/fileset/options';

/**
 * The digest a verify computes for an Options block. As in Bareos, the verify= letters
 * 5 and 1 ask for the file's digest to be compared, and it is computed with the
 * block's Signature, the algorithm the catalog holds; without a Signature, 5 means MD5
 * and 1 SHA1 (the last of them wins). No 5 or 1: no digest, the data is not read.
 */
function verifyDigest(values: OptionValues): SignatureName | undefined {
  const letters = values.verify ?? '';
  if (!/[51]/.test(letters)) return undefined;
  if (values.signature !== undefined) return values.signature;
  return letters.lastIndexOf('5') > letters.lastIndexOf('1') ? 'MD5' : 'SHA1';
}

/** The FileSet as a verify walks it: signatures as the verify= letters ask, no compression. */
export function verifySpec(spec: burrow.FileSetSpec): burrow.FileSetSpec {
  const copy = asReceived(burrow.FileSetSpec, spec);
  for (const inc of copy.includes) {
    for (const o of inc.options) {
      const values = decodeSettings(o.settings);
      const digest = verifyDigest(values);
      const { compression: _dropped, signature: _replaced, ...walked } = values;
      o.settings = encodeSettings(digest === undefined ? walked : { ...walked, signature: digest });
    }
  }
  return copy;
}

export async function runDiskVerify(
  order: burrow.FdVerifyOrder, director: Channel, signal: AbortSignal, reporter: VerifyReporter, commandRefusal: CommandRefusal,
): Promise<burrow.IFdJobEnd> {
  const fileset = compileFileSet(verifySpec(order.fileset ?? new burrow.FileSetSpec()));
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
