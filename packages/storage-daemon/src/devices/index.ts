/**
 * Drives: where volumes are mounted, labelled, appended to and read. `Drive` is the
 * narrow interface the rest of the Storage daemon uses (drive.ts); random-access drives
 * implement it over a volume store — the file drive over an Archive Device directory,
 * the memory drive for unit tests. The tape drive (tape/tape-drive.ts) implements it over
 * a raw tape (tape/raw-tape.ts: the virtual tape of tape/vtape.ts), and every
 * implementation runs the one drive conformance suite (conformance.ts); raw tapes run
 * the tape-semantics suite (tape/tape-semantics.ts).
 */
export { afterClose, smallerLimit } from './drive.js';
export type {
  AppendOptions, AppendVolume, BlockAddress, BlockRead, BlockToWrite, Drive, DriveActivity, DriveCapabilities, LabelledVolume, LabelOptions,
  MountedVolume, ReadVolume, WriteBlockOptions, WrittenBlock,
} from './drive.js';
export { RandomAccessDrive, fileArchive, fileDrive, memoryArchive, memoryDrive } from './random-access-drive.js';
export type { RandomAccessDriveOptions } from './random-access-drive.js';
export type { Archive, ByteHandle, VolumeStore } from './volume-store.js';
export { checkVolumeName, volumeNameProblem } from './volume-name.js';
export { SerialQueue } from './serial-queue.js';
export { TapeDrive, DEFAULT_TAPE_SETTINGS } from './tape/tape-drive.js';
export type { TapeDriveOptions, TapeSettings } from './tape/tape-drive.js';
export { TapeError, isTapeError } from './tape/raw-tape.js';
export type { RawTape, RawTapeOpener, TapeErrno, TapeStatus } from './tape/raw-tape.js';
export { VirtualTape } from './tape/vtape.js';
export type { VirtualTapeFaults, VirtualTapeOptions } from './tape/vtape.js';
