/**
 * The Director's half of each verify level, fed the entries the File daemon reports:
 * InitCatalog stores them as the job's file rows; Catalog and DiskToCatalog compare
 * them by path with the catalog by the verify= letters and name new, changed and
 * missing files; VolumeToCatalog compares each file's digest as read back from the
 * volume with the catalog's, Data with the digest the volume itself holds, and both
 * name every file damaged or not read back at all.
 */
import { burrow, timestampToMs } from '@burrow/common/proto/index';
import type { Catalog, FileInput } from '../catalog/index.js';
import type { JobLog } from './job-log.js';
import type { VerifyLevel } from './plan.js';
import { differences, digestDifference, pathKey, References, shown } from './verify-compare.js';
import { digestName } from '@burrow/common/fileset/digests';

export interface VerifyCheck {
  /** Files the verified job wrote, as the catalog says (volume levels). */
  readonly expected: number;
  /** Digests the FD should compute as it reads the volume. */
  readonly digestAlgorithms: burrow.DigestAlgorithm[];
  accept(entries: readonly burrow.VerifyEntry[]): void | Promise<void>;
  /** Names what was never met; returns the number of differences found in all. */
  finish(): number;
}

function initCatalog(catalog: Catalog, jobId: number): VerifyCheck {
  let index = 0;
  return {
    expected: 0,
    digestAlgorithms: [],
    accept: async (entries) => {
      const rows: FileInput[] = entries.map((e) => {
        const a = e.attributes ?? new burrow.FileAttributes();
        return {
          fileIndex: ++index, path: Buffer.from(a.path), mediaId: null, addr: 0, type: a.type,
          size: a.size, mtime: timestampToMs(a.mtime), attributes: Buffer.from(burrow.FileAttributes.encode(a).finish()),
          digest: e.digest?.value.length ? Buffer.from(e.digest.value) : null, digestAlgorithm: e.digest?.algorithm ?? 0,
        };
      });
      if (rows.length) await catalog.insertFiles(jobId, rows);
    },
    finish: () => 0,
  };
}

function diskToCatalog(refs: References<string>, log: JobLog): VerifyCheck {
  let found = 0;
  const notCompared = new Set<string>();
  return {
    expected: refs.size,
    digestAlgorithms: [],
    accept: (entries) => {
      for (const e of entries) {
        const a = e.attributes ?? new burrow.FileAttributes();
        const cat = refs.meet(pathKey(a.path));
        if (!cat) {
          found++;
          log.info(`New file: ${shown(a.path)}`);
          continue;
        }
        const diffs = differences(e.letters, cat, { attributes: a, digest: e.digest });
        if (diffs.length) {
          found++;
          log.info(`File: ${shown(a.path)}: ${diffs.join('; ')}`);
        }
        const asked = e.digest?.algorithm ?? 0;
        if (asked !== 0 && cat.digest && cat.digestAlgorithm !== asked) notCompared.add(`${digestName(asked)} asked, the catalog holds ${digestName(cat.digestAlgorithm)}`);
      }
    },
    finish: () => {
      for (const why of notCompared) log.info(`Digests not compared: ${why} (match verify= to the backup's Signature).`);
      const missing = refs.missing();
      if (missing.length) {
        log.info(`The following ${missing.length} files are in the Catalog but not on disk:`);
        for (const p of missing) log.info(`      ${shown(p)}`);
      }
      return found + missing.length;
    },
  };
}

function volumeToCatalog(refs: References<number>, level: VerifyLevel, log: JobLog): VerifyCheck {
  let found = 0;
  const damaged = (path: Uint8Array | undefined, why: string): void => {
    found++;
    log.error(`File: ${shown(path)}: ${why}`);
  };
  return {
    expected: refs.size,
    digestAlgorithms: refs.digestAlgorithms(),
    accept: (entries) => {
      for (const e of entries) {
        const cat = refs.meet(e.fileIndex);
        const path = e.attributes?.path;
        if (!cat) {
          damaged(path, `file index ${e.fileIndex} on the Volume is not in the Catalog`);
          continue;
        }
        if (!Buffer.from(path ?? new Uint8Array()).equals(cat.path)) {
          damaged(cat.path, `the Volume names this file ${shown(path)}`);
          continue;
        }
        if (e.problem) {
          damaged(path, `cannot be read back: ${e.problem}`);
          continue;
        }
        // VolumeToCatalog: the data as read back against the catalog's digest. Data:
        // against the digest the volume holds (the catalog only names the file).
        const saved = e.savedDigest;
        const want = level === 'Data'
          ? { ...cat, digest: saved?.value.length ? Buffer.from(saved.value) : null, digestAlgorithm: saved?.algorithm ?? 0 }
          : cat;
        if (want.digest && (!e.digest || e.digest.algorithm !== want.digestAlgorithm)) {
          damaged(path, `its ${digestName(want.digestAlgorithm)} could not be computed from the Volume`);
          continue;
        }
        const d = digestDifference(want, e.digest);
        if (d) damaged(path, d.replace('(Cat:', level === 'Data' ? '(Volume:' : '(Cat:').replace('File:', 'read back:'));
      }
    },
    finish: () => {
      const missing = refs.missing();
      if (missing.length) {
        log.error(`The following ${missing.length} files are in the Catalog but not on the Volume(s):`);
        for (const p of missing) log.info(`      ${shown(p)}`);
      }
      return found + missing.length;
    },
  };
}

export async function verifyCheck(o: { catalog: Catalog; level: VerifyLevel; jobId: number; targets: readonly number[]; log: JobLog }): Promise<VerifyCheck> {
  switch (o.level) {
    case 'InitCatalog': return initCatalog(o.catalog, o.jobId);
    case 'Catalog':
    case 'DiskToCatalog': return diskToCatalog(await References.byPath(o.catalog, o.targets), o.log);
    default: return volumeToCatalog(await References.byIndex(o.catalog, o.targets[o.targets.length - 1] ?? 0), o.level, o.log);
  }
}
