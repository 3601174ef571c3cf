/**
 * File system types by device number, for `fstype =` (Bareos matches the type names
 * /proc/mounts gives, such as ext4, xfs, btrfs, tmpfs). /proc/self/mountinfo lists
 * each mount's st_dev as "major:minor" (field 3) and its type after the " - "
 * separator; it is read once per job and again when a device is not in it (a file
 * system mounted while the job runs).
 */
import { readFileSync } from 'node:fs';

/** st_dev as the kernel encodes it for user space (glibc's makedev). */
export function makeDev(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return (mi & 0xffn) | ((ma & 0xfffn) << 8n) | ((mi & ~0xffn) << 12n) | ((ma & ~0xfffn) << 32n);
}

/** Device number -> type name, from the text of a mountinfo file. */
export function parseMountInfo(text: string): Map<bigint, string> {
  const types = new Map<bigint, string>();
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const sep = fields.indexOf('-');
    const dev = /^(\d+):(\d+)$/.exec(fields[2] ?? '');
    const type = sep > 0 ? fields[sep + 1] : undefined;
    if (dev === null || type === undefined) continue;
    // The first mount of a device wins, as a bind mount shows the same file system again.
    const key = makeDev(Number(dev[1]), Number(dev[2]));
    if (!types.has(key)) types.set(key, type.toLowerCase());
  }
  return types;
}

export class FsTypes {
  private types: Map<bigint, string> | null = null;

  constructor(private readonly source = '/proc/self/mountinfo') {}

  private load(): Map<bigint, string> {
    try {
      return parseMountInfo(readFileSync(this.source, 'utf8'));
    } catch {
      return new Map(); // no /proc: every type is unknown, so fstype matches nothing
    }
  }

  /** The type of the file system holding a file with this st_dev, or 'unknown'. */
  typeOf(dev: bigint): string {
    this.types ??= this.load();
    let type = this.types.get(dev);
    if (type === undefined) {
      this.types = this.load();
      type = this.types.get(dev) ?? 'unknown';
      this.types.set(dev, type); // one reload per unknown device, not one per file
    }
    return type;
  }

  /** Whether `fstype` (null: any) lets a file on device `dev` be saved. */
  allows(dev: bigint, wanted: readonly string[] | null): boolean {
    return wanted === null || wanted.includes(this.typeOf(dev));
  }
}
