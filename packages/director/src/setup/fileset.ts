/**
 * A FileSet resource as the File daemon receives it (burrow.FileSetSpec), and its
 * identity: a digest of what it selects (include/exclude lists and patterns), so
 * changing the selection forces the next backup to be Full while changing options
 * such as compression does not (a lesson from Bareos).
 */
import { createHash } from 'node:crypto';
import { burrow } from '@burrow/common/proto/index';
import type { FileSetResource, PatternKind } from '@burrow/common/config/index';
import { encodeSettings } from '@burrow/common/fileset/options';

const KINDS: Record<PatternKind, burrow.PatternKind> = {
  wild: burrow.PatternKind.PATTERN_WILD,
  wilddir: burrow.PatternKind.PATTERN_WILD_DIR,
  wildfile: burrow.PatternKind.PATTERN_WILD_FILE,
  regex: burrow.PatternKind.PATTERN_REGEX,
  regexdir: burrow.PatternKind.PATTERN_REGEX_DIR,
  regexfile: burrow.PatternKind.PATTERN_REGEX_FILE,
};

/**
 * `File =` entries that are lists, not paths (Bareos): `|command` and `<file` are
 * expanded on the Director when the job starts (expandOnDirector), `\\|command` and
 * `\\<file` go to the File daemon (without the backslash), which expands them there.
 */
export function isListEntry(entry: string): boolean {
  return entry.startsWith('|') || entry.startsWith('<') || entry.startsWith('\\|') || entry.startsWith('\\<');
}

/** Client paths are absolute: a relative one would mean whatever the FD's cwd is. */
export function fileSetSpec(fs: FileSetResource, resolvePath: (p: string) => string = (p) => p): burrow.IFileSetSpec {
  return {
    name: fs.name,
    includes: fs.includes.map((inc) => ({
      files: inc.files.map((f) => Buffer.from(isListEntry(f) ? f : resolvePath(f), 'utf8')),
      options: inc.options.map((o) => ({
        settings: encodeSettings(o.values),
        patterns: o.patterns.map((p) => ({ kind: KINDS[p.kind], pattern: p.pattern })),
      })),
      excludeDirContaining: [...inc.excludeDirContaining],
      plugins: [...inc.plugins],
    })),
    excludeFiles: fs.excludeFiles.map((f) => Buffer.from(resolvePath(f), 'utf8')),
  };
}

export function fileSetDigest(spec: burrow.IFileSetSpec): string {
  const selection = {
    includes: (spec.includes ?? []).map((inc) => ({
      files: (inc.files ?? []).map((f) => Buffer.from(f).toString('base64')),
      patterns: (inc.options ?? []).map((o) => [o.patterns ?? [], o.settings?.exclude ?? '']),
      excludeDirContaining: inc.excludeDirContaining ?? [],
      // Only when present, so FileSets without plugins keep the identity they had.
      ...(inc.plugins?.length ? { plugins: inc.plugins } : {}),
    })),
    excludeFiles: (spec.excludeFiles ?? []).map((f) => Buffer.from(f).toString('base64')),
  };
  return createHash('sha256').update(JSON.stringify(selection)).digest('hex');
}
