/**
 * Values in the syntax a configuration accepts, as Bareos's `show` writes them
 * (lib/res.cc): strings quoted with `\` before `"` and `\`, booleans `yes`/`no`,
 * sizes in binary units (`1 g 512 m`), durations in words (`1 years 6 months`).
 * Each form reads back through Burrow's parser (common/config/units.ts) to the same
 * value; the round-trip test of print.test.ts holds every printer to that.
 */
import type { Field } from '@burrow/common/config/schema/fields';

/** A quoted string the lexer reads back as `text` (it takes every `\x` as `x`). */
export function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Splits `value` into whole multiples of each unit, largest first: `[[1, 'g'], [512, 'm']]`. */
function inUnits(value: number, units: ReadonlyArray<readonly [number, string]>): string {
  if (value === 0) return '0';
  const parts: string[] = [];
  let rest = value;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(name ? `${n} ${name}` : String(n));
    rest -= n * size;
  }
  return parts.join(' ');
}

const SIZE_UNITS: ReadonlyArray<readonly [number, string]> = [[2 ** 30, 'g'], [2 ** 20, 'm'], [2 ** 10, 'k'], [1, '']];
const DAY = 86_400;
const DURATION_UNITS: ReadonlyArray<readonly [number, string]> = [
  [365 * DAY, 'years'], [30 * DAY, 'months'], [7 * DAY, 'weeks'], [DAY, 'days'], [3600, 'hours'], [60, 'minutes'], [1, 'seconds'],
];

export const printSize = (bytes: number): string => inUnits(bytes, SIZE_UNITS);
export const printDuration = (seconds: number): string => inUnits(seconds, DURATION_UNITS);
export const printBoolean = (b: boolean): string => (b ? 'yes' : 'no');

export type NumberKind = 'size' | 'duration' | 'integer';

/** A word the lexer reads as itself without quotes. */
const BARE_WORD = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Whether a directive takes one of a set of words (Type, Level, Replace, Pool Type),
 * asked of its schema, which refuses any other text. Bareos prints those bare
 * (`Type = Backup`) and names and paths quoted; so does Burrow.
 */
export function takesKeyword(field: Field): boolean {
  return field.arity === 'one' && !field.zod.safeParse('not one of its words').success;
}

/** A string value: bare when it is a keyword of its directive, quoted otherwise. */
export function printText(value: string, keyword: boolean): string {
  return keyword && BARE_WORD.test(value) ? value : quote(value);
}

/**
 * Whether a numeric directive is a size, a duration or a plain number, asked of its
 * own schema: a size field reads `1k` as 1024, a duration field `1 day` as 86400, and
 * an integer field reads neither. So the printer needs no second list of which
 * directive has which unit.
 */
export function numberKind(field: Field): NumberKind {
  if (field.zod.safeParse('1k').data === 1024) return 'size';
  if (field.zod.safeParse('1 day').data === DAY) return 'duration';
  return 'integer';
}

/** One value of a directive: a string, a boolean, or a number of the field's kind. */
export function printValue(value: string | number | boolean, kind: NumberKind): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'boolean') return printBoolean(value);
  return kind === 'size' ? printSize(value) : kind === 'duration' ? printDuration(value) : String(value);
}
