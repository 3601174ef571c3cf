/**
 * Running one query of the query file: each statement with the console's answers
 * bound (bind.ts), read-only (Catalog.readOnlyQuery), its rows made plain data a
 * console renders and `.api json` sends: byte-string names shown as `displayPath`
 * shows them, 64-bit numbers as text when they do not fit a JSON number.
 */
import { readFileSync } from 'node:fs';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { displayPath } from '@burrow/common/names/index';
import type { Catalog, QueryValue } from '../catalog/index.js';
import { bindAnswers } from './bind.js';
import { parseQueryFile, type CatalogQuery } from './file.js';

/** Rows one statement may list: a query is for reading, not for dumping the catalog. */
export const MAX_ROWS = 10_000;

export type Cell = string | number | null;

export interface QueryTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Bareos's `!` statements: one value a line. */
  readonly vertical: boolean;
  /** More than MAX_ROWS rows were there. */
  readonly truncated: boolean;
}

/** The queries of the file at `path` (Bareos: "Could not open ..." when it cannot be read). */
export function readQueryFile(path: string): CatalogQuery[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BurrowError('NOT_FOUND', `Could not open ${path}: ERR=${describeError(err)}`, { cause: err });
  }
  return parseQueryFile(text, path);
}

function cell(v: QueryValue): Cell {
  if (Buffer.isBuffer(v)) return displayPath(v);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return v;
}

/** What one query gave: a table per statement run, and why it stopped if a statement failed. */
export interface QueryAnswer {
  readonly tables: readonly QueryTable[];
  /** The first statement that failed (bad SQL, a statement that would write): the rest do not run. */
  readonly error?: string;
}

/**
 * Runs the statements in order, as Bareos does; the first that fails ends the query
 * with what the earlier ones gave kept.
 */
export async function runQuery(catalog: Catalog, query: CatalogQuery, answers: readonly string[]): Promise<QueryAnswer> {
  const tables: QueryTable[] = [];
  for (const s of query.statements) {
    try {
      const bound = bindAnswers(s.sql, answers);
      const result = await catalog.readOnlyQuery(bound.sql, bound.params, MAX_ROWS);
      tables.push({ columns: result.columns, rows: result.rows.map((r) => r.map(cell)), vertical: s.vertical, truncated: result.truncated });
    } catch (err) {
      return { tables, error: describeError(err) };
    }
  }
  return { tables };
}

function vertical(t: QueryTable): string {
  if (t.rows.length === 0) return 'No results to list.';
  const width = Math.max(...t.columns.map((c) => c.length));
  return t.rows.map((r) => t.columns.map((c, i) => `${c.padStart(width)}: ${String(r[i] ?? '')}`).join('\n')).join('\n\n');
}

/** Bareos's text: a table per statement, or `column: value` lines for a `!` one. */
export function renderTables(tables: readonly QueryTable[], table: (h: string[], rows: Array<Array<string | number>>) => string): string {
  return tables.map((t) => {
    const body = t.vertical ? vertical(t) : table([...t.columns], t.rows.map((r) => r.map((c) => c ?? '')));
    return t.truncated ? `${body}\n(only the first ${MAX_ROWS} rows are listed)` : body;
  }).join('\n');
}
