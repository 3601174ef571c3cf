/**
 * Builds the node tree from tokens: a file is a list of resources
 * (`Type { ... }`); a body holds directives (`Name = value, value`) and nested
 * blocks (`Include { ... }`). A `}` also ends the directive before it, so
 * `Options { Signature = MD5 }` needs no `;`.
 */
import { BurrowError } from '../../errors/index.js';
import { normalizeName } from '../names.js';
import type { BlockNode, DirectiveNode, ItemNode, Value } from './ast.js';
import type { Token } from './lexer.js';

interface State { readonly tokens: readonly Token[]; pos: number }

function fail(t: Token | undefined, fallback: { file: string; line: number }, message: string): never {
  const at = t ?? fallback;
  throw new BurrowError('CONFIG_SYNTAX', `${at.file}:${at.line}: ${message}`);
}

function describe(t: Token | undefined): string {
  if (!t) return 'end of file';
  if (t.kind === 'eos') return t.text === ';' ? '";"' : 'end of line';
  if (t.kind === 'string') return `"${t.text}"`;
  return `"${t.text}"`;
}

function rawText(first: Token, last: Token): string {
  if (first.source === last.source && first.file === last.file) return first.source.slice(first.start, last.end).trim();
  return first.source.slice(first.start, first.end);
}

function parseValues(st: State, name: Token): { parts: Value[][]; raw: string } {
  const parts: Value[][] = [[]];
  let first: Token | undefined;
  let last: Token | undefined;
  let expectValue = true;
  for (;;) {
    const t = st.tokens[st.pos];
    if (!t || t.kind === 'eos' || t.kind === '}') {
      if (expectValue) fail(t, name, `missing value after "${name.text} ="`);
      break;
    }
    if (expectValue) {
      if (t.kind !== 'word' && t.kind !== 'string') fail(t, name, `expected a value for "${name.text}", found ${describe(t)}`);
      parts[parts.length - 1]!.push({ text: t.text, quoted: t.kind === 'string' });
      first ??= t;
      last = t;
      expectValue = false;
    } else if (t.kind === ',') {
      expectValue = true;
    } else if (t.kind === '=') {
      parts.push([]);
      expectValue = true;
    } else {
      fail(t, name, `expected "," or end of line after the value of "${name.text}", found ${describe(t)}`);
    }
    last = t.kind === 'word' || t.kind === 'string' ? t : last;
    st.pos += 1;
  }
  return { parts, raw: first && last ? rawText(first, last) : '' };
}

function parseBody(st: State, open: Token | undefined): ItemNode[] {
  const items: ItemNode[] = [];
  for (;;) {
    const t = st.tokens[st.pos];
    if (!t) {
      if (open) fail(open, open, `"{" opened here is never closed`);
      return items;
    }
    if (t.kind === 'eos') { st.pos += 1; continue; }
    if (t.kind === '}') {
      if (!open) fail(t, t, 'unexpected "}"');
      st.pos += 1;
      return items;
    }
    if (t.kind !== 'word') fail(t, t, `expected a directive or resource name, found ${describe(t)}`);
    const next = st.tokens[st.pos + 1];
    if (next?.kind === '{') {
      st.pos += 2;
      const body = parseBody(st, next);
      items.push(block(t, body));
    } else if (next?.kind === '=') {
      st.pos += 2;
      if (st.tokens[st.pos]?.kind === '{') {
        // Bacula also accepted `Include = { ... }`.
        const openBrace = st.tokens[st.pos]!;
        st.pos += 1;
        items.push(block(t, parseBody(st, openBrace)));
        continue;
      }
      const { parts, raw } = parseValues(st, t);
      const node: DirectiveNode = { kind: 'directive', name: t.text, key: normalizeName(t.text), parts, raw, file: t.file, line: t.line };
      items.push(node);
    } else {
      fail(next, t, `expected "=" or "{" after "${t.text}", found ${describe(next)}`);
    }
  }
}

function block(name: Token, body: ItemNode[]): BlockNode {
  return { kind: 'block', name: name.text, key: normalizeName(name.text), body, file: name.file, line: name.line };
}

/** Parses a whole configuration's tokens into its resources. */
export function parseTokens(tokens: readonly Token[]): BlockNode[] {
  const st: State = { tokens, pos: 0 };
  const items = parseBody(st, undefined);
  const resources: BlockNode[] = [];
  for (const item of items) {
    if (item.kind !== 'block') {
      throw new BurrowError('CONFIG_SYNTAX', `${item.file}:${item.line}: directive "${item.name}" outside a resource`);
    }
    resources.push(item);
  }
  return resources;
}
