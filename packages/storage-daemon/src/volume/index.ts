/**
 * The Burrow volume format, version 1 (docs/volume-format.md): blocks with a checksummed
 * header, records split into fragments across a session's blocks, labels framing the
 * volume and each job session; a writer for one session and readers for one volume or
 * a session spread over several.
 *
 * Terms: a *session* is one job's stream of records on a volume (its id is the job
 * id); an *address* is where a block starts (a byte offset on disk); a *fragment* is
 * the part of a record that fits one block.
 */
export * from './block.js';
export * from './record.js';
export * from './labels.js';
export { SessionWriter, DEFAULT_BLOCK_PAYLOAD } from './session-writer.js';
export type { SessionWriterOptions, SessionRecord, SessionStats } from './session-writer.js';
export type { VolumeUsage } from './volume-usage.js';
export { Reassembly } from './reassembly.js';
export type { CompleteRecord, PendingRecord } from './reassembly.js';
export { readVolume, collectVolume, itemsOfKind } from './reader.js';
export type { VolumeItem, ReadVolumeOptions } from './reader.js';
export { readVolumes } from './multi-volume-reader.js';
export type { VolumeToRead, MultiVolumeOptions } from './multi-volume-reader.js';
