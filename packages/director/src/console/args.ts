/**
 * Console command lines as Bareos reads them: a command word, then `keyword` or
 * `keyword=value` arguments; values may be double-quoted to hold spaces.
 * Keywords are case-insensitive; values keep their case.
 */
import { BurrowError } from '@burrow/common/errors/index';

export interface Arg {
  key: string;
  value: string | undefined;
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
      return eq < 0 ? { key: token.toLowerCase(), value: undefined } : { key: token.slice(0, eq).toLowerCase(), value: token.slice(eq + 1) };
    }),
  };
}

/** Typed access to a command's arguments. */
export class Args {
  constructor(readonly list: Arg[]) {}

  has(key: string): boolean {
    return this.list.some((a) => a.key === key);
  }

  get(key: string): string | undefined {
    return this.list.find((a) => a.key === key)?.value;
  }

  all(key: string): string[] {
    return this.list.filter((a) => a.key === key && a.value !== undefined).map((a) => a.value as string);
  }

  require(key: string, what: string): string {
    const v = this.get(key);
    if (v === undefined || v === '') throw new BurrowError('BAD_REQUEST', `${what}: missing ${key}=`);
    return v;
  }

  int(key: string): number | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new BurrowError('BAD_REQUEST', `${key}= must be a number, not "${v}"`);
    return Number(v);
  }

  /** Comma-separated ids, as in `jobid=1,2,3`. */
  ids(key: string): number[] {
    const v = this.get(key);
    if (v === undefined) return [];
    return v.split(',').map((part) => {
      if (!/^\d+$/.test(part.trim())) throw new BurrowError('BAD_REQUEST', `${key}= must be numbers separated by commas, not "${v}"`);
      return Number(part.trim());
    });
  }

  /** The first bare word after the command (`status dir`, `list jobs`). */
  firstWord(): string | undefined {
    return this.list[0]?.value === undefined ? this.list[0]?.key : undefined;
  }
}
