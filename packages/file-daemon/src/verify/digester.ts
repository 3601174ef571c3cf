/**
 * Volume levels of a verify: turns a job's records back into per-file results without
 * writing anything. Each file's data chunks are decoded and hashed in offset order
 * (holes as zeros, as the backup hashed them) with every algorithm the job used, and
 * the result is set beside the DIGEST record the volume holds. A record that cannot be
 * decoded, or data out of order, is the file's problem; the next file is unaffected.
 */
import { describeError } from '@burrow/common/errors/index';
import { burrow, isDataStream } from '@burrow/common/proto/index';
import { readDataPayload, type FileRecord } from '../backup/index.js';
import { hashZeros } from '../digest/zeros.js';
import type { Hasher, Hashers } from '../digest/hashers.js';
import { decodeChunk } from '../backup/codec.js';

interface OpenFile {
  fileIndex: number;
  attributes: burrow.FileAttributes;
  hashes: Map<burrow.DigestAlgorithm, Hasher>;
  at: number;
  saved: burrow.FileDigest | null;
  problem: string | null;
}

export class VolumeDigester {
  private current: OpenFile | null = null;
  bytes = 0;

  /** `algorithms`: the digests the verified job's files carry (from the catalog). */
  constructor(
    private readonly algorithms: readonly burrow.DigestAlgorithm[],
    private readonly hashers: Hashers,
    private readonly emit: (e: burrow.IVerifyEntry) => Promise<void>,
  ) {}

  async accept(rec: FileRecord): Promise<void> {
    if (rec.stream === burrow.Stream.STREAM_ATTRIBUTES) {
      await this.close();
      this.current = this.open(rec);
      return;
    }
    const cur = this.current;
    // The rest of a file whose attributes were lost with a damaged block: the
    // Director names that file as missing from the volume.
    if (cur === null || cur.fileIndex !== rec.fileIndex || cur.problem !== null) return;
    try {
      if (isDataStream(rec.stream)) await this.data(cur, rec);
      else if (rec.stream === burrow.Stream.STREAM_DIGEST) cur.saved = burrow.FileDigest.decode(rec.data);
      else cur.problem = `unknown stream ${rec.stream}`;
    } catch (err) {
      cur.problem = describeError(err);
    }
  }

  /** A new job session: file indexes start again. */
  async startSession(_sessionId: number): Promise<void> {
    await this.close();
  }

  async finish(): Promise<void> {
    await this.close();
  }

  private open(rec: FileRecord): OpenFile {
    const hashes = new Map<burrow.DigestAlgorithm, Hasher>();
    for (const alg of this.algorithms) {
      const hasher = this.hashers.open(alg);
      if (hasher !== undefined) hashes.set(alg, hasher);
    }
    let attributes: burrow.FileAttributes;
    try {
      attributes = burrow.FileAttributes.decode(rec.data);
    } catch (err) {
      return { fileIndex: rec.fileIndex, attributes: burrow.FileAttributes.create(), hashes, at: 0, saved: null, problem: `attributes do not decode: ${describeError(err)}` };
    }
    return { fileIndex: rec.fileIndex, attributes, hashes, at: 0, saved: null, problem: null };
  }

  private async data(cur: OpenFile, rec: FileRecord): Promise<void> {
    const { offset, body } = readDataPayload(rec.data);
    if (offset < cur.at) throw new Error(`data at offset ${offset} after offset ${cur.at}: out of order`);
    const bytes = await decodeChunk(rec.stream, body);
    for (const h of cur.hashes.values()) {
      await hashZeros(h, offset - cur.at);
      h.update(bytes);
    }
    cur.at = offset + bytes.length;
    this.bytes += bytes.length;
  }

  private async close(): Promise<void> {
    const cur = this.current;
    this.current = null;
    if (cur === null) return;
    const { size } = cur.attributes;
    // A sparse file's trailing hole is part of its content (the backup hashed it).
    if (cur.attributes.sparse && cur.at < size) for (const h of cur.hashes.values()) await hashZeros(h, size - cur.at);
    const alg = cur.saved?.algorithm ?? this.algorithms[0] ?? burrow.DigestAlgorithm.DIGEST_NONE;
    const hash = cur.problem === null ? cur.hashes.get(alg) : undefined;
    await this.emit({
      fileIndex: cur.fileIndex,
      attributes: cur.attributes,
      digest: hash ? { algorithm: alg, value: hash.digest() } : null,
      savedDigest: cur.saved,
      problem: cur.problem ?? (cur.saved && !hash ? `digest algorithm ${cur.saved.algorithm} was not computed` : ''),
    });
  }
}
