/**
 * VolumeToCatalog and Data on the client: read the verified job's records from the
 * SD session the Director opened (the restore's bootstrap of that job) and report
 * each file's digest as computed from the volume, with the one the volume holds.
 */
import type { Channel } from '@burrow/common/net/channel';
import type { burrow } from '@burrow/common/proto/index';
import { openStorageSession, readSession, type DataLink } from '../sd/storage-link.js';
import type { VerifyReporter } from './reporter.js';
import { EntryBatches } from './batches.js';
import { VolumeDigester } from './digester.js';
import { Hashers } from '../digest/hashers.js';

/** `link`: the job's signal and the client's data-channel TLS setting (sd/storage-link.ts). */
export async function runVolumeVerify(order: burrow.FdVerifyOrder, director: Channel, reporter: VerifyReporter, link: DataLink): Promise<burrow.IFdJobEnd> {
  const { signal } = link;
  const { jobId } = order;
  const out = new EntryBatches(director);
  const digester = new VolumeDigester(order.digestAlgorithms, await Hashers.create(), (e) => out.add(e));
  const sd = await openStorageSession({ jobId, sdAddress: order.sdAddress, sdPort: order.sdPort, token: order.token }, link);
  let wireBytes = 0;
  try {
    wireBytes = await readSession(sd, digester, signal, 'verify', link.bandwidth);
  } finally {
    sd.close('verify stream done');
  }
  await digester.finish();
  await out.flush();
  return { files: out.sent, bytes: digester.bytes, errors: reporter.errors, status: reporter.status(), wireBytes };
}
