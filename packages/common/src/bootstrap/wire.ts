/**
 * The protobuf form of a bootstrap, as the Director sends it to the Storage daemon
 * (SdRestoreSession.volumes): per section its volume, session, start address and the
 * wanted file indexes, listed one by one. Made only from the model (bootstrap.ts), as
 * the text form is, so the two always describe the same selection. The text's
 * MediaType, Storage, end address and Count are not part of the selection the SD is
 * given: it reads with the device the Director names, and stops past the last file
 * index it wants.
 */
import { BurrowError } from '../errors/index.js';
import type { burrow } from '../proto/index.js';
import { normalizeRanges, rangeSize, type Bootstrap, type IndexRange } from './bootstrap.js';

/**
 * Most file indexes one bootstrap may list on the wire: as packed varints of at most
 * 3 bytes (indexes below 2^21) they keep the SdRestoreSession frame under the 4 MiB
 * frame limit (net/frame.ts), so a larger selection is a clear error, not a dropped
 * connection.
 */
export const MAX_WIRE_INDEXES = 1_000_000;

export function bootstrapToWire(b: Bootstrap): burrow.IBootstrapVolume[] {
  const total = b.sections.reduce((n, s) => n + rangeSize(s.fileIndexes), 0);
  if (total > MAX_WIRE_INDEXES) {
    throw new BurrowError('BOOTSTRAP_INVALID', `the bootstrap selects ${total} file indexes; at most ${MAX_WIRE_INDEXES} can be read in one job`);
  }
  return b.sections.map((s) => {
    const fileIndexes: number[] = [];
    for (const r of s.fileIndexes) for (let i = r.first; i <= r.last; i++) fileIndexes.push(i);
    return { volumeName: s.volume, sessionId: s.sessionId, startAddr: s.startAddr, fileIndexes };
  });
}

/**
 * How many files the bootstrap asks for: per session, its distinct file indexes (a
 * file that runs on to the next volume is in two sections but is one file), or the
 * sum of its sections' Counts when that is smaller.
 */
export function bootstrapFileCount(b: Bootstrap): number {
  const sessions = new Map<number, { ranges: IndexRange[]; counted: number }>();
  for (const s of b.sections) {
    const entry = sessions.get(s.sessionId) ?? { ranges: [], counted: 0 };
    entry.ranges.push(...s.fileIndexes);
    entry.counted += s.count ?? rangeSize(s.fileIndexes);
    sessions.set(s.sessionId, entry);
  }
  let n = 0;
  for (const e of sessions.values()) n += Math.min(rangeSize(normalizeRanges(e.ranges)), e.counted);
  return n;
}
