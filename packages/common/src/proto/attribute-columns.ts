/**
 * A file's attributes travel as the bytes the File daemon encoded (a FileAttributes
 * record) from the FD through the SD to the catalog, which keeps them as they are.
 * Only the Director looks inside, and only at the columns the catalog indexes: path,
 * type, size, mtime (and the owner, which a user's restore tree filters by). This
 * reads those fields straight off the wire format and skips the rest (xattrs, ACLs,
 * link targets...), without building the message: the catalog's reader thread reads
 * owners this way without loading the generated protobuf code (about 5 MiB there).
 * The SD runs the same walk over every attributes record as its check that the bytes
 * are a well-formed message before they go onto a volume.
 */
import protobuf from 'protobufjs/minimal.js';
import { BurrowError } from '../errors/index.js';
import { burrow } from './generated.js';

/** What the catalog's File columns need of a FileAttributes record. */
export interface AttributeColumns {
  /** Absolute path on the client, raw bytes (a view of the record). */
  readonly path: Buffer;
  readonly type: burrow.FileType;
  readonly size: number;
  /** Milliseconds since the epoch, the sub-second part floored (timestampToMs). */
  readonly mtimeMs: number;
  readonly uid: number;
}

// Field numbers of FileAttributes and Timestamp (burrow.proto).
const PATH = 1;
const TYPE = 2;
const UID = 4;
const SIZE = 6;
const MTIME = 8;
const SEC = 1;
const NSEC = 2;
const LENGTH_DELIMITED = 2;

function wireType(tag: number): number {
  return tag & 7;
}

/** A Timestamp's milliseconds, read from the reader positioned at its length. */
function readTimestampMs(r: protobuf.Reader): number {
  const end = r.uint32() + r.pos;
  let sec = 0;
  let nsec = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === SEC && wireType(tag) === 0) sec = protobuf.util.LongBits.from(r.sint64()).toNumber();
    else if (tag >>> 3 === NSEC && wireType(tag) === 0) nsec = r.uint32();
    else r.skipType(wireType(tag));
  }
  if (r.pos !== end) throw new Error('timestamp runs past its length');
  return sec * 1000 + Math.floor(nsec / 1e6);
}

function walk(bytes: Uint8Array): AttributeColumns {
  const r = protobuf.Reader.create(bytes);
  let path: Uint8Array = new Uint8Array(0);
  let type = 0;
  let size = 0;
  let mtimeMs = 0;
  let uid = 0;
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 0) throw new Error('field number 0');
    if (field === PATH && wireType(tag) === LENGTH_DELIMITED) path = r.bytes();
    else if (field === TYPE && wireType(tag) === 0) type = r.int32();
    else if (field === UID && wireType(tag) === 0) uid = protobuf.util.LongBits.from(r.uint64()).toNumber();
    else if (field === SIZE && wireType(tag) === 0) size = protobuf.util.LongBits.from(r.uint64()).toNumber();
    else if (field === MTIME && wireType(tag) === LENGTH_DELIMITED) mtimeMs = readTimestampMs(r);
    else r.skipType(wireType(tag));
  }
  return { path: Buffer.from(path.buffer, path.byteOffset, path.byteLength), type, size, mtimeMs, uid };
}

/**
 * The catalog columns of a FileAttributes record; throws PROTOCOL when the bytes are
 * not a well-formed protobuf message: every top-level field's framing is checked, a
 * nested message skipped by its length (a restore decodes the record whole and
 * reports the file whose record is damaged).
 */
export function attributeColumns(bytes: Uint8Array): AttributeColumns {
  try {
    return walk(bytes);
  } catch (err) {
    throw new BurrowError('PROTOCOL', `undecodable attributes record: ${(err as Error).message}`, { cause: err });
  }
}
