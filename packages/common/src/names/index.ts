/**
 * File names are bytes (Linux does not promise UTF-8). Wherever a name is shown to a
 * person — job logs, listings, bconsole — it goes through `displayPath`, which is
 * unambiguous: clean UTF-8 stays readable; a backslash becomes `\\`; control bytes
 * and bytes that are not valid UTF-8 become `\xNN`. `parseDisplayPath` reverses it,
 * so a name shown can be typed back to select that exact file.
 */
import { BurrowError } from '../errors/index.js';

export function displayPath(path: Uint8Array): string {
  const buf = Buffer.from(path.buffer, path.byteOffset, path.byteLength);
  const text = buf.toString('utf8');
  const clean = Buffer.from(text, 'utf8').equals(buf);
  let out = '';
  for (const ch of clean ? text : buf.toString('latin1')) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (code < 0x20 || code === 0x7f || (!clean && code >= 0x80)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

export function parseDisplayPath(text: string): Buffer {
  const parts: Buffer[] = [];
  let plain = '';
  const flush = (): void => {
    if (plain) parts.push(Buffer.from(plain, 'utf8'));
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      plain += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '\\') {
      plain += '\\';
      i++;
    } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      flush();
      parts.push(Buffer.from([Number.parseInt(text.slice(i + 2, i + 4), 16)]));
      i += 3;
    } else {
      throw new BurrowError('BAD_REQUEST', `bad escape in file name at "${text.slice(i, i + 4)}": use \\\\ or \\xNN`);
    }
  }
  flush();
  return Buffer.concat(parts);
}
