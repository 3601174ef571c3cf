/**
 * A query's `%1`..`%9` with the console's answers. Bareos pastes each answer into the
 * SQL text (quotes doubled); Burrow binds it as a parameter instead, so no answer can
 * change what the statement is:
 *
 * - `%N` outside a quoted string becomes `?`, bound as a number when the answer is
 *   one (`JobId=%1`, `LIMIT %2`), as text otherwise;
 * - inside a string literal the literal becomes a concatenation: `'%1'` is `?`,
 *   `'/home/%1/'` is `('/home/' || ? || '/')`, bound as text;
 * - `%%` is `%`, and a `%` before anything else stays as it is (`LIKE 'a%'`).
 *
 * The query file's SQL keeps Bareos's form, so a Bareos query file reads the same.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { QueryParam } from '../catalog/index.js';

export interface BoundStatement {
  readonly sql: string;
  readonly params: readonly QueryParam[];
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** The text of a `%` sequence at `i` (`%%` -> `%`), or the prompt number it names. */
function percentAt(sql: string, i: number): { prompt: number } | { text: string; length: number } {
  const next = sql[i + 1] ?? '';
  if (next === '%') return { text: '%', length: 2 };
  if (/[1-9]/.test(next)) return { prompt: Number(next) };
  return { text: '%', length: 1 };
}

function answerOf(answers: readonly string[], n: number): string {
  const a = answers[n - 1];
  if (a === undefined) throw new BurrowError('BAD_REQUEST', `the query uses %${n}, but it has only ${answers.length} prompt(s)`);
  return a;
}

/** A string literal starting at `i` (the opening quote): its pieces of text and prompt numbers, and where it ends. */
function literalAt(sql: string, i: number): { parts: Array<string | number>; end: number } {
  const parts: Array<string | number> = [];
  let text = '';
  let j = i + 1;
  for (; j < sql.length; j++) {
    const c = sql[j] as string;
    if (c === "'") {
      if (sql[j + 1] !== "'") break;
      text += "''";
      j++;
    } else if (c === '%') {
      const p = percentAt(sql, j);
      if ('prompt' in p) {
        parts.push(text, p.prompt);
        text = '';
        j++;
      } else {
        text += p.text;
        j += p.length - 1;
      }
    } else {
      text += c;
    }
  }
  if (j >= sql.length) throw new BurrowError('BAD_REQUEST', 'the query has an unterminated quoted string');
  parts.push(text);
  return { parts, end: j + 1 };
}

export function bindAnswers(sql: string, answers: readonly string[]): BoundStatement {
  let out = '';
  const params: QueryParam[] = [];
  for (let i = 0; i < sql.length;) {
    const c = sql[i] as string;
    if (c === "'") {
      const { parts, end } = literalAt(sql, i);
      const pieces = parts.filter((p) => p !== '').map((p) => {
        if (typeof p === 'string') return `'${p}'`;
        params.push(answerOf(answers, p));
        return '?';
      });
      out += pieces.length === 0 ? "''" : pieces.length === 1 ? pieces[0] : `(${pieces.join(' || ')})`;
      i = end;
    } else if (c === '%') {
      const p = percentAt(sql, i);
      if ('prompt' in p) {
        const a = answerOf(answers, p.prompt);
        params.push(NUMBER.test(a.trim()) ? Number(a.trim()) : a);
        out += '?';
        i += 2;
      } else {
        out += p.text;
        i += p.length;
      }
    } else {
      out += c;
      i++;
    }
  }
  return { sql: out, params };
}
