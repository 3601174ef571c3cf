/**
 * Command output saving, declared as Bareos declares its bpipe plugin:
 * `Plugin = "bpipe:file=/MYSQL/dump.sql:reader=mysqldump --all-databases:writer=mysql"`
 * (or the older positional `bpipe:/MYSQL/dump.sql:mysqldump ...:mysql`). The reader's
 * standard output is saved as the file `file`; a restore pipes it into `writer`.
 * Fields are separated by `:`, so neither command may contain one (as in Bareos).
 * Burrow has no plugin framework: bpipe is the one plugin it knows. The Director
 * checks the text when it reads its configuration; the File daemon parses it again.
 */

export interface BpipeSpec {
  /** The virtual file's absolute path in the backup. */
  readonly file: string;
  /** Command whose standard output is the file's data. */
  readonly reader: string;
  /** Command that takes the data on its standard input at restore time ('' for none). */
  readonly writer: string;
}

/** Parses a Plugin string; returns the spec or a message saying what is wrong. */
export function parseBpipe(text: string): BpipeSpec | string {
  const parts = text.split(':');
  const name = parts.shift()?.trim() ?? '';
  if (name !== 'bpipe') return `plugin "${name}" is not known (Burrow knows only bpipe)`;
  const fields: Record<string, string> = {};
  if (parts.every((p) => /^\s*(file|reader|writer)=/.test(p))) {
    for (const p of parts) {
      const eq = p.indexOf('=');
      const key = p.slice(0, eq).trim();
      if (fields[key] !== undefined) return `bpipe: ${key}= given twice`;
      fields[key] = p.slice(eq + 1);
    }
  } else if (parts.length === 3 && !parts.some((p) => /^\s*(file|reader|writer)=/.test(p))) {
    [fields.file, fields.reader, fields.writer] = parts as [string, string, string];
  } else {
    return 'bpipe: expected bpipe:file=PATH:reader=COMMAND:writer=COMMAND';
  }
  const file = (fields.file ?? '').trim();
  const reader = (fields.reader ?? '').trim();
  const writer = (fields.writer ?? '').trim();
  if (!file.startsWith('/') || file.includes('\0')) return `bpipe: file= must be an absolute path (got "${file}")`;
  if (/(^|\/)\.\.?(\/|$)/.test(file) || file.endsWith('/')) return `bpipe: file= must name a file without . or .. components (got "${file}")`;
  if (reader === '') return 'bpipe: reader= is missing';
  return { file, reader, writer };
}
