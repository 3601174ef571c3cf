/**
 * The FileSet resource, shaped like burrow.FileSetSpec so the Director can send it to
 * the File daemon as is. `Include { File = ...; Options { ... }; Exclude Dir Containing = ... }`
 * and `Exclude { File = ... }`. Option values are checked and normalized (booleans
 * become `yes`/`no`, signatures and compressions upper case); patterns keep their order.
 */
import { z } from 'zod';
import type { BlockNode, DirectiveNode } from '../syntax/ast.js';
import { bool, NOT_YET, one, name, text } from '../schema/fields.js';
import { defineResource, type BlockContext } from '../schema/resource.js';
import { tryBoolean } from '../units.js';
import { parseBpipe } from './bpipe.js';

export type PatternKind = 'wild' | 'wilddir' | 'wildfile' | 'regex' | 'regexdir' | 'regexfile';
export interface FileSetPattern { kind: PatternKind; pattern: string }
export interface FileSetOptions {
  /** Normalized directive name (lower case, no spaces) -> value, e.g. `signature` -> `SHA256`. */
  settings: Record<string, string>;
  patterns: FileSetPattern[];
}
export interface FileSetInclude {
  /** As written; `\|command` and `<file` entries are kept for the File daemon to expand. */
  files: string[];
  options: FileSetOptions[];
  excludeDirContaining: string[];
  /** `Plugin = "bpipe:file=...:reader=...:writer=..."` entries, checked, as written. */
  plugins: string[];
}

const PATTERN_KINDS = new Set<string>(['wild', 'wilddir', 'wildfile', 'regex', 'regexdir', 'regexfile']);
const BOOLEAN_OPTIONS = new Set([
  'onefs', 'exclude', 'sparse', 'aclsupport', 'xattrsupport', 'hardlinks', 'noatime', 'keepatime', 'readfifo',
  'mtimeonly', 'ignorecase', 'recurse', 'portable', 'checkchanges', 'honornodumpflag',
]);
/** Options that may be given more than once; their values are joined with commas. */
const LIST_OPTIONS = new Set(['fstype', 'drivetype']);
const FREE_OPTIONS = new Set(['accurate', 'verify', 'basejob', 'size']);
const SIGNATURES = ['MD5', 'SHA1', 'SHA256', 'SHA512'];
const COMPRESSIONS_DONE = ['GZIP', ...Array.from({ length: 9 }, (_, i) => `GZIP${i + 1}`), 'LZ4', 'ZSTD'];
const COMPRESSIONS_LATER = ['LZO', 'LZ4HC', 'LZFAST'];
/** Bareos options Burrow ignores with a warning. */
const IGNORED_OPTIONS = new Set([
  'enhancedwild', 'stripath', 'strippath', 'autoexclude', 'hfsplussupport', 'shadowing', 'meta', 'encryption',
  'plugin', 'xxh128',
]);

interface Ctx extends BlockContext { readonly at: DirectiveNode | BlockNode }

function problem(ctx: BlockContext, at: DirectiveNode | BlockNode, message: string, warn = false): void {
  const p = { file: at.file, line: at.line, resource: ctx.resource, directive: at.name, message };
  if (warn) ctx.problems.warn(p); else ctx.problems.error(p);
}

function values(d: DirectiveNode, ctx: BlockContext): string[] {
  if (d.parts.length !== 1) { problem(ctx, d, 'unexpected "=" in the value'); return []; }
  return d.parts[0]!.map((v) => v.text);
}

/** Returns the normalized value, or undefined (after reporting) to leave the option out. */
function optionValue(key: string, value: string, ctx: Ctx): string | undefined {
  const upper = value.trim().toUpperCase();
  if (BOOLEAN_OPTIONS.has(key)) {
    const b = tryBoolean(value);
    if (b === undefined) { problem(ctx, ctx.at, `"${value}" is not yes or no`); return undefined; }
    return b ? 'yes' : 'no';
  }
  if (key === 'drivetype') {
    // Bareos matches Windows drive types (fixed, removable, cdrom...); Linux has none.
    problem(ctx, ctx.at, 'DriveType applies to Windows clients only; ignored on Linux', true);
    return undefined;
  }
  if (key === 'signature') {
    if (SIGNATURES.includes(upper)) return upper;
    if (upper === 'XXH128') { problem(ctx, ctx.at, 'XXH128 signatures are not implemented by Burrow; ignored', true); return undefined; }
    problem(ctx, ctx.at, `"${value}" is not one of ${SIGNATURES.join(', ')}`);
    return undefined;
  }
  if (key === 'compression') {
    if (COMPRESSIONS_DONE.includes(upper)) return upper;
    if (COMPRESSIONS_LATER.includes(upper)) { problem(ctx, ctx.at, `${upper} compression is not implemented by Burrow yet; files are stored uncompressed`, true); return undefined; }
    problem(ctx, ctx.at, `"${value}" is not one of ${[...COMPRESSIONS_DONE, ...COMPRESSIONS_LATER].join(', ')}`);
    return undefined;
  }
  return value;
}

