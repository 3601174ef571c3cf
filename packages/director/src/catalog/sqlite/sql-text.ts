/**
 * SQL text as the sqlite3 shell's `.dump` writes it, and the reverse: cutting such
 * text into statements. Shared by the catalog dump (dump.ts) and load (load.ts).
 *
 * The value formats follow the shell (SQLite 3.40, shell.c) so that a Burrow dump
 * reads like the one Bareos's make_catalog_backup makes with `sqlite3 .dump`, and
 * the Debian sqlite3 command loads it: integers in decimal, reals with 20 significant
 * digits (exact round trip), BLOBs as X'hex' (file names are BLOBs: byte for byte),
 * text in single quotes with line ends written as replace(..., char(10)) so that each
 * statement stays on one line.
 */

/** SQLite's keywords (sqlite.org/lang_keywords.html): a table named so needs quotes. */
const KEYWORDS = new Set(`ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE
BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT
CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO
DROP EACH ELSE END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM
FULL GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD
INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL
NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE
RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT
SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM
VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT`.split(/\s+/));

/** A table name as the shell writes it after INSERT INTO: bare when it may be, else in double quotes. */
export function tableName(name: string): string {
  const bare = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name.toUpperCase());
  return bare ? name : `"${name.replaceAll('"', '""')}"`;
}

/** The first of the candidates (then numbered variants) that does not occur in `text`. */
function unusedMarker(text: string, first: string, second: string): string {
  if (!text.includes(first)) return first;
  if (!text.includes(second)) return second;
  for (let i = 0; ; i++) {
    const marker = `(${first}${i})`;
    if (!text.includes(marker)) return marker;
  }
}

/** A text value: 'it''s', and line ends as replace('a\nb','\n',char(10)) with an unused marker. */
export function textLiteral(s: string): string {
  if (!/['\n\r]/.test(s)) return `'${s}'`;
  const nl = s.includes('\n') ? unusedMarker(s, '\\n', '\\012') : null;
  const cr = s.includes('\r') ? unusedMarker(s, '\\r', '\\015') : null;
  let body = s.replaceAll("'", "''");
  if (nl !== null) body = body.replaceAll('\n', nl);
  if (cr !== null) body = body.replaceAll('\r', cr);
  let out = `${nl !== null ? 'replace(' : ''}${cr !== null ? 'replace(' : ''}'${body}'`;
  if (cr !== null) out += `,'${cr}',char(13))`;
  if (nl !== null) out += `,'${nl}',char(10))`;
  return out;
}

/**
 * A real as the shell's "%lld.0" or "%!.20g": 20 significant digits, always a decimal
 * point. The digits here are exact; the shell's printf may differ from the 18th digit
 * on, and both read back as the same double (17 digits suffice). Burrow's schema has
 * no REAL column today; this is for completeness.
 */
export function realLiteral(r: number): string {
  if (r === Infinity) return '1e999';
  if (r === -Infinity) return '-1e999';
  if (Number.isInteger(r) && Math.abs(r) < 2 ** 63) return `${BigInt(r)}.0`;
  const [mantissa, exponentText] = r.toExponential(19).split('e') as [string, string];
  const exponent = Number(exponentText);
  const trim = (digits: string): string =>
    digits.includes('.') ? digits.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '.0') : `${digits}.0`;
  if (exponent < -4 || exponent >= 20) {
    const e = Math.abs(exponent);
    return `${trim(mantissa)}e${exponent < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  return trim(r.toFixed(19 - exponent));
}

/** One column value as better-sqlite3 returns it with safe integers on. */
export type SqlValue = null | bigint | number | string | Buffer;

export function valueLiteral(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return realLiteral(v);
  if (typeof v === 'string') return textLiteral(v);
  return `X'${v.toString('hex')}'`;
}

type ScanState = 'sql' | "'" | '"' | '[' | '`' | '--' | '/*';

const TRIGGER_START = /^CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?TRIGGER\b/i;

/** The statement without the blanks and comments before it. */
export function statementText(statement: string): string {
  return statement.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '').trimEnd();
}
const ENDS_WITH_END = /\bEND\s*$/i;

/**
 * Cuts SQL text, fed in pieces, into complete statements: a `;` outside quotes and
 * comments ends one, except inside CREATE TRIGGER, which ends at `END;` (as
 * sqlite3_complete() decides). Each statement keeps its text from just after the
 * previous one, so line numbers can be counted from it.
 */
export class StatementSplitter {
  private text = '';
  private pos = 0;
  private state: ScanState = 'sql';

  /** The statements completed by this piece. With `last`, no more text follows. */
  push(piece: string, last = false): string[] {
    this.text += piece;
    const done: string[] = [];
    let start = 0;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos] as string;
      const next = this.text[this.pos + 1];
      if (next === undefined && !last && (c === '-' || c === '/' || c === '*')) break; // a two-character token may be cut
      switch (this.state) {
        case 'sql':
          if (c === "'" || c === '"' || c === '[' || c === '`') this.state = c;
          else if ((c === '-' && next === '-') || (c === '/' && next === '*')) { this.state = c === '-' ? '--' : '/*'; this.pos++; }
          else if (c === ';') {
            const statement = this.text.slice(start, this.pos + 1);
            if (!TRIGGER_START.test(statementText(statement)) || ENDS_WITH_END.test(statement.slice(0, -1))) {
              done.push(statement);
              start = this.pos + 1;
            }
          }
          break;
        case "'": case '"': case '`': if (c === this.state) this.state = 'sql'; break;
        case '[': if (c === ']') this.state = 'sql'; break;
        case '--': if (c === '\n') this.state = 'sql'; break;
        case '/*': if (c === '*' && next === '/') { this.state = 'sql'; this.pos++; } break;
      }
    }
    this.text = this.text.slice(start);
    this.pos -= start;
    return done;
  }

  /** Text after the last complete statement (whitespace and comments only, for a whole dump). */
  get rest(): string {
    return this.text;
  }
}

/** Whether `sql` is exactly one complete statement (the shell's sqlite3_complete() test). */
export function isCompleteStatement(sql: string): boolean {
  const s = new StatementSplitter();
  const done = s.push(sql, true);
  return done.length === 1 && s.rest.trim() === '';
}
