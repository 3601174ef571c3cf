import Database from 'better-sqlite3';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { PAGE_CACHE_PRAGMA } from './page-cache.js';
import type { QueryParam, QueryRows, QueryValue } from '../types.js';

/** The statements a query may be: they read and give rows. */
const READING = /^\s*(select|with|values)\b/i;

/**
 * Read-only queries of the catalog at `file`, for the `query` command (Catalog.readOnlyQuery,
 * run on the reader thread): a connection of its own opened read-only on first use, so
 * a statement that would write fails in SQLite itself (`readonly`, `query_only`); only a
 * single SELECT, WITH or VALUES statement that SQLite also calls read-only is prepared
 * at all. ATTACH, PRAGMA and the like are refused before they run.
 */
export function queryOps(file: string): {
  readOnlyQuery(sql: string, params: readonly QueryParam[], maxRows: number): QueryRows;
  closeQueries(): void;
} {
  let reader: Database.Database | undefined;
  const connection = (): Database.Database => {
    if (reader?.open) return reader;
    reader = new Database(file, { readonly: true, fileMustExist: true });
    reader.pragma('query_only = ON');
    reader.pragma('busy_timeout = 5000');
    reader.pragma(PAGE_CACHE_PRAGMA);
    return reader;
  };
  return {
    readOnlyQuery(sql, params, maxRows): QueryRows {
      if (!READING.test(sql)) throw new BurrowError('BAD_REQUEST', 'a query may only read the catalog: one SELECT (or WITH, VALUES) statement');
      let stmt: Database.Statement;
      try {
        stmt = connection().prepare(sql);
      } catch (err) {
        throw new BurrowError('BAD_REQUEST', `the query does not compile: ${describeError(err)}`, { cause: err });
      }
      if (!stmt.readonly || !stmt.reader) throw new BurrowError('BAD_REQUEST', 'a query may only read the catalog');
      try {
        const columns = stmt.columns().map((c) => c.name);
        const rows: QueryValue[][] = [];
        let truncated = false;
        for (const row of stmt.raw(true).iterate(...params) as IterableIterator<QueryValue[]>) {
          if (rows.length === maxRows) { truncated = true; break; }
          rows.push(row);
        }
        return { columns, rows, truncated };
      } catch (err) {
        throw new BurrowError('BAD_REQUEST', `the query failed: ${describeError(err)}`, { cause: err });
      }
    },
    closeQueries(): void {
      reader?.close();
    },
  };
}
