/**
 * Reads a configuration from disk into resource nodes. A configuration path is
 * either a file, or a directory in Bareos's layout: `<dir>/<daemon>.conf` if present,
 * else `<dir>/<daemon>.d/<resourcetype>/*.conf`, else `<dir>` itself taken as the
 * `.d` directory. `@` includes are resolved relative to the including file, may be
 * globs (a glob that matches nothing is skipped, as in Bareos; a plain path that does
 * not exist is an error), and may not include themselves.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { BurrowError } from '../../errors/index.js';
import type { BlockNode } from './ast.js';
import { expandGlob, hasWildcard } from './glob.js';
import { tokenize, type Token } from './lexer.js';
import { parseTokens } from './parser.js';

const MAX_INCLUDE_DEPTH = 32;

function includeError(at: { file: string; line: number } | undefined, message: string, cause?: unknown): BurrowError {
  const where = at ? `${at.file}:${at.line}: ` : '';
  return new BurrowError('CONFIG_INCLUDE', `${where}${message}`, { cause });
}

function tokenizeFile(path: string, stack: readonly string[], at?: { file: string; line: number }): Token[] {
  let real: string;
  let text: string;
  try {
    real = realpathSync(path);
    text = readFileSync(real, 'utf8');
  } catch (err) {
    throw includeError(at, `cannot read configuration file ${path}: ${(err as Error).message}`, err);
  }
  if (stack.includes(real)) throw includeError(at, `${path} includes itself`);
  if (stack.length >= MAX_INCLUDE_DEPTH) throw includeError(at, `includes nested deeper than ${MAX_INCLUDE_DEPTH}`);
  const inner = [...stack, real];
  return tokenize(text, path, (spec, where) => {
    const target = isAbsolute(spec) ? spec : resolve(dirname(path), spec);
    if (!hasWildcard(target)) return tokenizeFile(target, inner, where);
    return expandGlob(target).flatMap((file) => tokenizeFile(file, inner, where));
  });
}

/** Parses one configuration file (and whatever it includes). */
export function parseConfigFile(path: string): BlockNode[] {
  return parseTokens(tokenizeFile(resolve(path), []));
}

function isDir(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}

function isFile(path: string): boolean {
  try { return statSync(path).isFile(); } catch { return false; }
}

/** Reads `<dotD>/<resourcetype>/*.conf`, directories and files in name order. */
function parseResourceDirectory(dotD: string): BlockNode[] {
  const nodes: BlockNode[] = [];
  for (const sub of readdirSync(dotD).sort()) {
    const dir = join(dotD, sub);
    if (!isDir(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      const path = join(dir, file);
      if (file.endsWith('.conf') && isFile(path)) nodes.push(...parseConfigFile(path));
    }
  }
  return nodes;
}

/**
 * Parses a daemon's configuration given as a file or directory; `daemonName` is e.g.
 * `burrow-dir`, naming `burrow-dir.conf` and `burrow-dir.d`.
 */
export function readConfigNodes(path: string, daemonName: string): BlockNode[] {
  const full = resolve(path);
  if (!isDir(full)) return parseConfigFile(full);
  const main = join(full, `${daemonName}.conf`);
  if (isFile(main)) return parseConfigFile(main);
  const dotD = join(full, `${daemonName}.d`);
  return parseResourceDirectory(isDir(dotD) ? dotD : full);
}
