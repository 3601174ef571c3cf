/**
 * Bareos's query file (Director `QueryFile`, read by the `query` command), as its
 * Director reads it (dird/ua_query.cc):
 *
 *   # a comment (a line starting with #)
 *   :the title of a query, shown in the menu
 *   *a prompt, asked before the query runs; its answer replaces %1 (the next %2...)
 *   SELECT ... lines joined with spaces; a line ending in ; ends a statement
 *   !SELECT ... a statement starting with ! is listed one value per line
 *
 * A query may have several statements and up to 9 prompts; text before the first
 * title is ignored, a statement left open at the query's end still runs. `%%` is a
 * literal `%` (bind.ts).
 */
import { BurrowError } from '@burrow/common/errors/index';

export interface QueryStatement {
  readonly sql: string;
  /** `!`: listed one value per line (Bareos's vertical list) rather than as a table. */
  readonly vertical: boolean;
}

export interface CatalogQuery {
  readonly title: string;
  readonly prompts: readonly string[];
  readonly statements: readonly QueryStatement[];
}

/** Bareos keeps nine prompt slots (%1..%9). */
export const MAX_PROMPTS = 9;

function statementOf(text: string): QueryStatement {
  const vertical = text.startsWith('!');
  return { sql: (vertical ? text.slice(1) : text).trim(), vertical };
}

/** Parses a query file; `where` names it in errors (a query without statements, too many prompts). */
export function parseQueryFile(text: string, where: string): CatalogQuery[] {
  const queries: Array<{ title: string; prompts: string[]; statements: QueryStatement[]; line: number }> = [];
  let pending = '';
  const close = (): void => {
    const q = queries[queries.length - 1];
    if (q && pending.trim() !== '') q.statements.push(statementOf(pending.replace(/;\s*$/, '')));
    pending = '';
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    if (line.startsWith(':')) {
      close();
      queries.push({ title: line.slice(1).trim(), prompts: [], statements: [], line: i + 1 });
      return;
    }
    const q = queries[queries.length - 1];
    if (!q || line.startsWith('#') || line === '') return;
    if (line.startsWith('*')) {
      if (q.prompts.length === MAX_PROMPTS) throw new BurrowError('CONFIG_INVALID', `${where}:${i + 1}: query "${q.title}" has more than ${MAX_PROMPTS} prompts`);
      q.prompts.push(line.slice(1).trim());
      return;
    }
    pending = pending === '' ? line : `${pending} ${line}`;
    if (line.endsWith(';')) close();
  });
  close();
  for (const q of queries) {
    if (q.statements.length === 0) throw new BurrowError('CONFIG_INVALID', `${where}:${q.line}: query "${q.title}" has no SQL statement`);
  }
  return queries.map(({ title, prompts, statements }) => ({ title, prompts, statements }));
}
