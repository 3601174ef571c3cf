/**
 * Storage devices: where volumes live. `Device` is the narrow interface the rest of the
 * Storage daemon uses (label, open for append or read, block by block); `FileDevice`
 * keeps volumes as files in its Archive Device directory. Tape and virtual tape devices
 * will implement the same interface.
 */
export type {
  AppendOptions, AppendVolume, BlockAddress, BlockRead, BlockToWrite, Device, LabelOptions,
  ReadVolume, WriteBlockOptions, WrittenBlock,
} from './device.js';
export { FileDevice } from './file-device.js';
export type { FileDeviceOptions } from './file-device.js';
export { checkVolumeName, volumeNameProblem } from './volume-name.js';
export { SerialQueue } from './serial-queue.js';
