/**
 * Which Storage a job uses when it may use several. A backup writes to the first of
 * its Storages (`Storage = sd1, sd2` on the Job or its Pool, as afbackup chose its
 * server "by availability") whose Storage daemon answers and has a drive free; one
 * passed over gets a line in the job log. A restore or verify reads each volume with the
 * Storage of its Media Type: each SD's volumes have a Media Type of their own, as
 * Bareos advises.
 */
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import type { Bootstrap, BootstrapSection } from '@burrow/common/bootstrap/bootstrap';
import type { Channel } from '@burrow/common/net/channel';
import type { burrow } from '@burrow/common/proto/index';
import { openStorage, type StorageTarget } from '../sd/storage-link.js';
import type { JobContext } from './lifecycle.js';
import { storagePersisting } from './persisting.js';
import type { PoolPlan } from '../media/pools.js';
import type { StorageSource } from './plan.js';

/**
 * The Storages a backup writing to `pool` tries, as Bareos decides them: storage= on
 * the run command wins; else the Pool's `Storage`, which overrides the Job's; else the
 * Job's (`jobStorages`, which are the command line's when `jobSource` says so).
 */
export function writingStorages(
  jobStorages: readonly StorageTarget[], jobSource: StorageSource, pool: PoolPlan,
): { storages: readonly StorageTarget[]; storageSource: StorageSource } {
  if (jobSource !== 'command line' && pool.storages !== undefined && pool.storages.length > 0) {
    return { storages: pool.storages, storageSource: 'Pool resource' };
  }
  return { storages: jobStorages, storageSource: jobSource };
}

/** Failures that say the daemon is not there (down, unreachable), not that it refused us. */
const UNREACHABLE = new Set(['CONNECTION', 'TIMEOUT']);

/** A backup's session on the Storage it writes to: the connection, and the SD's token and drive. */
export interface WritingSession {
  target: StorageTarget;
  sd: Channel;
  ready: burrow.SdSessionReady;
}

/** Opens the SD's backup session for a job on `target` (sdBackup, then its answer). */
export type SessionOpener = (target: StorageTarget, sd: Channel, onlyIfFree: boolean) => Promise<burrow.SdSessionReady>;

/**
 * The Storage a backup writes to: the first of `storages` that is reachable and has a
 * drive free now; when each reachable one is busy, the first of those, where the job
 * then waits for a drive as it would with one Storage. Each passed over gets a line in
 * the job log saying why.
 */
export async function reserveStorage(ctx: JobContext, storages: readonly StorageTarget[], open: SessionOpener): Promise<WritingSession> {
  const { log } = ctx;
  let busy: StorageTarget | undefined;
  for (const [i, target] of storages.entries()) {
    const next = storages[i + 1];
    const last = next === undefined && busy === undefined;
    let sd: Channel;
    try {
      // The last one to try is tried until the SD Connect Timeout; one with another after it, once.
      sd = await openStorage(target, ctx.env.directorName, ctx.signal, last ? storagePersisting(ctx) : undefined);
    } catch (err) {
      const e = toBurrowError(err);
      if (!UNREACHABLE.has(e.code) || last || ctx.signal.aborted) throw e;
      log.info(`Storage "${target.name}" is not available (${e.message}); ${alternative(next, busy)}.`);
      continue;
    }
    const ready = await open(target, sd, !last).catch((err: unknown) => {
      sd.close('no session');
      throw err;
    });
    if (ready.busy.length === 0) return { target, sd, ready };
    sd.close('no drive free');
    log.info(`Storage "${target.name}" has no drive free (${ready.busy.join(' ')}); ${alternative(next, busy ?? target)}.`);
    busy ??= target;
  }
  if (busy === undefined) throw new BurrowError('INTERNAL', 'a backup names at least one Storage');
  const sd = await openStorage(busy, ctx.env.directorName, ctx.signal, storagePersisting(ctx));
  return { target: busy, sd, ready: await open(busy, sd, false) };
}

/** Where the choice goes on after a Storage passed over: the next one, else the busy one to wait at. */
function alternative(next: StorageTarget | undefined, busy: StorageTarget | undefined): string {
  if (next !== undefined) return `trying Storage "${next.name}"`;
  return `waiting for a drive on Storage "${busy?.name ?? ''}"`;
}

/** One read session of a restore: a run of the bootstrap's sections that one Storage reads. */
export interface ReadPart {
  readonly storage: StorageTarget;
  readonly bootstrap: Bootstrap;
}

/**
 * How to read `bootstrap`'s volumes: each section with the Storage it names (a .bsr
 * file's Storage=), else the first of `storages` of its volume's Media Type, else
 * `fallback` (a .bsr file without either, or no Storage of that Media Type);
 * consecutive sections of one Storage make one read session. A chain whose Full lies on sd1 and Incremental on sd2 is read as two sessions, sd1's
 * then sd2's: the order of the sections (oldest job first) is kept, so a newer version
 * of a file is always written after an older one.
 */
export function readingParts(bootstrap: Bootstrap, storages: readonly StorageTarget[], fallback: StorageTarget): ReadPart[] {
  const parts: Array<{ storage: StorageTarget; sections: BootstrapSection[] }> = [];
  for (const section of bootstrap.sections) {
    const named = section.storage?.toLowerCase();
    const type = section.mediaType;
    const storage = (named === undefined ? undefined : storages.find((s) => s.name.toLowerCase() === named))
      ?? (type === undefined ? undefined : storages.find((s) => s.mediaType === type)) ?? fallback;
    const last = parts[parts.length - 1];
    if (last?.storage === storage) last.sections.push(section);
    else parts.push({ storage, sections: [section] });
  }
  return parts.map(({ storage, sections }) => ({ storage, bootstrap: { sections } }));
}

/** The volumes a part reads, each once, in order. */
export function partVolumes(part: ReadPart): string[] {
  return [...new Set(part.bootstrap.sections.map((s) => s.volume))];
}
