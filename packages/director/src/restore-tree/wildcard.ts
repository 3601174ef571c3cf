/**
 * Shell wildcards for names in the restore tree (`mark *.conf`, `find core.[0-9]*`):
 * `*` any run of bytes, `?` one byte, `[...]` a class (`[!...]` negated), `\` quotes.
 * Names are bytes, so the pattern's bytes and a name's bytes are matched as latin1
 * strings, one character per byte.
 */
export function hasWildcard(pattern: Buffer): boolean {
  return /[*?[]/.test(pattern.toString('latin1'));
}

export function wildcard(pattern: Buffer): RegExp {
  const p = pattern.toString('latin1');
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '*') re += '[^]*';
    else if (c === '?') re += '[^]';
    else if (c === '\\' && i + 1 < p.length) re += escape(p[++i] as string);
    else if (c === '[') {
      const close = p.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = p.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      re += `[${negated ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`, 's');
}

function escape(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

export function matches(re: RegExp, name: Buffer): boolean {
  return re.test(name.toString('latin1'));
}
