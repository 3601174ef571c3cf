/**
 * A bootstrap: which records of which volumes a reader needs — per volume and job
 * session, where to position and which file indexes to keep. Bareos's `.bsr` files
 * carry it as text (text.ts; docs/bootstrap-format.md); the Director sends it to the
 * Storage daemon as protobuf (wire.ts). Both are made from this one model, so the two
 * forms always describe the same selection.
 */

/** An inclusive range of file indexes, first <= last. */
export interface IndexRange {
  first: number;
  last: number;
}

/** One volume of one job session: a `Volume=` section of a `.bsr` file. */
export interface BootstrapSection {
  /** `Storage=`: the Director's Storage resource to read it with, when the writer knew it. */
  storage?: string;
  /** `Volume=` */
  volume: string;
  /** `MediaType=`: the volume's Media Type, when the writer knew it. */
  mediaType?: string;
  /** `VolSessionId=`: the session's id on the volume, which is its job's JobId. */
  sessionId: number;
  /** `VolAddr=START-END`: the block to position to, and the session's last block on the volume. */
  startAddr: number;
  endAddr: number;
  /** `FileIndex=`: the files wanted, as ascending ranges that neither overlap nor touch. */
  fileIndexes: IndexRange[];
  /** `Count=`: how many files of the section are wanted (a reader may stop after them). */
  count?: number;
}

export interface Bootstrap {
  sections: BootstrapSection[];
}

/** Sorts and merges ranges so that none overlap or touch: [5-7, 1-2, 3-3] -> [1-3, 5-7]. */
export function normalizeRanges(ranges: readonly IndexRange[]): IndexRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const out: IndexRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.first <= last.last + 1) last.last = Math.max(last.last, r.last);
    else out.push({ ...r });
  }
  return out;
}

/** Ranges of a set of file indexes: [1, 2, 3, 7] -> [1-3, 7-7]. */
export function rangesOf(indexes: Iterable<number>): IndexRange[] {
  // A restore of a million files passes a million indexes: sorted as numbers, no object per index.
  const sorted = Float64Array.from(indexes).sort();
  const out: IndexRange[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i <= last.last + 1) last.last = Math.max(last.last, i);
    else out.push({ first: i, last: i });
  }
  return out;
}

/** How many file indexes the ranges hold. */
export function rangeSize(ranges: readonly IndexRange[]): number {
  return ranges.reduce((n, r) => n + r.last - r.first + 1, 0);
}
