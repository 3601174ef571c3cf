/**
 * The FileSet resource, shaped like burrow.FileSetSpec so the Director can send it to
 * the File daemon as is. `Include { File = ...; Options { ... }; Exclude Dir Containing = ... }`
 * and `Exclude { File = ... }`. Options directives are judged by the table shared with
 * the File daemon (fileset/options.ts); patterns keep their order.
 */
import { z } from 'zod';
import type { BlockNode, DirectiveNode } from '../syntax/ast.js';
import { bool, description, name, NOT_YET, one, text } from '../schema/fields.js';
import { defineResource, type BlockContext } from '../schema/resource.js';
import {
  PATTERN_OPTIONS, SUGGESTIONS, UNAVAILABLE_OPTIONS, VALUE_OPTIONS, type OptionValues, type PatternKind, type ValueKey,
} from '../../fileset/options.js';
import type { ValueKind } from '../../fileset/values.js';
import { parseBpipe } from './bpipe.js';

export type { PatternKind } from '../../fileset/options.js';
export interface FileSetPattern { kind: PatternKind; pattern: string }
export interface FileSetOptions {
  /** The block's settings, typed by the shared table (fileset/options.ts); only what it says. */
  values: OptionValues;
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

interface Ctx extends BlockContext { readonly at: DirectiveNode | BlockNode }

function problem(ctx: BlockContext, at: DirectiveNode | BlockNode, message: string, warn = false): void {
  const p = { file: at.file, line: at.line, resource: ctx.resource, directive: at.name, message };
  if (warn) ctx.problems.warn(p); else ctx.problems.error(p);
}

function values(d: DirectiveNode, ctx: BlockContext): string[] {
  if (d.parts.length !== 1) { problem(ctx, d, 'unexpected "=" in the value'); return []; }
  return d.parts[0]!.map((v) => v.text);
}

function patternOk(kind: string, pattern: string, ctx: Ctx): boolean {
  if (!kind.startsWith('regex')) return true;
  try { new RegExp(pattern); return true; } catch (err) {
    problem(ctx, ctx.at, `invalid regular expression "${pattern}": ${(err as Error).message}`);
    return false;
  }
}

/** One value option's directive: parsed by the table; a second one adds up or is an error. */
function valueOption(key: ValueKey, texts: readonly string[], out: FileSetOptions, ctx: Ctx): void {
  const option = VALUE_OPTIONS[key] as { value: ValueKind<unknown>; merge?: (a: unknown, b: unknown) => unknown };
  const all = out.values as Record<string, unknown>;
  if (texts.length > 1 && option.merge === undefined) { problem(ctx, ctx.at, 'takes a single value'); return; }
  for (const text of texts) {
    const parsed = option.value.parse(text);
    if (!parsed.ok) { problem(ctx, ctx.at, parsed.error); continue; }
    if (parsed.warning !== undefined) problem(ctx, ctx.at, parsed.warning, true);
    const previous = all[key];
    if (previous === undefined) all[key] = parsed.value;
    else if (option.merge !== undefined) all[key] = option.merge(previous, parsed.value);
    else problem(ctx, ctx.at, 'set more than once in this Options block');
  }
}

function buildOptions(node: BlockNode, parent: BlockContext): FileSetOptions {
  const out: FileSetOptions = { values: {}, patterns: [] };
  for (const item of node.body) {
    if (item.kind === 'block') { problem(parent, item, 'unexpected block inside Options'); continue; }
    const ctx: Ctx = { ...parent, at: item };
    const key = item.key;
    const texts = values(item, parent);
    if (Object.hasOwn(PATTERN_OPTIONS, key)) {
      for (const v of texts) if (patternOk(key, v, ctx)) out.patterns.push({ kind: key as PatternKind, pattern: v });
    } else if (Object.hasOwn(VALUE_OPTIONS, key)) {
      valueOption(key as ValueKey, texts, out, ctx);
    } else if (Object.hasOwn(UNAVAILABLE_OPTIONS, key)) {
      for (const text of texts) {
        const judgement = UNAVAILABLE_OPTIONS[key]!.judge(text);
        if (judgement !== null) problem(parent, item, judgement.message, judgement.severity === 'warning');
      }
    } else {
      const meant = SUGGESTIONS[key];
      problem(parent, item, `unknown directive in an Options block${meant === undefined ? '' : ` (did you mean ${meant}?)`}`);
    }
  }
  return out;
}

/**
 * Accurate letters 5 and 1 compare contents by the file's Signature (Bareos); an
 * Options block with them and no Signature of its own or of the defaults compares none.
 */
function warnContentsWithoutSignature(blocks: ReadonlyArray<{ node: BlockNode; options: FileSetOptions }>, ctx: BlockContext): void {
  const defaults = blocks.some((b) => b.options.patterns.length === 0 && b.options.values.signature !== undefined);
  for (const { node, options } of blocks) {
    if (!/[15]/.test(options.values.accurate ?? '') || options.values.signature !== undefined || defaults) continue;
    const at = node.body.find((i) => i.key === 'accurate') ?? node;
    problem(ctx, at, 'the letters 5 and 1 compare contents by the Signature, and no Signature applies here: contents are not compared', true);
  }
}

function buildInclude(node: BlockNode, ctx: BlockContext): FileSetInclude {
  const out: FileSetInclude = { files: [], options: [], excludeDirContaining: [], plugins: [] };
  const blocks: { node: BlockNode; options: FileSetOptions }[] = [];
  for (const item of node.body) {
    if (item.kind === 'block') {
      if (item.key === 'options') {
        const options = buildOptions(item, ctx);
        out.options.push(options);
        blocks.push({ node: item, options });
      } else problem(ctx, item, 'unknown block in Include (expected Options)');
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
  warnContentsWithoutSignature(blocks, ctx);
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
    description: description(),
    ignoreFileSetChanges: one(bool().default(false), NOT_YET),
    enableVss: one(bool().optional(), NOT_YET),
    includes: { zod: z.array(z.custom<FileSetInclude>()).default([]), arity: 'custom' as const },
    excludeFiles: { zod: z.array(z.string()).default([]), arity: 'custom' as const },
  },
  blocks: {
    include: { prop: 'includes', build: buildInclude },
    exclude: { prop: 'excludeFiles', build: buildExclude, spread: true },
  },
});
