/**
 * Bareos's `replace` rule for an entry that already exists at the restore target:
 * always, ifnewer (only when the saved copy is newer), ifolder (only when it is
 * older), never. Times compare in whole microseconds.
 */
import type { BigIntStats } from 'node:fs';
import { burrow } from '@burrow/common/proto/generated';
import { timestamp } from './numbers.js';

export type ReplaceMode = 'always' | 'ifnewer' | 'ifolder' | 'never';

export const REPLACE_MODES: readonly ReplaceMode[] = ['always', 'ifnewer', 'ifolder', 'never'];

function savedNs(ts: burrow.Timestamp.$Properties | null | undefined): bigint {
  const { sec, nsec } = timestamp(ts);
  return BigInt(sec) * 1_000_000_000n + BigInt(nsec);
}

/** True when the existing entry may be replaced by the saved one. */
export function decideReplace(mode: ReplaceMode, existing: BigIntStats, saved: burrow.Timestamp.$Properties | null | undefined): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  // Whole microseconds: the precision a restore can set, so a file restored earlier
  // does not look older than its saved copy by a few nanoseconds.
  const existingUs = existing.mtimeNs / 1000n;
  const savedUs = savedNs(saved) / 1000n;
  return mode === 'ifnewer' ? savedUs > existingUs : savedUs < existingUs;
}
