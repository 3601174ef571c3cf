/**
 * Bareos's RegexWhere: rewrites of restored names, `!from!to!opts` expressions
 * separated by commas, applied in order to each file's path. The first character of
 * an expression is its separator (any character; `\` escapes it inside). In `to`,
 * `$1`..`$9` or `\1`..`\9` stand for the groups of `from`; options `i` (ignore case)
 * and `g` (every match). strip_prefix, add_prefix and add_suffix are shorthands that
 * become such expressions (Bareos's bregexp_build_where).
 *
 * As in Bareos, a rewrite replaces `where`: the rewritten path is where the file
 * lands (`strip_prefix=/home add_prefix=/mnt/home` restores `/home/u/f` to
 * `/mnt/home/u/f`). So the result must be a path a restore may write to: absolute,
 * without `..` components or NUL bytes (`rewrittenPathProblem`). The Director checks
 * every selected file's result (and the console's WhereACL) before the job starts;
 * the File daemon checks each again before its restore target places it.
 *
 * Names are bytes: a path is matched as a latin1 string (one character per byte) and
 * the pattern's UTF-8 bytes likewise, so any name can be rewritten exactly.
 */
import { BurrowError } from '../errors/index.js';

export interface Rewrite {
  readonly from: RegExp;
  /** The replacement in JavaScript's `$n` syntax. */
  readonly to: string;
}

function asBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function bad(text: string, why: string): BurrowError {
  return new BurrowError('BAD_REQUEST', `regexwhere "${text}" is not valid: ${why}`);
}

/** Reads one separator-delimited field at `i`; returns it and the index after its closing separator. */
function field(text: string, i: number, sep: string): [string, number] {
  let out = '';
  for (; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && text[i + 1] === sep) {
      out += sep;
      i++;
    } else if (c === sep) {
      return [out, i + 1];
    } else {
      out += c;
    }
  }
  throw bad(text, `missing closing "${sep}"`);
}

/** Parses and compiles a RegexWhere; throws BAD_REQUEST naming what is wrong. */
export function parseRegexWhere(text: string): Rewrite[] {
  const rewrites: Rewrite[] = [];
  let i = 0;
  while (i < text.length) {
    const sep = text[i] as string;
    if (/[\w\\\s,]/.test(sep)) throw bad(text, `an expression must start with its separator (e.g. "!"), not "${sep}"`);
    const [from, afterFrom] = field(text, i + 1, sep);
    const [to, afterTo] = field(text, afterFrom, sep);
    let j = afterTo;
    let flags = '';
    while (j < text.length && text[j] !== ',') flags += text[j++];
    if (!/^[ig]*$/.test(flags)) throw bad(text, `unknown options "${flags}" (i and g are known)`);
    if (from === '') throw bad(text, 'an empty pattern matches nothing useful');
    let re: RegExp;
    try {
      re = new RegExp(asBytes(from), flags);
    } catch (err) {
      throw bad(text, (err as Error).message);
    }
    rewrites.push({ from: re, to: asBytes(to).replace(/\$(?!\d)/g, '$$$$').replace(/\\(\d)/g, '$$$1') });
    i = j + 1;
  }
  if (rewrites.length === 0) throw bad(text, 'it is empty');
  return rewrites;
}

/** Applies the rewrites to a path, byte for byte. */
export function rewritePath(rewrites: readonly Rewrite[], path: Uint8Array): Buffer {
  let text = Buffer.from(path.buffer, path.byteOffset, path.byteLength).toString('latin1');
  for (const r of rewrites) text = text.replace(r.from, r.to);
  return Buffer.from(text, 'latin1');
}

/** Why a rewritten path may not be restored to (undefined: it may). */
export function rewrittenPathProblem(path: Uint8Array): string | undefined {
  const text = Buffer.from(path.buffer, path.byteOffset, path.byteLength).toString('latin1');
  if (text.includes('\0')) return 'it contains a NUL byte';
  if (!text.startsWith('/')) return 'it is not an absolute path';
  if (text.split('/').includes('..')) return 'it has a ".." component';
  return undefined;
}

function escape(text: string, sep: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&').split(sep).join(`\\${sep}`);
}

/** strip_prefix / add_prefix / add_suffix as a RegexWhere (undefined when none is given). */
export function buildRegexWhere(o: { stripPrefix?: string; addPrefix?: string; addSuffix?: string }): string | undefined {
  const parts: string[] = [];
  if (o.stripPrefix) parts.push(`!^${escape(o.stripPrefix, '!')}!!`);
  if (o.addSuffix) parts.push(`!([^/])$!$1${o.addSuffix.split('!').join('\\!')}!`);
  if (o.addPrefix) parts.push(`!^!${o.addPrefix.split('!').join('\\!')}!`);
  return parts.length ? parts.join(',') : undefined;
}
