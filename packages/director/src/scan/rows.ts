/**
 * Catalog rows from what a volume says of itself: a job's level and name from its
 * session label, a File row from its attributes and digest records. The same columns
 * the Director writes while the job runs (sd/backup-session.ts), from the same bytes.
 */
import { attributeColumns } from '@burrow/common/proto/attribute-columns';
import { burrow } from '@burrow/common/proto/index';
import { FINAL_JOB_STATUSES, LEVEL_NAMES, type BackupLevel, type FileInput, type JobStatus } from '../catalog/index.js';

/** The level letter of a session label's level name ("Full", or a letter an older writer left). */
export function levelOf(name: string): BackupLevel | undefined {
  for (const [letter, full] of Object.entries(LEVEL_NAMES)) if (name === full || name === letter) return letter as BackupLevel;
  return undefined;
}

/** The Job resource's name in a unique job name "<Name>.<YYYY-MM-DD_HH.MM.SS>_<seq>" (catalog/jobname.ts). */
export function resourceName(job: string): string {
  const m = /^(.+)\.\d{4}-\d\d-\d\d_\d\d\.\d\d\.\d\d_\d+$/.exec(job);
  return m?.[1] ?? job;
}

/** A final status from an end-of-session label; one the catalog does not know counts as an error. */
export function finalStatus(letter: string): JobStatus {
  return (FINAL_JOB_STATUSES as readonly string[]).includes(letter) ? letter as JobStatus : 'E';
}

/** A file of a session being scanned: its attributes record, where it is, and its digest once read. */
export interface ScannedFile {
  fileIndex: number;
  attributes: Buffer;
  volumeName: string;
  addr: number;
  digest?: burrow.FileDigest;
}

export function fileInput(f: ScannedFile, mediaId: number): FileInput {
  const columns = attributeColumns(f.attributes);
  return {
    fileIndex: f.fileIndex,
    path: columns.path,
    mediaId,
    addr: f.addr,
    type: columns.type,
    size: columns.size,
    mtime: columns.mtimeMs,
    attributes: f.attributes,
    digest: f.digest ? Buffer.from(f.digest.value) : null,
    digestAlgorithm: f.digest?.algorithm ?? 0,
  };
}
