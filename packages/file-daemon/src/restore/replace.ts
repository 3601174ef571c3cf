/**
 * Bareos's `replace` rule for an entry that already exists at the restore target:
 * always, ifnewer (only when the saved copy is newer), ifolder (only when it is
 * older), never. Times compare to the nanosecond, the precision a restore sets.
 */
import type { EntryStat } from '@burrow/fsx';
import { burrow } from '@burrow/common/proto/generated';
import { timestamp } from './numbers.js';

export type ReplaceMode = 'always' | 'ifnewer' | 'ifolder' | 'never';

export const REPLACE_MODES: readonly ReplaceMode[] = ['always', 'ifnewer', 'ifolder', 'never'];

function ns(t: { sec: number; nsec: number }): bigint {
  return BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
}

/** True when the existing entry may be replaced by the saved one. */
export function decideReplace(mode: ReplaceMode, existing: EntryStat, saved: burrow.Timestamp.$Properties | null | undefined): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  const existingNs = ns(existing.mtime);
  const savedNs = ns(timestamp(saved));
  return mode === 'ifnewer' ? savedNs > existingNs : savedNs < existingNs;
}
