/**
 * Backup: walks a compiled FileSet and turns every selected entry into records
 * (ATTRIBUTES, DATA or GZIP_DATA chunks, DIGEST) for a RecordSink — in the File
 * daemon, the data connection to the Storage daemon. File indexes start at 1 and
 * ascend; directories follow their contents; per-file problems go to onFileIssue.
 */
export { backupFileSet, type BackupParams } from './walker.js';
export type { BackupTotals, BackupView } from './saver.js';
export {
  DATA_OFFSET_BYTES,
  DEFAULT_CHUNK_SIZE,
  asBuffer,
  readDataPayload,
  type FileIssue,
  type FileIssueHandler,
  type FileRecord,
  type RecordSink,
} from './record.js';
