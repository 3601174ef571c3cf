/**
 * Which Storage a job uses when it may use several. A backup writes to the first of
 * its Storages (`Storage = sd1, sd2` on the Job, as afbackup chose its server "by
 * availability") whose Storage daemon answers; one that cannot be reached is passed
 * over with a line in the job log. A restore reads with the Storage whose Media Type
 * is its volumes': each SD's volumes have a Media Type of their own, as Bareos advises.
 */
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import type { Bootstrap } from '@burrow/common/bootstrap/bootstrap';
import type { Channel } from '@burrow/common/net/channel';
import { openStorage, type StorageTarget } from '../sd/storage-link.js';
import type { JobContext } from './lifecycle.js';

/** Failures that say the daemon is not there (down, unreachable), not that it refused us. */
const UNREACHABLE = new Set(['CONNECTION', 'TIMEOUT']);

export async function reachStorage(ctx: JobContext, storages: readonly StorageTarget[]): Promise<{ target: StorageTarget; sd: Channel }> {
  for (const [i, target] of storages.entries()) {
    const next = storages[i + 1];
    try {
      return { target, sd: await openStorage(target, ctx.env.directorName, ctx.signal) };
    } catch (err) {
      const e = toBurrowError(err);
      if (!UNREACHABLE.has(e.code) || next === undefined || ctx.signal.aborted) throw e;
      ctx.log.info(`Storage "${target.name}" is not available (${e.message}); trying Storage "${next.name}".`);
    }
  }
  throw new BurrowError('INTERNAL', 'a backup names at least one Storage');
}

/**
 * The Storage to read `bootstrap`'s volumes with: the first of `storages` of their
 * Media Type, or `fallback` when the bootstrap names none (a .bsr file without
 * MediaType) or no Storage has it. Volumes of two Media Types lie on two SDs: one
 * read session cannot reach both, so that is refused, naming them.
 */
export function readingStorage(bootstrap: Bootstrap, storages: readonly StorageTarget[], fallback: StorageTarget): StorageTarget {
  const byType = new Map<string, string[]>();
  for (const s of bootstrap.sections) {
    if (s.mediaType === undefined) return fallback;
    byType.set(s.mediaType, [...new Set([...byType.get(s.mediaType) ?? [], s.volume])]);
  }
  if (byType.size > 1) {
    const parts = [...byType].map(([type, volumes]) => `${volumes.join(', ')} (Media Type ${type})`).join(' and ');
    throw new BurrowError('BAD_REQUEST', `the files chosen lie on volumes of two Storage daemons, ${parts}: restore each part on its own (a restore reads from one Storage daemon)`);
  }
  const [type] = byType.keys();
  return storages.find((s) => s.mediaType === type) ?? fallback;
}
