/**
 * Expands `@/etc/burrow/*.conf`-style include patterns. Node 20 has no fs.glob, and the
 * patterns are simple: `*`, `?` and `[...]` within one path segment, no `**`.
 * Results are sorted so resources load in a stable order.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i += 1) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) { re += '\\['; continue; }
      let body = segment.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += '[' + body.replace(/\\/g, '\\\\') + ']';
      i = close;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function isDirectory(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}

/** Matches an absolute pattern against the file system; returns existing files only. */
export function expandGlob(absolutePattern: string): string[] {
  const segments = absolutePattern.split('/').filter((s) => s !== '');
  let current = ['/'];
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    const next: string[] = [];
    for (const dir of current) {
      if (!hasWildcard(segment)) { next.push(join(dir, segment)); continue; }
      if (!isDirectory(dir)) continue;
      const re = segmentRegExp(segment);
      for (const entry of readdirSync(dir).sort()) {
        // As in a shell, a leading dot must be matched explicitly.
        if (entry.startsWith('.') && !segment.startsWith('.')) continue;
        if (re.test(entry)) next.push(join(dir, entry));
      }
    }
    current = last ? next : next.filter(isDirectory);
  });
  return current.filter((p) => { try { return statSync(p).isFile(); } catch { return false; } });
}
