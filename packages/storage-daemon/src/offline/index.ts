/**
 * What the programs that read volumes without the Storage daemon use of it (bls here,
 * bextract in the File daemon's package, bscan in the Director's): volumes of an
 * Archive Device directory opened by name, the volume reader, and read plans from a
 * bootstrap or from the volumes' own session labels. The one door other packages may
 * import the SD through (.dependency-cruiser.cjs, offline-tools-only): the volume
 * format is read by one implementation, never a copy.
 */
export { archiveVolumes, type OpenVolume } from './archive.js';
export { planOfVolumes } from './plan.js';
export { groupBySession, partsOfBootstrap, readProblem, WantedFiles, type SessionPart, type SessionVolume } from '../volume/session-parts.js';
export { readVolume, itemsOfKind, type VolumeItem, type FileRef } from '../volume/reader.js';
export { readVolumes, type VolumeToRead } from '../volume/multi-volume-reader.js';
export type { CompleteRecord } from '../volume/reassembly.js';
export type { BlockAddress } from '../devices/drive.js';
