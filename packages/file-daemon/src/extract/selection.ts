/**
 * bextract's include and exclude lists (-i, -e): files of names, one a line, read as
 * bytes. As Bareos's bextract matches them:
 * - an include line selects the path it names and everything below it; with
 *   wildcards (`*`, `?`, `[`) it is an fnmatch pattern that selects what it matches
 *   and everything below a matching directory;
 * - an exclude line leaves out what it matches as an include line would, and, when
 *   it holds no `/`, any entry whose last name it matches (`*.o`, `cache`).
 * No include list selects everything.
 */
import { compileExcludeWildcard, hasWildcard } from '../fileset/pattern.js';
import { isSameOrBelow, stripTrailingSlashes, toMatchString } from '../fileset/bytes.js';

/** Whether a file (its path as saved) is restored. */
export type NameSelection = (path: Buffer) => boolean;

/** The non-empty lines of a list file, as bytes. */
export function listLines(text: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text[i] !== 0x0a) continue;
    if (i > start) lines.push(text.subarray(start, i));
    start = i + 1;
  }
  return lines;
}

type Matcher = (path: Buffer) => boolean;

/** The path itself or a directory above it: a plain name by its bytes, a pattern as fnmatch(FNM_LEADING_DIR). */
function pathOrAbove(entry: Buffer): Matcher {
  if (!hasWildcard(entry)) {
    const prefix = stripTrailingSlashes(entry);
    return (path) => isSameOrBelow(path, prefix);
  }
  const re = compileExcludeWildcard(entry);
  return (path) => re.test(toMatchString(path));
}

/** The last name of the path, for an exclude line without `/`. */
function lastName(entry: Buffer): Matcher {
  const re = compileExcludeWildcard(entry);
  return (path) => re.test(toMatchString(path.subarray(path.lastIndexOf(0x2f) + 1)));
}

export function nameSelection(lists: { include?: readonly Buffer[]; exclude?: readonly Buffer[] }): NameSelection {
  const include = lists.include?.map(pathOrAbove);
  const exclude = (lists.exclude ?? []).map((e) => (e.includes(0x2f) ? pathOrAbove(e) : lastName(e)));
  return (path) => (include === undefined || include.some((m) => m(path))) && !exclude.some((m) => m(path));
}
