/**
 * How a file's path is split between the Path and File tables, as Bareos does: the
 * directory part keeps its trailing slash ("/etc/"), the name is the last component
 * ("passwd"). All bytes, no decoding. Joining the two gives back the exact path.
 */
const SLASH = 0x2f;

export interface SplitPath { dir: Buffer; name: Buffer }

export function splitPath(path: Buffer): SplitPath {
  const i = path.lastIndexOf(SLASH);
  return { dir: path.subarray(0, i + 1), name: path.subarray(i + 1) };
}

export function joinPath(dir: Buffer, name: Buffer): Buffer {
  return Buffer.concat([dir, name]);
}

/**
 * The bounds of every byte string that starts with `prefix`: [prefix, upper). SQLite
 * compares BLOBs with memcmp, so `x >= prefix AND x < upper` is an index range scan.
 * Undefined upper: no bound (the prefix is all 0xff bytes, or empty).
 */
export function prefixRange(prefix: Buffer): { lower: Buffer; upper: Buffer | undefined } {
  const upper = Buffer.from(prefix);
  for (let i = upper.length - 1; i >= 0; i--) {
    if (upper[i] !== 0xff) {
      upper[i] = (upper[i] ?? 0) + 1;
      return { lower: prefix, upper: upper.subarray(0, i + 1) };
    }
  }
  return { lower: prefix, upper: undefined };
}