function patternOk(kind: string, pattern: string, ctx: Ctx): boolean {
  if (!kind.startsWith('regex')) return true;
  try { new RegExp(pattern); return true; } catch (err) {
    problem(ctx, ctx.at, `invalid regular expression "${pattern}": ${(err as Error).message}`);
    return false;
  }
}

function buildOptions(node: BlockNode, parent: BlockContext): FileSetOptions {
  const out: FileSetOptions = { settings: {}, patterns: [] };
  for (const item of node.body) {
    if (item.kind === 'block') { problem(parent, item, 'unexpected block inside Options'); continue; }
    const ctx: Ctx = { ...parent, at: item };
    const key = item.key;
    const vals = values(item, parent);
    if (PATTERN_KINDS.has(key)) {
      for (const v of vals) if (patternOk(key, v, ctx)) out.patterns.push({ kind: key as PatternKind, pattern: v });
      continue;
    }
    if (IGNORED_OPTIONS.has(key)) { problem(parent, item, 'not implemented by Burrow; ignored', true); continue; }
    const known = BOOLEAN_OPTIONS.has(key) || LIST_OPTIONS.has(key) || FREE_OPTIONS.has(key) || key === 'signature' || key === 'compression';
    if (!known) { problem(parent, item, 'unknown directive in an Options block'); continue; }
    const accepted = vals.map((v) => optionValue(key, v, ctx)).filter((v): v is string => v !== undefined);
    if (accepted.length === 0) continue;
    const previous = out.settings[key];
    if (previous !== undefined && !LIST_OPTIONS.has(key)) { problem(parent, item, 'set more than once in this Options block'); continue; }
    if (!LIST_OPTIONS.has(key) && accepted.length > 1) { problem(parent, item, 'takes a single value'); continue; }
    out.settings[key] = [previous, ...accepted].filter((v) => v !== undefined).join(',');
  }
  return out;
}

function buildInclude(node: BlockNode, ctx: BlockContext): FileSetInclude {
  const out: FileSetInclude = { files: [], options: [], excludeDirContaining: [], plugins: [] };
  for (const item of node.body) {
    if (item.kind === 'block') {
      if (item.key === 'options') out.options.push(buildOptions(item, ctx));
      else problem(ctx, item, 'unknown block in Include (expected Options)');
      continue;
    }
    if (item.key === 'file') out.files.push(...values(item, ctx));
    else if (item.key === 'excludedircontaining') out.excludeDirContaining.push(...values(item, ctx));
    else if (item.key === 'plugin') {
      for (const v of values(item, ctx)) {
        const spec = parseBpipe(v);
        if (typeof spec === 'string') problem(ctx, item, spec);
        else out.plugins.push(v);
      }
    }
    else problem(ctx, item, 'unknown directive in an Include block');
  }
  return out;
}

function buildExclude(node: BlockNode, ctx: BlockContext): string[] {
  const files: string[] = [];
  for (const item of node.body) {
    if (item.kind === 'directive' && item.key === 'file') files.push(...values(item, ctx));
    else problem(ctx, item, 'unknown directive in an Exclude block (expected File)');
  }
  return files;
}

export const fileSetSpec = defineResource({
  type: 'FileSet',
  fields: {
    name: one(name()),
    description: one(text().optional()),
    ignoreFileSetChanges: one(bool().default(false)),
    enableVss: one(bool().optional(), NOT_YET),
    includes: { zod: z.array(z.custom<FileSetInclude>()).default([]), arity: 'custom' as const },
    excludeFiles: { zod: z.array(z.string()).default([]), arity: 'custom' as const },
  },
  blocks: {
    include: { prop: 'includes', build: buildInclude },
    exclude: { prop: 'excludeFiles', build: buildExclude, spread: true },
  },
});
