/**
 * Volume names become file names under the Archive Device, so they must not be able to
 * reach anywhere else: no `/`, no `.` or `..`, no NUL or other control bytes, not empty,
 * and short enough for one directory entry (255 bytes on Linux file systems).
 */
import { BurrowError } from '@burrow/common/errors/index';

const MAX_NAME_BYTES = 255;

export function checkVolumeName(name: string): void {
  const problem = volumeNameProblem(name);
  if (problem !== undefined) {
    throw new BurrowError('HOSTILE_PATH', `invalid volume name ${JSON.stringify(name)}: ${problem}`);
  }
}

export function volumeNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'empty';
  if (name === '.' || name === '..') return 'not a file name';
  if (name.includes('/')) return 'contains "/"';
  // C0 controls (NUL among them) and DEL would make listings and logs ambiguous.
  if (/[\u0000-\u001f\u007f]/u.test(name)) return 'contains a control character';
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) return `longer than ${MAX_NAME_BYTES} bytes`;
  return undefined;
}
