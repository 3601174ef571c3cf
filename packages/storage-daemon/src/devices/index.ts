/**
 * Drives: where volumes are mounted, labelled, appended to and read. `Drive` is the
 * narrow interface the rest of the Storage daemon uses (drive.ts); random-access drives
 * implement it over a volume store — the file drive over an Archive Device directory,
 * the memory drive for unit tests. Tape drives will implement the same interface, and
 * every implementation runs the one drive conformance suite (conformance.ts).
 */
export { afterClose } from './drive.js';
export type {
  AppendOptions, AppendVolume, BlockAddress, BlockRead, BlockToWrite, Drive, DriveActivity, DriveCapabilities, LabelledVolume, LabelOptions,
  MountedVolume, ReadVolume, WriteBlockOptions, WrittenBlock,
} from './drive.js';
export { RandomAccessDrive, fileArchive, fileDrive, memoryArchive, memoryDrive } from './random-access-drive.js';
export type { RandomAccessDriveOptions } from './random-access-drive.js';
export type { Archive, ByteHandle, VolumeStore } from './volume-store.js';
export { checkVolumeName, volumeNameProblem } from './volume-name.js';
export { SerialQueue } from './serial-queue.js';
