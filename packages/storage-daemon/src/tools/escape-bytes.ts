/**
 * Shows a file name (raw bytes) on a terminal without letting it forge output: valid
 * UTF-8 stays readable, control characters, backslash and bytes that are not UTF-8
 * become escapes (`\n`, `\\`, `\xNN`), so every name prints on one unambiguous line.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function escapeBytes(bytes: Uint8Array): string {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return Array.from(bytes, escapeByte).join('');
  }
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) out += escapeControl(cp);
    else out += ch;
  }
  return out;
}

function escapeByte(b: number): string {
  if (b === 0x5c) return '\\\\';
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return escapeControl(b);
}

function escapeControl(cp: number): string {
  if (cp === 0x0a) return '\\n';
  if (cp === 0x09) return '\\t';
  if (cp === 0x0d) return '\\r';
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
}
