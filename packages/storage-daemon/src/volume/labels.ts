/**
 * Label records (stream 0): the volume label in block 0 and the start/end-of-session
 * labels that frame each job's blocks on a volume. Each sits alone in a block with
 * the label flag set, so a reader can recognise it from the header alone.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { burrow, timestampFromMs } from '@burrow/common/proto/index';
import { BLOCK_FLAG_LABEL, type BlockContent } from './block.js';
import { decodeRecords, encodeRecords } from './record.js';

export const FI_VOLUME_LABEL = -1;
export const FI_SESSION_START = -2;
export const FI_SESSION_END = -3;
export const VOLUME_FORMAT_NAME = 'Burrow';
export const VOLUME_FORMAT_VERSION = 1;

export type LabelKind = 'volume' | 'session-start' | 'session-end';

export type DecodedLabel =
  | { kind: 'volume'; label: burrow.VolumeLabel }
  | { kind: 'session-start' | 'session-end'; label: burrow.SessionLabel };

/** The fields a caller gives when labelling a volume; the rest is filled in. */
export interface VolumeLabelInfo {
  poolName?: string;
  mediaType?: string;
  labelledBy?: string;
  /** The volume a job filled just before, when this one is labelled to go on from it. */
  previousVolume?: string;
  /** Defaults to now. */
  labelTime?: Date;
}

export function makeVolumeLabel(volumeName: string, info: VolumeLabelInfo): burrow.VolumeLabel.$Properties {
  return {
    format: VOLUME_FORMAT_NAME,
    version: VOLUME_FORMAT_VERSION,
    volumeName,
    poolName: info.poolName ?? '',
    mediaType: info.mediaType ?? '',
    labelTime: timestampFromMs((info.labelTime ?? new Date()).getTime()),
    labelledBy: info.labelledBy ?? '',
    previousVolume: info.previousVolume ?? '',
  };
}

/** Block 0 of a volume: session 0, holding the volume label. */
export function volumeLabelBlock(label: burrow.VolumeLabel.$Properties): BlockContent {
  const data = Buffer.from(burrow.VolumeLabel.encode(label).finish());
  return {
    flags: BLOCK_FLAG_LABEL,
    blockNumber: 0,
    sessionId: 0,
    sessionBlockNumber: 0,
    payload: encodeRecords([{ fileIndex: FI_VOLUME_LABEL, stream: burrow.Stream.STREAM_LABEL, flags: 0, data }]),
  };
}

/** The payload of a session label block (block numbers are the caller's). */
export function sessionLabelPayload(kind: 'session-start' | 'session-end', label: burrow.SessionLabel.$Properties): Buffer {
  const data = Buffer.from(burrow.SessionLabel.encode(label).finish());
  const fileIndex = kind === 'session-start' ? FI_SESSION_START : FI_SESSION_END;
  return encodeRecords([{ fileIndex, stream: burrow.Stream.STREAM_LABEL, flags: 0, data }]);
}

/** Decodes the single label record of a label block's payload. */
export function decodeLabelPayload(payload: Buffer): DecodedLabel {
  const records = decodeRecords(payload);
  const rec = records[0];
  if (records.length !== 1 || rec === undefined || rec.stream !== burrow.Stream.STREAM_LABEL || rec.flags !== 0) {
    throw new BurrowError('VOLUME_FORMAT', 'a label block must hold exactly one whole label record');
  }
  try {
    switch (rec.fileIndex) {
      case FI_VOLUME_LABEL:
        return { kind: 'volume', label: burrow.VolumeLabel.decode(rec.data) };
      case FI_SESSION_START:
        return { kind: 'session-start', label: burrow.SessionLabel.decode(rec.data) };
      case FI_SESSION_END:
        return { kind: 'session-end', label: burrow.SessionLabel.decode(rec.data) };
      default:
        throw new BurrowError('VOLUME_FORMAT', `unknown label file index ${rec.fileIndex}`);
    }
  } catch (err) {
    if (err instanceof BurrowError) throw err;
    throw new BurrowError('VOLUME_FORMAT', 'label record does not decode', { cause: err });
  }
}

/** Checks a decoded volume label is Burrow's and of a version this code reads. */
export function checkVolumeLabel(label: burrow.VolumeLabel, where: string): void {
  if (label.format !== VOLUME_FORMAT_NAME) {
    throw new BurrowError('VOLUME_FORMAT', `${where} is not a Burrow volume`);
  }
  if (label.version !== VOLUME_FORMAT_VERSION) {
    throw new BurrowError('VOLUME_FORMAT', `${where} has volume format version ${label.version}, this Burrow reads ${VOLUME_FORMAT_VERSION}`);
  }
}
