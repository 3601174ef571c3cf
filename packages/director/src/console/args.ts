/**
 * Console command lines as Bareos reads them: a command word, then `keyword` or
 * `keyword=value` arguments; values may be double-quoted to hold spaces.
 * Keywords are case-insensitive; values keep their case.
 */
import { BurrowError } from '@burrow/common/errors/index';

export interface Arg {
  /** The keyword, lower case. */
  key: string;
  /** What follows "=", as typed; none for a bare keyword. */
  value: string | undefined;
  /** A bare word as typed (its case kept), for a positional field such as a job name. */
  word?: string;
}

export interface ParsedCommand {
  name: string;
  args: Arg[];
}

export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '\\' && i + 1 < line.length) current += line[++i];
      else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') {
      quoted = true;
      inToken = true;
    } else if (/\s/.test(c)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += c;
      inToken = true;
    }
  }
  if (quoted) throw new BurrowError('BAD_REQUEST', 'unterminated quoted string');
  if (inToken) tokens.push(current);
  return tokens;
}

export function parseCommand(line: string): ParsedCommand {
  const [first, ...rest] = tokenize(line);
  if (first === undefined) throw new BurrowError('BAD_REQUEST', 'empty command');
  return {
    name: first.toLowerCase(),
    args: rest.map((token) => {
      const eq = token.indexOf('=');
      return eq < 0 ? { key: token.toLowerCase(), value: undefined, word: token } : { key: token.slice(0, eq).toLowerCase(), value: token.slice(eq + 1) };
    }),
  };
}

/**
 * A console line's words as the object a command's argument schema checks: a bare
 * keyword is `true`, `key=value` is the value, a keyword given twice holds a list
 * (`file=/a file=/b`). A bare first word fills the command's positional field
 * (`list jobs`, `status dir`, `help run`, `run NAME`), keeping its case, unless that
 * field is given by keyword; `list jobid=3` has no positional word.
 */
export function keywordInput(words: readonly Arg[], positional?: string): Record<string, unknown> {
  // No prototype: a keyword such as `__proto__=` is just an unknown keyword.
  const input: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let rest = words;
  const first = words[0];
  if (positional !== undefined && first !== undefined && first.value === undefined && !words.some((w) => w.key === positional)) {
    input[positional] = first.word ?? first.key;
    rest = words.slice(1);
  }
  for (const { key, value } of rest) {
    const v = value ?? true;
    const had = input[key];
    if (had === undefined || (had === true && v === true)) input[key] = v;
    else input[key] = [...(Array.isArray(had) ? had : [had]), v];
  }
  return input;
}
