/**
 * Pattern compilation for FileSet Options: fnmatch-style wildcards and POSIX extended
 * regular expressions, both turned into JavaScript RegExps over match strings (see
 * bytes.ts). Wildcards follow fnmatch(3) without FNM_PATHNAME or FNM_PERIOD, as
 * Bareos calls it: `*` and `?` also match `/` and a leading dot.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { patternToMatchString, toMatchString } from './bytes.js';

// POSIX bracket classes, ASCII only (the C locale Bareos matches in).
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~',
  graph: '!-~',
};

function escapeChar(c: string): string {
  return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * Translates one bracket expression starting at `start` (the `[`). Returns the JS
 * class and the index after the closing `]`, or null when it is not closed (then the
 * `[` is an ordinary character, as in fnmatch).
 */
function translateBracket(p: string, start: number): { cls: string; next: number } | null {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < p.length) {
    const c = p[i] as string;
    if (c === ']' && !first) {
      return { cls: (negate ? '[^' : '[') + body + ']', next: i + 1 };
    }
    first = false;
    if (c === '[' && p[i + 1] === ':') {
      const end = p.indexOf(':]', i + 2);
      const name = end < 0 ? undefined : p.slice(i + 2, end);
      const set = name === undefined ? undefined : POSIX_CLASSES[name];
      if (set !== undefined) {
        body += set;
        i = end + 2;
        continue;
      }
    }
    let lit = c;
    if (c === '\\' && i + 1 < p.length) lit = p[++i] as string;
    if (p[i + 1] === '-' && i + 2 < p.length && p[i + 2] !== ']') {
      let hi = p[i + 2] as string;
      let skip = 3;
      if (hi === '\\' && i + 3 < p.length) {
        hi = p[i + 3] as string;
        skip = 4;
      }
      body += escapeChar(lit) + '-' + escapeChar(hi);
      i += skip;
      continue;
    }
    body += escapeChar(lit);
    i++;
  }
  return null;
}

/** The RegExp source (unanchored) for an fnmatch pattern already in match-string form. */
export function wildcardSource(p: string): string {
  let out = '';
  let i = 0;
  while (i < p.length) {
    const c = p[i] as string;
    if (c === '*') {
      out += '[\\s\\S]*';
      i++;
    } else if (c === '?') {
      out += '[\\s\\S]';
      i++;
    } else if (c === '[') {
      const bracket = translateBracket(p, i);
      if (bracket === null) {
        out += escapeChar(c);
        i++;
      } else {
        out += bracket.cls;
        i = bracket.next;
      }
    } else if (c === '\\' && i + 1 < p.length) {
      out += escapeChar(p[i + 1] as string);
      i += 2;
    } else {
      out += escapeChar(c);
      i++;
    }
  }
  return out;
}

export function compileWildcard(pattern: string, ignoreCase: boolean): RegExp {
  return new RegExp('^' + wildcardSource(patternToMatchString(pattern)) + '$', ignoreCase ? 'i' : '');
}

/**
 * An Exclude File entry with wildcards, matched like fnmatch(FNM_LEADING_DIR): it
 * also matches everything below a matching directory.
 */
export function compileExcludeWildcard(entry: Uint8Array): RegExp {
  return new RegExp('^' + wildcardSource(toMatchString(entry)) + '(?:/[\\s\\S]*)?$');
}

/**
 * POSIX ERE -> JS RegExp. The syntaxes agree on everything FileSets use in practice;
 * bracket classes are translated and `.` matches newlines too (no REG_NEWLINE).
 * Unanchored, as regexec() searches.
 */
export function compileRegex(pattern: string, ignoreCase: boolean): RegExp {
  const source = patternToMatchString(pattern).replace(/\[:([a-z]+):\]/g, (whole, name: string) => {
    return POSIX_CLASSES[name] ?? whole;
  });
  try {
    return new RegExp(source, ignoreCase ? 'si' : 's');
  } catch (err) {
    throw new BurrowError('CONFIG_INVALID', `invalid regular expression "${pattern}"`, { cause: err });
  }
}

/** True when an Exclude File entry uses wildcards (otherwise it is a plain path). */
export function hasWildcard(entry: Uint8Array): boolean {
  return entry.some((b) => b === 0x2a || b === 0x3f || b === 0x5b);
}
