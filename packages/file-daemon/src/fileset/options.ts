/**
 * The settings of one FileSet `Options { }` block, parsed at the edge with zod
 * (STYLE habit 7). Keys arrive normalised by the Director (lower case, no spaces).
 * Settings Bareos has and Burrow does not act on yet are accepted and ignored, so a
 * Bareos FileSet carries over; anything else, or a bad value, is rejected.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';

export type DigestName = 'MD5' | 'SHA1' | 'SHA256' | 'SHA512';

/** How each data chunk is compressed: gzip at a level 1-9, LZ4 (fast), or Zstandard at a level. */
export interface Compression {
  readonly algorithm: 'GZIP' | 'LZ4' | 'ZSTD';
  readonly level: number;
}

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
});

const yesNo = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['yes', 'no', 'true', 'false']))
  .transform((v) => v === 'yes' || v === 'true');

const signature = z.string().trim().toUpperCase().pipe(z.enum(['MD5', 'SHA1', 'SHA256', 'SHA512']));

// "GZIP" is level 6, as in Bareos; ZSTD is level 3, zstd's own default. LZO is not implemented and so rejected.
const compression = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.string().regex(/^(GZIP[1-9]?|LZ4|ZSTD)$/, 'expected GZIP, GZIP1..GZIP9, LZ4 or ZSTD'))
  .transform((v): Compression => {
    if (v === 'LZ4') return { algorithm: 'LZ4', level: 1 };
    if (v === 'ZSTD') return { algorithm: 'ZSTD', level: 3 };
    return { algorithm: 'GZIP', level: v === 'GZIP' ? 6 : Number(v.slice(4)) };
  });

// fstype = ext4, xfs (the Director joins repeated values with commas).
const fsTypes = z
  .string()
  .transform((v) => v.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== ''))
  .pipe(z.array(z.string().regex(/^[a-z0-9._+-]+$/, 'expected file system type names such as ext4, xfs')).min(1));

// Bareos Options directives that Burrow accepts without acting on them (yet).
// drivetype is Windows-only (the Director warns and drops it).
const LATER = [
  'basejob', 'portable', 'checkfilechanges', 'drivetype', 'hfsplussupport', 'strippath',
  'size', 'shadowing', 'meta', 'encryption', 'autoexclude', 'enhancedwild',
] as const;

const SettingsSchema = z
  .object({
    signature: signature.optional(),
    compression: compression.optional(),
    onefs: yesNo.optional(),
    recurse: yesNo.optional(),
    exclude: yesNo.optional(),
    sparse: yesNo.optional(),
    xattrsupport: yesNo.optional(),
    aclsupport: yesNo.optional(),
    mtimeonly: yesNo.optional(),
    // Bareos's letters; those Burrow does not compare (digests, atime, dev) are accepted and ignored.
    accurate: z.string().trim().regex(/^[ipnugsamcd51AM2-9]+$/, 'expected accurate option letters such as mcs').optional(),
    verify: z.string().trim().regex(/^[ipnugsamcd51V:]*$/, 'expected verify option letters such as pins5').optional(),
    ignorecase: yesNo.optional(),
    readfifo: yesNo.optional(),
    noatime: yesNo.optional(),
    keepatime: yesNo.optional(),
    hardlinks: yesNo.optional(),
    honornodumpflag: yesNo.optional(),
    fstype: fsTypes.optional(),
    ...Object.fromEntries(LATER.map((k) => [k, z.string().optional()])),
  })
  .strict();

/** One block's settings: only what the block says, to be layered over defaults. */
export interface BlockSettings {
  readonly overrides: Partial<FileOptions>;
  readonly ignoreCase: boolean;
}

export function parseSettings(settings: Readonly<Record<string, string>> | null | undefined, where: string): BlockSettings {
  const result = SettingsSchema.safeParse(settings ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`);
    throw new BurrowError('CONFIG_INVALID', `${where}: ${problems.join('; ')}`);
  }
  const s = result.data;
  const overrides: { -readonly [K in keyof FileOptions]?: FileOptions[K] } = {};
  if (s.signature !== undefined) overrides.signature = s.signature;
  if (s.compression !== undefined) overrides.compression = s.compression;
  if (s.onefs !== undefined) overrides.onefs = s.onefs;
  if (s.recurse !== undefined) overrides.recurse = s.recurse;
  if (s.exclude !== undefined) overrides.exclude = s.exclude;
  if (s.sparse !== undefined) overrides.sparse = s.sparse;
  if (s.xattrsupport !== undefined) overrides.xattrs = s.xattrsupport;
  if (s.aclsupport !== undefined) overrides.acls = s.aclsupport;
  if (s.mtimeonly !== undefined) overrides.mtimeOnly = s.mtimeonly;
  if (s.accurate !== undefined) overrides.accurate = s.accurate;
  if (s.verify !== undefined) overrides.verify = s.verify;
  if (s.readfifo !== undefined) overrides.readFifo = s.readfifo;
  if (s.noatime !== undefined) overrides.noAtime = s.noatime;
  if (s.keepatime !== undefined) overrides.keepAtime = s.keepatime;
  if (s.hardlinks !== undefined) overrides.hardLinks = s.hardlinks;
  if (s.honornodumpflag !== undefined) overrides.honorNoDump = s.honornodumpflag;
  if (s.fstype !== undefined) overrides.fsTypes = s.fstype;
  return { overrides, ignoreCase: s.ignorecase ?? false };
}
