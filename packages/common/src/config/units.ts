/**
 * Bareos's value units (core/src/lib/edit.cc): a value is one or more `number
 * [modifier]` terms that are added up, so `1 year 6 months` and `1g 512m` work.
 * Numbers may have a fraction; each term is truncated to whole units.
 *
 * Size modifiers (case-insensitive): k=1024, kb=1000, m=2^20, mb=10^6, g=2^30,
 * gb=10^9, t, tb, p, pb, e, eb likewise. A bare number is bytes.
 *
 * Duration modifiers are matched as abbreviations, first match wins, in Bareos's
 * order: n (minutes), seconds, months, minutes, mins, hours, days, weeks,
 * quarters (91 days), years (365 days); a month is 30 days. So, as in Bareos,
 * `m` and `30m` mean MONTHS; write `min` or `n` for minutes. A bare number is seconds.
 */

const SIZE_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['k', 1024], ['kb', 1000],
  ['m', 1024 ** 2], ['mb', 1000 ** 2],
  ['g', 1024 ** 3], ['gb', 1000 ** 3],
  ['t', 1024 ** 4], ['tb', 1000 ** 4],
  ['p', 1024 ** 5], ['pb', 1000 ** 5],
  ['e', 1024 ** 6], ['eb', 1000 ** 6],
];

const DAY = 86400;
const DURATION_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['n', 60], ['seconds', 1], ['months', 30 * DAY], ['minutes', 60], ['mins', 60],
  ['hours', 3600], ['days', DAY], ['weeks', 7 * DAY], ['quarters', 91 * DAY], ['years', 365 * DAY],
];

const TERM = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([^\d\s.,]*)/;

function parseTerms(text: string, unitFor: (modifier: string) => number | undefined): number | undefined {
  let rest = text;
  let total = 0;
  let terms = 0;
  while (rest.replace(/[\s,]+/g, '') !== '') {
    const m = TERM.exec(rest);
    if (!m) return undefined;
    const factor = m[2] === '' ? 1 : unitFor(m[2]!.toLowerCase());
    if (factor === undefined) return undefined;
    total += Math.floor(Number(m[1]) * factor);
    terms += 1;
    rest = rest.slice(m[0].length).replace(/^[\s,]+/, '');
  }
  return terms === 0 ? undefined : total;
}

/** Returns the size in bytes, or undefined when the text is not a size. */
export function trySize(text: string): number | undefined {
  return parseTerms(text, (mod) => SIZE_UNITS.find(([name]) => name === mod)?.[1]);
}

/** Bareos's speeds (bandwidth limits): b/s, k/s=1024, kb/s=1000, m/s=2^20, mb/s=10^6; a bare number is bytes/s. */
const SPEED_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['b/s', 1], ['k/s', 1024], ['kb/s', 1000], ['m/s', 1024 ** 2], ['mb/s', 1000 ** 2],
];

/** Returns the speed in bytes per second, or undefined when the text is not a speed. */
export function trySpeed(text: string): number | undefined {
  return parseTerms(text, (mod) => SPEED_UNITS.find(([name]) => name === mod)?.[1]);
}

/** Returns the duration in seconds, or undefined when the text is not a duration. */
export function tryDuration(text: string): number | undefined {
  return parseTerms(text, (mod) => DURATION_UNITS.find(([name]) => name.startsWith(mod))?.[1]);
}

function orThrow(value: number | undefined, what: string, text: string): number {
  if (value === undefined) throw new RangeError(`"${text}" is not a ${what}`);
  return value;
}

/** `10 GB` -> 10000000000, `512k` -> 524288. Throws RangeError on anything else. */
export function parseSize(text: string): number {
  return orThrow(trySize(text), 'size (e.g. 512k, 10 GB)', text);
}

/** `30 days` -> 2592000, `1 year 6 months`, `1h 30min`. Throws RangeError on anything else. */
export function parseDuration(text: string): number {
  return orThrow(tryDuration(text), 'duration (e.g. 30 days, 1h 30min)', text);
}

const TRUE_WORDS = new Set(['yes', 'true', 'on']);
const FALSE_WORDS = new Set(['no', 'false', 'off']);

/** yes/no/true/false/on/off, any case; undefined for anything else. */
export function tryBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (TRUE_WORDS.has(t)) return true;
  if (FALSE_WORDS.has(t)) return false;
  return undefined;
}
