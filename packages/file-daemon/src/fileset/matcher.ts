/**
 * Compiles a FileSetSpec (as the Director sends it) into selectors the walker asks,
 * path by path, "is this saved, and how?". Semantics follow Bareos:
 * - Options blocks are tried in order; the first block with a pattern matching the
 *   path decides: with `exclude = yes` the path is left out, otherwise the block's
 *   settings apply (over the defaults).
 * - A block without patterns gives defaults to every path no pattern decides; its
 *   `exclude = yes` leaves out everything not matched by an earlier pattern.
 * - wilddir/regexdir only match directories, wildfile/regexfile only non-directories.
 * - Exclude { File = } entries remove a path and its subtree.
 * Matching is on the raw bytes of the absolute path (see bytes.ts).
 */
import { parseBpipe, type BpipeSpec } from '@burrow/common/config/director/bpipe';
import { BurrowError } from '@burrow/common/errors/index';
import { burrow } from '@burrow/common/proto/generated';
import { isSameOrBelow, stripTrailingSlashes, toMatchString } from './bytes.js';
import { DEFAULT_FILE_OPTIONS, parseSettings, type BlockSettings, type FileOptions } from './options.js';
import { compileExcludeWildcard, compileRegex, compileWildcard, hasWildcard } from './pattern.js';

interface CompiledPattern {
  readonly re: RegExp;
  readonly dirs: boolean;
  readonly files: boolean;
}

interface CompiledBlock {
  readonly patterns: readonly CompiledPattern[];
  readonly settings: BlockSettings;
}

/** One Include { } block, compiled. */
export interface IncludeSelector {
  /** The top-level File entries, absolute, without trailing slashes. */
  readonly roots: readonly Buffer[];
  /** `|command` and `<file` entries, expanded into more roots on the client (lists.ts). */
  readonly lists: readonly Buffer[];
  /** Command output to save (`Plugin = "bpipe:..."`). */
  readonly plugins: readonly BpipeSpec[];
  /** Where this include is, for messages: `FileSet "x" Include #1`. */
  readonly where: string;
  /** File names whose presence makes a directory be skipped with its contents. */
  readonly excludeDirContaining: readonly Buffer[];
  /** The options for `path`, or null when it is excluded (a directory: its subtree too). */
  select(path: Buffer, isDirectory: boolean): FileOptions | null;
}

export interface CompiledFileSet {
  readonly name: string;
  readonly includes: readonly IncludeSelector[];
}

const DIR_ONLY = new Set([burrow.PatternKind.PATTERN_WILD_DIR, burrow.PatternKind.PATTERN_REGEX_DIR]);
const FILE_ONLY = new Set([burrow.PatternKind.PATTERN_WILD_FILE, burrow.PatternKind.PATTERN_REGEX_FILE]);
const REGEX = new Set([
  burrow.PatternKind.PATTERN_REGEX,
  burrow.PatternKind.PATTERN_REGEX_DIR,
  burrow.PatternKind.PATTERN_REGEX_FILE,
]);

function compilePattern(p: burrow.Pattern, ignoreCase: boolean): CompiledPattern {
  const { kind } = p;
  if (burrow.PatternKind[kind] === undefined) {
    throw new BurrowError('CONFIG_INVALID', `unknown pattern kind ${kind}`);
  }
  const re = REGEX.has(kind) ? compileRegex(p.pattern, ignoreCase) : compileWildcard(p.pattern, ignoreCase);
  return { re, dirs: !FILE_ONLY.has(kind), files: !DIR_ONLY.has(kind) };
}

function compileBlock(o: burrow.FileSetOptions, where: string): CompiledBlock {
  const settings = parseSettings(o.settings, where);
  const patterns = o.patterns.map((p) => compilePattern(p, settings.ignoreCase));
  return { patterns, settings };
}

function checkedPath(raw: Uint8Array, what: string): Buffer {
  const path = stripTrailingSlashes(Buffer.from(raw));
  if (path.length === 0 || path[0] !== 0x2f || path.includes(0)) {
    throw new BurrowError('CONFIG_INVALID', `${what} must be an absolute path without NUL bytes`);
  }
  return path;
}

/** Exclude { File = } entries: plain paths compare as prefixes, wildcards via fnmatch. */
function compileExcludes(entries: readonly Uint8Array[]): (path: Buffer, m: () => string) => boolean {
  const plain: Buffer[] = [];
  const wild: RegExp[] = [];
  for (const e of entries) {
    const entry = stripTrailingSlashes(Buffer.from(e));
    if (entry.length === 0) continue;
    if (hasWildcard(entry)) wild.push(compileExcludeWildcard(entry));
    else plain.push(entry);
  }
  return (path, m) => plain.some((p) => isSameOrBelow(path, p)) || (wild.length > 0 && wild.some((re) => re.test(m())));
}

function makeSelector(blocks: readonly CompiledBlock[], excluded: ReturnType<typeof compileExcludes>) {
  // Pattern-less blocks merge, in order, into the defaults. `exclude` is not inherited
  // by pattern blocks: a pattern match decides with its own block's exclude only.
  let defaults: FileOptions = DEFAULT_FILE_OPTIONS;
  for (const b of blocks) {
    if (b.patterns.length === 0) defaults = { ...defaults, ...b.settings.overrides };
  }
  const frozenDefaults = Object.freeze(defaults);
  const patterned = blocks.filter((b) => b.patterns.length > 0);
  return (path: Buffer, isDirectory: boolean): FileOptions | null => {
    let cached: string | undefined;
    const m = (): string => (cached ??= toMatchString(path));
    if (excluded(path, m)) return null;
    for (const block of patterned) {
      const hit = block.patterns.some((p) => (isDirectory ? p.dirs : p.files) && p.re.test(m()));
      if (!hit) continue;
      const own = block.settings.overrides;
      if (own.exclude === true) return null;
      return Object.freeze({ ...frozenDefaults, ...own, exclude: false });
    }
    return frozenDefaults.exclude ? null : frozenDefaults;
  };
}

/**
 * Compiles and validates a FileSet as the FD received it (a test hand-writes one with
 * `asReceived`); throws BurrowError('CONFIG_INVALID') naming the problem.
 */
export function compileFileSet(spec: burrow.FileSetSpec): CompiledFileSet {
  const { name } = spec;
  const excluded = compileExcludes(spec.excludeFiles);
  const includes = spec.includes.map((inc, i): IncludeSelector => {
    const where = `FileSet "${name}" Include #${i + 1}`;
    const blocks = inc.options.map((o, j) => compileBlock(o, `${where} Options #${j + 1}`));
    const files = inc.files.map((f) => Buffer.from(f));
    const isList = (f: Buffer): boolean => f[0] === 0x7c || f[0] === 0x3c; // | <
    const roots = files.filter((f) => !isList(f)).map((f) => checkedPath(f, `${where} File`));
    const lists = files.filter(isList);
    const plugins = inc.plugins.map((text) => {
      const spec = parseBpipe(text);
      if (typeof spec === 'string') throw new BurrowError('CONFIG_INVALID', `${where} Plugin: ${spec}`);
      return spec;
    });
    const excludeDirContaining = inc.excludeDirContaining.map((n) => {
      if (n === '' || n.includes('/') || n.includes('\0')) {
        throw new BurrowError('CONFIG_INVALID', `${where} Exclude Dir Containing must be a plain file name, got "${n}"`);
      }
      return Buffer.from(n, 'utf8');
    });
    const select = makeSelector(blocks, excluded);
    return Object.freeze({ roots, lists, plugins, where, excludeDirContaining, select });
  });
  return Object.freeze({ name, includes });
}
