/**
 * Bareos's `replace` rule for an entry that already exists at the restore target:
 * always, ifnewer (only when the saved copy is newer), ifolder (only when it is
 * older), never. Times compare to the nanosecond, the precision a restore sets.
 */
import type { EntryStat } from '@burrow/fsx';
import { EPOCH, type burrow } from '@burrow/common/proto/index';

export type ReplaceMode = 'always' | 'ifnewer' | 'ifolder' | 'never';

export const REPLACE_MODES: readonly ReplaceMode[] = ['always', 'ifnewer', 'ifolder', 'never'];

function ns(t: { sec: number; nsec: number }): bigint {
  return BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
}

/** True when the existing entry may be replaced by the saved one. */
export function decideReplace(mode: ReplaceMode, existing: EntryStat, saved: burrow.Timestamp | null): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  const existingNs = ns(existing.mtime);
  const savedNs = ns(saved ?? EPOCH);
  return mode === 'ifnewer' ? savedNs > existingNs : savedNs < existingNs;
}
