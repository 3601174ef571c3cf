/**
 * What the walker and reader do with one file (FileOptions), and the settings of one
 * FileSet `Options { }` block parsed at the edge (STYLE habit 7) with the table the
 * Director checked them with (common fileset/options.ts): anything that table does
 * not list as an option the File daemon acts on, or a bad value, is rejected.
 */
import { BurrowError } from '@burrow/common/errors/index';
import {
  decodeSettings, SettingsError, type Compression, type OptionValues, type SignatureName, type SizeMatch, type ValueKey,
} from '@burrow/common/fileset/options';

export type DigestName = SignatureName;
export type { Compression };

/** What the walker and reader do with one file. */
export interface FileOptions {
  /** Digest sent after the file's data; null: none (Bareos default). */
  readonly signature: DigestName | null;
  /** Compression of each data chunk; null: uncompressed. */
  readonly compression: Compression | null;
  /** Stay on the file system of the include's top-level file (Bareos default yes). */
  readonly onefs: boolean;
  /** Descend into subdirectories (Bareos default yes). */
  readonly recurse: boolean;
  readonly exclude: boolean;
  /** Send only the data ranges of files with holes, and mark them sparse (Bareos default no). */
  readonly sparse: boolean;
  /** Save extended attributes (`xattrsupport`); on by default: an exact restore needs them. */
  readonly xattrs: boolean;
  /** Save POSIX access and default ACLs (`aclsupport`); on by default, as xattrs. */
  readonly acls: boolean;
  /** Incremental/Differential: judge change by mtime alone (`mtimeonly`), not mtime or ctime. */
  readonly mtimeOnly: boolean;
  /** Accurate mode: what makes a file "changed" (Bareos's letters; default mtime, ctime, size). */
  readonly accurate: string;
  /**
   * Verify jobs: what the Director compares (Bareos's `verify=` letters: i p n u g s a m
   * c d, 5 = MD5, 1 = SHA1). Empty by default, as Bareos's "V": only new and missing
   * files are reported; Bareos suggests pins5.
   */
  readonly verify: string;
  /** Save a FIFO's data (what a writer sends into it) as its content (`readfifo`). */
  readonly readFifo: boolean;
  /**
   * `noatime`: open files with O_NOATIME so reading does not change their atime.
   * Burrow's default is yes (a backup should not change what it saves); `noatime = no`
   * reads plainly, as Bareos does without the option.
   */
  readonly noAtime: boolean;
  /** `keepatime`: put each file's atime back after reading it (moves its ctime, as in Bareos). */
  readonly keepAtime: boolean;
  /** `hardlinks`: save further names of an inode as links (yes) or each with its own data (no). */
  readonly hardLinks: boolean;
  /** `fstype`: only save and descend into file systems of these types (as /proc/self/mountinfo names them); null: any. */
  readonly fsTypes: readonly string[] | null;
  /** `honornodumpflag`: leave out files and directories with the no-dump flag (chattr +d). */
  readonly honorNoDump: boolean;
  /**
   * `checkfilechanges`: after reading a file, report it when its mtime, ctime or size
   * moved meanwhile (Bareos's "changed during backup"); off by default, as in Bareos.
   */
  readonly checkFileChanges: boolean;
  /** `size`: only regular files of these sizes are saved; null: any size. */
  readonly size: SizeMatch | null;
}

export const DEFAULT_FILE_OPTIONS: FileOptions = Object.freeze({
  signature: null,
  compression: null,
  onefs: true,
  recurse: true,
  exclude: false,
  sparse: false,
  xattrs: true,
  acls: true,
  mtimeOnly: false,
  accurate: 'mcs',
  verify: '',
  readFifo: false,
  noAtime: true,
  keepAtime: false,
  hardLinks: true,
  fsTypes: null,
  honorNoDump: false,
  checkFileChanges: false,
  size: null,
});

/** Where each option of the shared table lands in FileOptions (ignorecase shapes the patterns instead). */
const FIELDS: { readonly [K in ValueKey]: K extends 'ignorecase' ? null : keyof FileOptions } = {
  signature: 'signature', compression: 'compression', onefs: 'onefs', recurse: 'recurse', exclude: 'exclude',
  sparse: 'sparse', aclsupport: 'acls', xattrsupport: 'xattrs', mtimeonly: 'mtimeOnly', accurate: 'accurate',
  verify: 'verify', ignorecase: null, readfifo: 'readFifo', noatime: 'noAtime', keepatime: 'keepAtime',
  hardlinks: 'hardLinks', honornodumpflag: 'honorNoDump', fstype: 'fsTypes', checkfilechanges: 'checkFileChanges',
  size: 'size',
};

/** One block's settings: only what the block says, to be layered over defaults. */
export interface BlockSettings {
  readonly overrides: Partial<FileOptions>;
  readonly ignoreCase: boolean;
}

/** Parses one Options block's settings with the table the Director used (common fileset/options.ts). */
export function parseSettings(settings: Readonly<Record<string, string>>, where: string): BlockSettings {
  let values: OptionValues;
  try {
    values = decodeSettings(settings);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    throw new BurrowError('CONFIG_INVALID', `${where}: ${err.message}`);
  }
  const overrides: Record<string, unknown> = {};
  for (const key of Object.keys(values) as ValueKey[]) {
    const field = FIELDS[key];
    if (field !== null) overrides[field] = values[key];
  }
  return { overrides: overrides as Partial<FileOptions>, ignoreCase: values.ignorecase ?? false };
}
