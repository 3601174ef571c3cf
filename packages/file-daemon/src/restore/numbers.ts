/**
 * protobufjs hands 64-bit fields back as `Long` objects whenever the `long` package
 * is installed (it is, in this workspace), although the generated types say
 * `number`. Every 64-bit field a restore reads goes through `int64` so both shapes
 * work; values past 2^53 lose precision, which no uid, size or time reaches.
 */
import type { burrow } from '@burrow/common/proto/generated';

interface LongLike {
  toNumber(): number;
}

export function int64(v: number | LongLike | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

/** A Timestamp with plain-number seconds. */
export function timestamp(ts: burrow.Timestamp.$Properties | null | undefined): { sec: number; nsec: number } {
  return { sec: int64(ts?.sec), nsec: ts?.nsec ?? 0 };
}
