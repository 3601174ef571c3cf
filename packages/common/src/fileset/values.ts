/**
 * Value parsers of FileSet `Options { }` directives (options.ts holds the table that
 * uses them). Each takes the text as written and returns the typed value, or the
 * reason it is refused; a few accept a value with a warning (compression Burrow
 * lacks is done with LZ4 instead). Each has a formatter back to the one canonical
 * text the Director sends, so that `parse(format(v))` gives `v` again.
 */
import { tryBoolean, trySize } from '../config/units.js';

export type Parsed<T> =
  | { readonly ok: true; readonly value: T; readonly warning?: string }
  | { readonly ok: false; readonly error: string };

export interface ValueKind<T> {
  readonly parse: (text: string) => Parsed<T>;
  readonly format: (value: T) => string;
}

const ok = <T>(value: T, warning?: string): Parsed<T> => (warning === undefined ? { ok: true, value } : { ok: true, value, warning });
const bad = <T>(error: string): Parsed<T> => ({ ok: false, error });

export const yesNo: ValueKind<boolean> = {
  parse: (text) => {
    const b = tryBoolean(text);
    return b === undefined ? bad(`"${text}" is not yes or no`) : ok(b);
  },
  format: (b) => (b ? 'yes' : 'no'),
};

/** One of a fixed list of words, any case; the value is the list's spelling. */
export function word<const T extends string>(choices: readonly T[]): ValueKind<T> {
  return {
    parse: (text) => {
      const found = choices.find((c) => c.toLowerCase() === text.trim().toLowerCase());
      return found === undefined ? bad(`"${text}" is not one of ${choices.join(', ')}`) : ok(found);
    },
    format: (v) => v,
  };
}

/** Option letters (Bareos's accurate=, verify=): only those of `permitted`, as written. */
export function letters(permitted: string, example: string): ValueKind<string> {
  return {
    parse: (text) => {
      const t = text.trim();
      const wrong = [...t].find((c) => !permitted.includes(c));
      if (t === '') return bad(`expected option letters such as ${example}`);
      return wrong === undefined ? ok(t) : bad(`illegal option letter "${wrong}" in "${t}" (permitted: ${permitted})`);
    },
    format: (v) => v,
  };
}

/** How each data chunk is compressed: gzip at a level 1-9, LZ4, or Zstandard at a level. */
export interface Compression {
  readonly algorithm: 'GZIP' | 'LZ4' | 'ZSTD';
  readonly level: number;
}

/** Bareos's compressions Burrow does not have; LZ4 is the nearest (fast, light). */
const INSTEAD_LZ4 = ['LZO', 'LZFAST', 'LZ4HC'];

// "GZIP" is level 6, as in Bareos; ZSTD is level 3, zstd's own default (Bareos has no ZSTD).
export const compression: ValueKind<Compression> = {
  parse: (text) => {
    const t = text.trim().toUpperCase();
    if (t === 'LZ4') return ok({ algorithm: 'LZ4', level: 1 });
    if (t === 'ZSTD') return ok({ algorithm: 'ZSTD', level: 3 });
    const gzip = /^GZIP([1-9])?$/.exec(t);
    if (gzip) return ok({ algorithm: 'GZIP', level: gzip[1] === undefined ? 6 : Number(gzip[1]) });
    if (INSTEAD_LZ4.includes(t)) return ok({ algorithm: 'LZ4', level: 1 }, `${t} compression is not available in Burrow; LZ4 is used instead`);
    return bad(`"${text}" is not one of GZIP, GZIP1..GZIP9, LZ4, ZSTD, ${INSTEAD_LZ4.join(', ')}`);
  },
  format: (c) => (c.algorithm === 'GZIP' ? `GZIP${c.level}` : c.algorithm),
};

/** File system type names as /proc/self/mountinfo gives them; repeated directives add up. */
export const fsTypes: ValueKind<readonly string[]> = {
  parse: (text) => {
    const names = text.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== '');
    const wrong = names.find((n) => !/^[a-z0-9._+-]+$/.test(n));
    if (names.length === 0 || wrong !== undefined) return bad(`"${text}" is not a list of file system types such as ext4, xfs`);
    return ok(names);
  },
  format: (names) => names.join(','),
};

/**
 * `Size =` (Bareos's ParseSizeMatch): which regular files are saved, by size.
 * `<n` smaller than n, `>n` greater, `a-b` from a to b inclusive, a bare `n` within
 * 1% of n. Sizes take Bareos's units (`10k`, `1 GB`).
 */
export interface SizeMatch {
  readonly kind: 'approx' | 'smaller' | 'greater' | 'range';
  readonly low: number;
  readonly high: number;
}

export const sizeMatch: ValueKind<SizeMatch> = {
  parse: (text) => {
    const t = text.trim();
    const range = /^([^-]+)-(.+)$/.exec(t);
    const kind = range ? 'range' : t.startsWith('<') ? 'smaller' : t.startsWith('>') ? 'greater' : 'approx';
    const [lowText, highText] = range ? [range[1]!, range[2]!] : [kind === 'approx' ? t : t.slice(1), undefined];
    const low = trySize(lowText);
    const high = highText === undefined ? low : trySize(highText);
    if (low === undefined || high === undefined) return bad(`"${text}" is not a size match such as <10k, >1g, 1m-2m or 500k`);
    if (high < low) return bad(`"${text}": the range ends below its start`);
    return ok({ kind, low, high });
  },
  format: (m) => (m.kind === 'range' ? `${m.low}-${m.high}` : m.kind === 'smaller' ? `<${m.low}` : m.kind === 'greater' ? `>${m.low}` : `${m.low}`),
};

/** Whether a regular file of `size` bytes is saved under `m` (Bareos's CheckSizeMatching). */
export function sizeMatches(m: SizeMatch, size: number): boolean {
  switch (m.kind) {
    case 'smaller': return size < m.low;
    case 'greater': return size > m.low;
    case 'range': return size >= m.low && size <= m.high;
    case 'approx': return Math.abs(size - m.low) < Math.floor(m.low / 100);
  }
}
