/**
 * Building blocks for resource schemas. Each directive's text values go through a
 * zod schema that converts them (sizes, durations, booleans, enums) so defaults and
 * checks live in one place. `arity` says how directive occurrences become the
 * schema's input: `one` a single string, `many` a string[] of every value of every
 * occurrence, `raw` / `rawMany` the verbatim source text after `=`.
 */
import { z } from 'zod';
import type { DirectiveNode } from '../syntax/ast.js';
import { tryBoolean, tryDuration, trySize, trySpeed } from '../units.js';

export type Arity = 'one' | 'many' | 'raw' | 'rawMany' | 'custom';

export interface Field<S extends z.ZodType = z.ZodType> {
  readonly zod: S;
  readonly arity: Arity;
  /** Set for directives Burrow keeps but does not act on yet: each use warns. */
  readonly warn?: string;
  /**
   * Set for directives accepted on purpose without any effect and without a warning,
   * saying why (informational text, a value Burrow's behaviour already is). The
   * unread-directive test (test/config/unread-directives.test.ts) accepts it in place
   * of code that reads the value.
   */
  readonly inert?: string;
  /** For `custom`: turns one occurrence into one array element (or an error message). */
  readonly collect?: (d: DirectiveNode) => unknown;
}

export function one<S extends z.ZodType>(zod: S, warn?: string): Field<S> {
  return warn ? { zod, arity: 'one', warn } : { zod, arity: 'one' };
}

export function many<S extends z.ZodType>(zod: S, warn?: string): Field<S> {
  return warn ? { zod, arity: 'many', warn } : { zod, arity: 'many' };
}

export const NOT_YET = 'not yet implemented by Burrow; kept but has no effect';

/** Marks a field as accepted on purpose with no effect (see Field.inert). */
export function inert<F extends Field>(field: F, why: string): F {
  return { ...field, inert: why };
}

/** Bareos's `Description`: text for people reading the configuration (and `show`). */
export function description(): Field<z.ZodOptional<z.ZodString>> {
  return inert(one(z.string().optional()), 'informational text for people; it changes nothing Burrow does');
}

/** Kept verbatim (e.g. a RunScript command, a Schedule Run line). */
export function raw(warn?: string): Field<z.ZodOptional<z.ZodString>> {
  return warn ? { zod: z.string().optional(), arity: 'raw', warn } : { zod: z.string().optional(), arity: 'raw' };
}

export function rawMany(warn?: string): Field<z.ZodDefault<z.ZodArray<z.ZodString>>> {
  const zod = z.array(z.string()).default([]);
  return warn ? { zod, arity: 'rawMany', warn } : { zod, arity: 'rawMany' };
}

function converted<T>(what: string, convert: (text: string) => T | undefined) {
  return z.string().transform((text, ctx): T => {
    const value = convert(text);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not ${what}` });
      return z.NEVER;
    }
    return value;
  });
}

export const text = () => z.string();
export const name = () =>
  z.string().min(1, 'must not be empty').max(127, 'is longer than 127 characters')
    .regex(/^[A-Za-z0-9:._/ -]+$/, 'may only contain letters, digits, spaces and : . - _ /');
export const bool = () => converted('a boolean (yes/no, true/false, on/off)', tryBoolean);
export const size = () => converted('a size (e.g. 512k, 10 GB)', trySize);
export const duration = () => converted('a duration (e.g. 30 days, 1h 30min)', tryDuration);
export const speed = () => converted('a speed (e.g. 500 kb/s, 10 mb/s)', trySpeed);
export const integer = (min = 0, max = Number.MAX_SAFE_INTEGER) =>
  converted(`an integer from ${min} to ${max}`, (t) => {
    if (!/^\s*\d+\s*$/.test(t)) return undefined;
    const n = Number(t);
    return n >= min && n <= max ? n : undefined;
  });
/** A port to connect to. */
export const port = () => integer(1, 65535);
/**
 * A port a daemon listens on: 0 lets the system pick a free one, which the daemon
 * names in its "listening on" log line and its pid file (`<name>.<port>.pid`). Tests
 * start their daemons so, and no two runs on one machine race for a port.
 */
export const listenPort = () => integer(0, 65535);

/** Matches case-insensitively and yields the canonical spelling. */
export function oneOf<const T extends readonly [string, ...string[]]>(choices: T) {
  return converted(`one of ${choices.join(', ')}`, (t) => choices.find((c) => c.toLowerCase() === t.trim().toLowerCase()));
}

/**
 * Console "Restore Owner": a numeric uid, optionally with `:gid` (without it the
 * client's /etc/passwd gives the group). Numbers only: the catalog keeps owners as
 * numbers, and a user name means something only on the client.
 */
export const restoreOwner = () =>
  converted('a numeric uid, optionally with :gid (e.g. 2001 or 2001:100)', (t) => {
    const m = /^\s*(\d{1,10})(?::(\d{1,10}))?\s*$/.exec(t);
    if (!m) return undefined;
    const uid = Number(m[1]);
    const gid = m[2] === undefined ? -1 : Number(m[2]);
    // 0 would make a "user" restore root's; the gid travels as sint32.
    return uid > 0 && uid < 2 ** 32 - 1 && gid < 2 ** 31 ? { uid, gid } : undefined;
  });
