/**
 * What the SD checks of each record a File daemon sends in a backup, before it goes
 * onto a volume: file indexes ascend from 1, a file's attributes come first and once,
 * only known streams, and attributes and digests are well-formed messages. The
 * attributes stay the bytes the FD encoded (proto/attribute-columns.ts says why).
 */
import { BurrowError } from '@burrow/common/errors/index';
import { attributeColumns } from '@burrow/common/proto/attribute-columns';
import { burrow, isDataStream, type DataRecord } from '@burrow/common/proto/index';

export type CheckedRecord =
  | { readonly kind: 'attributes' }
  | { readonly kind: 'digest'; readonly digest: burrow.FileDigest }
  | { readonly kind: 'data' };

function refuse(reason: string): never {
  throw new BurrowError('PROTOCOL', reason);
}

export class BackupRecordCheck {
  private lastIndex = 0;

  /** What the record is; throws PROTOCOL with the reason when it breaks the rules. */
  check(rec: DataRecord): CheckedRecord {
    const { fileIndex, stream, data } = rec;
    if (fileIndex < this.lastIndex || fileIndex < 1) refuse(`file index ${fileIndex} after ${this.lastIndex}`);
    let checked: CheckedRecord;
    if (stream === burrow.Stream.STREAM_ATTRIBUTES) {
      if (fileIndex === this.lastIndex) refuse(`second attributes record for file ${fileIndex}`);
      attributeColumns(data);
      checked = { kind: 'attributes' };
    } else if (fileIndex !== this.lastIndex) {
      refuse(`stream ${stream} for file ${fileIndex} before its attributes`);
    } else if (stream === burrow.Stream.STREAM_DIGEST) {
      checked = { kind: 'digest', digest: decodeDigest(data) };
    } else if (isDataStream(stream)) {
      checked = { kind: 'data' };
    } else {
      refuse(`unknown stream ${stream}`);
    }
    this.lastIndex = fileIndex;
    return checked;
  }
}

function decodeDigest(data: Buffer): burrow.FileDigest {
  try {
    return burrow.FileDigest.decode(data);
  } catch (err) {
    return refuse(`undecodable digest record: ${(err as Error).message}`);
  }
}
