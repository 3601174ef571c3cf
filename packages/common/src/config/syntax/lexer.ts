/**
 * Turns configuration text into tokens, following Bareos's lexer (core/src/lib/lex.cc):
 * `#` starts a comment outside quotes; `;` and a line end both end a statement;
 * quoted strings take backslash escapes literally (`\"` -> `"`, `\\` -> `\`), may span
 * lines and join with a quoted string that follows on the same or the next line;
 * unquoted words on one line separated only by blanks form one value
 * (`10 GB`, `Maximum Volume Bytes`). `@path` or `@"path"` splices in other files;
 * the caller resolves them, so this module does no I/O.
 */
import { BurrowError } from '../../errors/index.js';

export type TokenKind = 'word' | 'string' | '=' | ',' | '{' | '}' | 'eos';

export interface Token {
  readonly kind: TokenKind;
  text: string;
  readonly file: string;
  readonly line: number;
  /** Offsets into `source`, quotes included, for keeping a directive's raw text. */
  readonly start: number;
  end: number;
  readonly source: string;
}

/** Returns the tokens of the file(s) an `@` include names; `at` is the include's own place. */
export type IncludeResolver = (spec: string, at: { file: string; line: number }) => Token[];

const DELIMITERS = new Set(['=', '{', '}', ';', ',', '#', '"']);
const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';

function syntaxError(file: string, line: number, message: string): BurrowError {
  return new BurrowError('CONFIG_SYNTAX', `${file}:${line}: ${message}`);
}

interface Cursor { pos: number; line: number }

/** Reads a quoted string starting at the opening quote; joins continuations. */
function readQuoted(src: string, file: string, cur: Cursor, directive?: string): string {
  const startLine = cur.line;
  let out = '';
  let i = cur.pos + 1;
  for (;;) {
    if (i >= src.length) {
      // The rest of the file was swallowed, so the directive is the one clue left to the reader.
      throw syntaxError(file, startLine, `unterminated quoted string${directive ? ` in the value of "${directive}"` : ''}`);
    }
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length) {
      const next = src[i + 1]!;
      if (next === '\n') cur.line += 1; // an escaped line end continues the string
      else out += next;
      i += 2;
      continue;
    }
    if (c === '\n') { cur.line += 1; i += 1; continue; }
    if (c === '"') {
      // Bareos joins "abc"   "def" and "abc"\n   "def" into one string.
      let j = i + 1;
      while (j < src.length && isBlank(src[j]!)) j += 1;
      let extraLines = 0;
      if (src[j] === '\n') {
        extraLines = 1;
        j += 1;
        while (j < src.length && isBlank(src[j]!)) j += 1;
      }
      if (src[j] === '"') { cur.line += extraLines; i = j + 1; continue; }
      cur.pos = i + 1;
      return out;
    }
    out += c;
    i += 1;
  }
}

function readWord(src: string, pos: number): number {
  let i = pos;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n' || isBlank(c) || DELIMITERS.has(c)) break;
    i += 1;
  }
  return i;
}

/** The directive whose value starts here (`Name = "...`), if the tokens so far say so. */
function directiveBefore(tokens: readonly Token[]): string | undefined {
  const eq = tokens[tokens.length - 1];
  const key = tokens[tokens.length - 2];
  return eq?.kind === '=' && key?.kind === 'word' ? key.text : undefined;
}

export function tokenize(source: string, file: string, include: IncludeResolver): Token[] {
  const src = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const tokens: Token[] = [];
  const cur: Cursor = { pos: 0, line: 1 };
  const push = (kind: TokenKind, text: string, start: number, end: number, line = cur.line): void => {
    tokens.push({ kind, text, file, line, start, end, source: src });
  };
  while (cur.pos < src.length) {
    const c = src[cur.pos]!;
    const start = cur.pos;
    if (c === '\n') { push('eos', '\n', start, start + 1); cur.line += 1; cur.pos += 1; continue; }
    if (isBlank(c)) { cur.pos += 1; continue; }
    if (c === '#') { while (cur.pos < src.length && src[cur.pos] !== '\n') cur.pos += 1; continue; }
    if (c === ';') { push('eos', ';', start, start + 1); cur.pos += 1; continue; }
    if (c === '=' || c === ',' || c === '{' || c === '}') { push(c, c, start, start + 1); cur.pos += 1; continue; }
    if (c === '"') {
      const line = cur.line;
      const text = readQuoted(src, file, cur, directiveBefore(tokens));
      push('string', text, start, cur.pos, line);
      continue;
    }
    if (c === '@') {
      const line = cur.line;
      let spec: string;
      if (src[cur.pos + 1] === '"') {
        cur.pos += 1;
        spec = readQuoted(src, file, cur);
      } else if (src[cur.pos + 1] === '|') {
        throw new BurrowError('CONFIG_INCLUDE', `${file}:${line}: @| command includes are not supported`);
      } else {
        const end = readWord(src, cur.pos + 1);
        spec = src.slice(cur.pos + 1, end);
        cur.pos = end;
      }
      if (spec === '') throw syntaxError(file, line, '@ without a file name');
      tokens.push(...include(spec, { file, line }));
      push('eos', '', cur.pos, cur.pos, line);
      continue;
    }
    const end = readWord(src, cur.pos);
    const prev = tokens[tokens.length - 1];
    if (prev && prev.kind === 'word' && prev.file === file && prev.source === src && /^[ \t\r\f\v]*$/.test(src.slice(prev.end, start))) {
      prev.end = end;
      prev.text = src.slice(prev.start, end);
    } else {
      push('word', src.slice(start, end), start, end);
    }
    cur.pos = end;
  }
  return tokens;
}
