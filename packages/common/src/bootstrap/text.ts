/**
 * The text form of a bootstrap, Bareos's `.bsr` format with Burrow's meanings
 * (docs/bootstrap-format.md): `Keyword=value` lines, `#` comments, one section per
 * volume and job session, each opened by `Volume=`:
 *
 *   # 05-Dec-2026 10:00:00 - backup-client.2026-12-05_10.00.00_03 - Full
 *   Volume="Full-0001"
 *   MediaType="File"
 *   VolSessionId=3
 *   VolAddr=4096-1052672
 *   FileIndex=1-57
 *
 * The parser accepts what the writer writes, and refuses anything else with the line
 * that is wrong: Bareos keywords with no meaning on Burrow's volumes (VolSessionTime,
 * VolFile, VolBlock, ...) are named as such, so nobody believes they were applied.
 */
import { BurrowError } from '../errors/index.js';
import { normalizeRanges, rangeSize, type Bootstrap, type BootstrapSection, type IndexRange } from './bootstrap.js';

export interface WriteOptions {
  /** Comment lines before the sections (who wrote it, when, for which job). */
  comments?: readonly string[];
}

/** A quoted value; names never hold line breaks or other control characters. */
function quoted(what: string, value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new BurrowError('BOOTSTRAP_INVALID', `${what} ${JSON.stringify(value)} holds a control character`);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function writeBootstrapText(b: Bootstrap, options: WriteOptions = {}): string {
  const lines = (options.comments ?? []).map((c) => `# ${c}`);
  for (const s of b.sections) {
    if (s.storage !== undefined) lines.push(`Storage=${quoted('Storage', s.storage)}`);
    lines.push(`Volume=${quoted('Volume', s.volume)}`);
    if (s.mediaType !== undefined) lines.push(`MediaType=${quoted('MediaType', s.mediaType)}`);
    lines.push(`VolSessionId=${s.sessionId}`, `VolAddr=${s.startAddr}-${s.endAddr}`);
    for (const r of normalizeRanges(s.fileIndexes)) lines.push(`FileIndex=${r.first === r.last ? r.first : `${r.first}-${r.last}`}`);
    if (s.count !== undefined) lines.push(`Count=${s.count}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Bareos keywords Burrow does not take, with the reason a reader is told. */
const NOT_TAKEN: Readonly<Record<string, string>> = {
  volsessiontime: 'Burrow volumes have no session time: a session is its VolSessionId, the JobId',
  volfile: 'Burrow addresses a block with VolAddr (on tape: file number * 2^32 + block)',
  volblock: 'Burrow addresses a block with VolAddr (on tape: file number * 2^32 + block)',
  slot: 'autochanger slots are not available yet',
  device: 'the Storage daemon reads with the device the Director names',
  client: 'select with VolSessionId and FileIndex',
  job: 'select with VolSessionId and FileIndex',
  jobid: 'select with VolSessionId (the JobId) and FileIndex',
  jobtype: 'select with VolSessionId and FileIndex',
  joblevel: 'select with VolSessionId and FileIndex',
  stream: 'a restore reads every stream of the files it selects',
  fileregex: 'select with FileIndex',
  include: 'select with FileIndex',
  exclude: 'select with FileIndex',
};

type Keyword = 'storage' | 'volume' | 'mediatype' | 'volsessionid' | 'voladdr' | 'fileindex' | 'count';
const KEYWORDS = new Set<string>(['storage', 'volume', 'mediatype', 'volsessionid', 'voladdr', 'fileindex', 'count']);

/** A section being read: what it has seen so far, and on which line. */
interface Open {
  section: Partial<BootstrapSection> & { fileIndexes: IndexRange[] };
  line: number;
  seen: Set<Keyword>;
}

class BootstrapParser {
  private readonly sections: BootstrapSection[] = [];
  private open: Open | undefined;
  private pendingStorage: { name: string; line: number } | undefined;
  private lineNo = 0;

  constructor(private readonly source: string) {}

  fail(message: string, line = this.lineNo): never {
    throw new BurrowError('BOOTSTRAP_INVALID', `${this.source}:${line}: ${message}`);
  }

  line(raw: string, lineNo: number): void {
    this.lineNo = lineNo;
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const m = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(text);
    if (!m) this.fail(`expected Keyword=value, got "${text}"`);
    const [, name = '', value = ''] = m;
    const key = name.toLowerCase();
    const reason = NOT_TAKEN[key];
    if (reason !== undefined) this.fail(`${name} is not taken by Burrow: ${reason}`);
    if (!KEYWORDS.has(key)) this.fail(`unknown keyword ${name} (Storage, Volume, MediaType, VolSessionId, VolAddr, FileIndex, Count)`);
    this.keyword(key as Keyword, name, value);
  }

  private keyword(key: Keyword, name: string, value: string): void {
    if (key === 'storage') {
      if (this.pendingStorage) this.fail(`a second Storage= before the Volume= it belongs to (line ${this.pendingStorage.line})`);
      this.pendingStorage = { name: this.text(value, name), line: this.lineNo };
      return;
    }
    if (key === 'volume') return this.startSection(this.text(value, name));
    const open = this.open ?? this.fail(`${name}= before any Volume=`);
    if (key === 'fileindex') {
      open.section.fileIndexes.push(...this.ranges(value, name));
      open.seen.add(key);
      return;
    }
    if (open.seen.has(key)) this.fail(`a second ${name}= in the section of Volume "${open.section.volume}" (line ${open.line})`);
    open.seen.add(key);
    const s = open.section;
    if (key === 'mediatype') s.mediaType = this.text(value, name);
    else if (key === 'volsessionid') s.sessionId = this.number(value, name, 1, 0xffffffff);
    else if (key === 'count') s.count = this.number(value, name, 1, Number.MAX_SAFE_INTEGER);
    else {
      const r = this.range(value, name, 0);
      s.startAddr = r.first;
      s.endAddr = r.last;
    }
  }

  private startSection(volume: string): void {
    this.closeSection();
    const section: Open['section'] = { volume, fileIndexes: [] };
    if (this.pendingStorage) section.storage = this.pendingStorage.name;
    this.pendingStorage = undefined;
    this.open = { section, line: this.lineNo, seen: new Set() };
  }

  closeSection(): void {
    const open = this.open;
    if (!open) return;
    const s = open.section;
    const missing = [['VolSessionId', s.sessionId], ['VolAddr', s.startAddr], ['FileIndex', s.fileIndexes.length ? 1 : undefined]]
      .filter(([, v]) => v === undefined).map(([k]) => k);
    if (missing.length) this.fail(`the section of Volume "${s.volume}" has no ${missing.join(', ')}`, open.line);
    const fileIndexes = normalizeRanges(s.fileIndexes);
    if (s.count !== undefined && s.count > rangeSize(fileIndexes)) {
      this.fail(`Count=${s.count} in the section of Volume "${s.volume}" is more than its FileIndex ranges hold (${rangeSize(fileIndexes)})`, open.line);
    }
    this.sections.push({ ...(s as BootstrapSection), fileIndexes });
    this.open = undefined;
  }

  finish(): Bootstrap {
    this.closeSection();
    if (this.pendingStorage) this.fail('Storage= with no Volume= after it', this.pendingStorage.line);
    if (this.sections.length === 0) this.fail('no Volume= in the bootstrap');
    return { sections: this.sections };
  }

  /** A quoted string (\" and \\ escaped) or a bare word. */
  private text(value: string, name: string): string {
    if (!value.startsWith('"')) {
      if (value === '' || /\s|"/.test(value)) this.fail(`${name}= needs a name, quoted if it has spaces`);
      return value;
    }
    let out = '';
    for (let i = 1; i < value.length; i++) {
      const c = value[i] as string;
      if (c === '\\' && i + 1 < value.length) out += value[++i];
      else if (c === '"') {
        if (value.slice(i + 1).trim() !== '') this.fail(`text after the closing quote of ${name}=`);
        if (out === '') this.fail(`${name}= is empty`);
        return out;
      } else out += c;
    }
    return this.fail(`${name}= has no closing quote`);
  }

  private number(value: string, name: string, min: number, max: number): number {
    if (!/^\d+$/.test(value)) this.fail(`${name}=${value}: expected a whole number`);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min || n > max) this.fail(`${name}=${value} is outside ${min}-${max}`);
    return n;
  }

  private range(value: string, name: string, min: number): IndexRange {
    const m = /^(\d+)\s*-\s*(\d+)$/.exec(value.trim());
    if (!m) this.fail(`${name}=${value}: expected FIRST-LAST`);
    const first = this.number(m[1] ?? '', name, min, Number.MAX_SAFE_INTEGER);
    const last = this.number(m[2] ?? '', name, min, Number.MAX_SAFE_INTEGER);
    if (last < first) this.fail(`${name}=${value}: the range ends before it starts`);
    return { first, last };
  }

  /** FileIndex: N, N-M, or a comma list of them (as Bareos accepts). */
  private ranges(value: string, name: string): IndexRange[] {
    return value.split(',').map((part) => {
      const p = part.trim();
      if (/^\d+$/.test(p)) {
        const n = this.number(p, name, 1, 0x7fffffff);
        return { first: n, last: n };
      }
      const r = this.range(p, name, 1);
      if (r.last > 0x7fffffff) this.fail(`${name}=${p} is outside 1-${0x7fffffff}`);
      return r;
    });
  }
}

/** Parses a `.bsr` text; `source` names it in errors (a file name). */
export function parseBootstrapText(text: string, source = 'bootstrap'): Bootstrap {
  const parser = new BootstrapParser(source);
  text.split(/\r?\n/).forEach((line, i) => parser.line(line, i + 1));
  return parser.finish();
}
