/**
 * query: Bareos's catalog queries from the Director's QueryFile (query/file.ts). The
 * console gets the numbered list ("Available queries:"), chooses one ("Choose a
 * query (1-N): "), answers its prompts one by one, and gets a table per statement
 * (or Bareos's vertical list for a `!` statement).
 *
 * Without a QueryFile the Director uses the one it ships (the scriptdir's
 * query.sql), as Bareos's Director falls back to its own. The statements read the
 * whole catalog, past every Job, Client and Pool ACL, so only a console that sees the
 * whole catalog may run them (Bareos leaves this to CommandACL alone; a console
 * restricted to its own jobs could otherwise read every other client's file names).
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { ask, defineCommand, type ConsoleContext, type Question, type Reply } from '../command.js';
import { consoleScope } from '../scope.js';
import { table } from '../text.js';
import type { CatalogQuery } from '../../query/file.js';
import { readQueryFile, renderTables, runQuery, type QueryTable } from '../../query/run.js';

/** The query file the Director ships (packages/director/scripts, its scriptdir), used when QueryFile is not set. */
export const SHIPPED_QUERY_FILE = fileURLToPath(new URL('../../../scripts/query.sql', import.meta.url));

export type QueryResult =
  /** The list to choose from. */
  | { kind: 'menu'; queries: string[] }
  /** Nothing to show: the question (a prompt of the query) says it all. */
  | { kind: 'question' }
  /** The query ran: a table per statement, and why it stopped if a statement failed. */
  | { kind: 'answer'; title: string; tables: QueryTable[]; error?: string };

type QueryQuestion = Question<QueryResult>;

function queryFileOf(ctx: ConsoleContext): string {
  const configured = ctx.config.director.queryFile;
  return configured === undefined ? SHIPPED_QUERY_FILE : ctx.resolvePath(configured);
}

async function run(ctx: ConsoleContext, query: CatalogQuery, answers: readonly string[]): Promise<QueryResult> {
  const answer = await runQuery(ctx.catalog, query, answers);
  return { kind: 'answer', title: query.title, tables: [...answer.tables], ...(answer.error ? { error: answer.error } : {}) };
}

/** The query's prompts, asked in order (each answer may be empty); then it runs. */
function prompts(query: CatalogQuery, answers: readonly string[]): (ctx: ConsoleContext) => Reply<QueryResult> | Promise<Reply<QueryResult>> {
  return (ctx) => {
    const next = query.prompts[answers.length];
    if (next === undefined) return run(ctx, query, answers);
    // Bareos shows a prompt followed by one blank, as the file has it.
    const question: QueryQuestion = { prompt: `${next} `, answer: (ctx2, line) => prompts(query, [...answers, line.trim()])(ctx2) };
    return ask({ kind: 'question' }, question);
  };
}

function choose(queries: readonly CatalogQuery[]): QueryQuestion {
  return {
    prompt: `Choose a query (1-${queries.length}): `,
    answer: (ctx, line) => {
      const text = line.trim();
      const query = /^\d+$/.test(text) ? queries[Number(text) - 1] : undefined;
      if (!query) throw new BurrowError('BAD_REQUEST', `Please enter a number between 1 and ${queries.length}`);
      return prompts(query, [])(ctx);
    },
  };
}

function render(r: QueryResult): string {
  switch (r.kind) {
    case 'menu': return ['Available queries:', ...r.queries.map((title, i) => `${String(i + 1).padStart(6)}: ${title}`)].join('\n');
    case 'question': return '';
    case 'answer': return [renderTables(r.tables, table), ...(r.error ? [r.error] : [])].filter((s) => s !== '').join('\n');
  }
}

export const queryCommand = defineCommand({
  name: 'query',
  help: 'Query catalog',
  usage: 'query',
  args: z.object({}).strict(),
  run: (ctx): Reply<QueryResult> => {
    if (!consoleScope(ctx).seesWholeCatalog) {
      throw new BurrowError('NOT_ALLOWED', 'query: the queries read the whole catalog; this console may not (its Job, Client, Storage, Pool, FileSet and Catalog ACLs would all have to be *all*)');
    }
    const path = queryFileOf(ctx);
    const queries = readQueryFile(path);
    if (queries.length === 0) throw new BurrowError('NOT_FOUND', `${path} holds no queries`);
    return ask({ kind: 'menu', queries: queries.map((q) => q.title) }, choose(queries));
  },
  render,
  succeeded: (r) => r.kind !== 'answer' || r.error === undefined,
});
