/**
 * Fuzzing what a peer sends (issue 14): the frame decoder over any byte stream cut in
 * any way, and every decoder a received message goes through — the Envelope, record
 * frames, the SD's check of a backup's records, data payloads, attributes columns.
 * Random and mutated input: no crash, no hang, every refusal a clear BurrowError.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FrameDecoder, sealFrame, FRAME_HEADER_SIZE } from '@burrow/common/net/frame';
import { decodeRecordFrame, recordFrameHeader } from '@burrow/common/net/record-frame';
import { burrow, decodeMessage, encodeMessage, type MessageKind, type SentBody } from '@burrow/common/proto/index';
import { attributeColumns } from '@burrow/common/proto/attribute-columns';
import { BackupRecordCheck } from '@burrow/storage-daemon/fd/record-check';
import { readDataPayload } from '@burrow/file-daemon/backup/record';
import { compressChunk, decodeChunk } from '@burrow/file-daemon/backup/codec';
import { check, mutated, refusedClearly } from './budget.js';

const MAX_FRAME = 64 * 1024;

/** A byte stream cut into chunks at arbitrary places. */
function chunked(stream: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of points) {
    out.push(stream.subarray(at, p));
    at = p;
  }
  out.push(stream.subarray(at));
  return out;
}

function frame(payload: Buffer): Buffer {
  const f = Buffer.alloc(FRAME_HEADER_SIZE + payload.length);
  payload.copy(f, FRAME_HEADER_SIZE);
  return sealFrame(f, MAX_FRAME);
}

/** Real messages of several kinds, as the daemons send them: the seeds of mutation. */
const SAMPLES: Array<[MessageKind, SentBody<MessageKind>]> = [
  ['hello', { protocolVersion: 2, role: 'director', name: 'dir', software: 'Burrow 0.1.0', nonce: Buffer.alloc(16, 7) }],
  ['jobMessage', { jobId: 7, level: 'error', text: 'damaged data', sessionId: 5, fileIndex: 90 }],
  ['sdRestore', { jobId: 9, device: 'FileStorage', volumes: [{ volumeName: 'Full-0001', sessionId: 3, startAddr: 1048811, fileIndexes: [1, 2, 3, 90] }] }],
  ['fdRestore', { jobId: 9, jobName: 'RestoreFiles.x', where: Buffer.from('/tmp/r'), replace: 'always', sdAddress: '127.0.0.1', sdPort: 9103, token: Buffer.from('secret') }],
  ['sdCatalog', { files: [{ fileIndex: 1, attributes: Buffer.from([0x0a, 0x02, 0x2f, 0x61]), volumeName: 'V', addr: 64 }] }],
  ['sdVolumeUsage', { volumeName: 'V', startAddr: 64, endAddr: 2048, firstIndex: 1, lastIndex: 9, volBytes: 4096, volBlocks: 3 }],
  ['consoleCommand', { text: 'restore client=x all yes' }],
  ['error', { code: 'PROTOCOL', message: 'bad' }],
  ['dataSessionStart', { sessionId: 4 }],
];
const ENCODED = SAMPLES.map(([kind, body]) => Buffer.from(encodeMessage(kind, body)));

describe('fuzz: frames and messages', () => {
  it('the frame decoder takes any byte stream, cut anywhere: frames, or FRAME_TOO_LARGE', async (t) => {
    await check(t, fc.property(fc.uint8Array({ maxLength: 4096 }), fc.array(fc.nat(), { maxLength: 16 }), (bytes, cuts) => {
      const d = new FrameDecoder(MAX_FRAME);
      for (const c of chunked(Buffer.from(bytes), cuts)) {
        const frames = refusedClearly(() => d.push(c), ['FRAME_TOO_LARGE']);
        if (frames === undefined) return; // the connection is closed at this point
        for (const f of frames) assert.ok(f.length <= MAX_FRAME);
      }
      assert.ok(d.pending <= bytes.length);
    }), 300);
  });

  it('frames come out whole and in order however the stream is cut', async (t) => {
    await check(t, fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 16 }), (payloads, cuts) => {
      const stream = Buffer.concat(payloads.map((p) => frame(Buffer.from(p))));
      const d = new FrameDecoder(MAX_FRAME);
      const got = chunked(stream, cuts).flatMap((c) => d.push(c).map((f) => Buffer.from(f)));
      assert.deepEqual(got, payloads.map((p) => Buffer.from(p)));
      assert.equal(d.pending, 0);
    }), 200);
  });

  it('any frame payload decodes to a message or is refused as PROTOCOL', async (t) => {
    const payload = fc.oneof(fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)), fc.constantFrom(...ENCODED).chain((e) => mutated(e, 6)));
    await check(t, fc.property(payload, (bytes) => {
      if (bytes.length > 0 && bytes[0] === 0) {
        refusedClearly(() => decodeRecordFrame(bytes), ['PROTOCOL']);
        return;
      }
      const msg = refusedClearly(() => decodeMessage(bytes), ['PROTOCOL']);
      if (msg !== undefined) assert.equal(typeof msg.kind, 'string');
    }), 500);
  });

  it('record frames: any payload is a record or a PROTOCOL refusal, and a sealed record reads back', async (t) => {
    await check(t, fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.nat({ max: 2 ** 32 - 1 }), fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 40 }), (fileIndex, stream, data, junk) => {
      const head = recordFrameHeader({ fileIndex, stream, data: Buffer.from(data) });
      const rec = decodeRecordFrame(Buffer.concat([head.subarray(FRAME_HEADER_SIZE), Buffer.from(data)]));
      assert.deepEqual([rec.fileIndex, rec.stream, Buffer.from(rec.data)], [fileIndex, stream, Buffer.from(data)]);
      refusedClearly(() => decodeRecordFrame(Buffer.concat([Buffer.from([0]), Buffer.from(junk)])), ['PROTOCOL']);
    }), 300);
  });

  it("the SD's check of a backup's records refuses any bad sequence clearly", async (t) => {
    const attrs = Buffer.from(burrow.FileAttributes.encode({ path: Buffer.from('/etc/hosts'), type: burrow.FileType.FT_REGULAR, mode: 0o644, size: 3 }).finish());
    const digest = Buffer.from(burrow.FileDigest.encode({ algorithm: burrow.DigestAlgorithm.DIGEST_SHA256, value: Buffer.alloc(32, 1) }).finish());
    const data = fc.oneof(fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), mutated(attrs), mutated(digest), fc.constant(attrs), fc.constant(digest));
    const record = fc.record({ fileIndex: fc.integer({ min: -3, max: 6 }), stream: fc.integer({ min: 0, max: 8 }), data });
    await check(t, fc.property(fc.array(record, { maxLength: 12 }), (records) => {
      const rules = new BackupRecordCheck();
      for (const rec of records) {
        if (refusedClearly(() => rules.check(rec), ['PROTOCOL']) === undefined) return; // the SD closes the connection
      }
    }), 400);
  });

  it('data payloads and attributes columns: a value or a clear refusal', async (t) => {
    const attrs = Buffer.from(burrow.FileAttributes.encode({
      path: Buffer.from('/a/b'), type: burrow.FileType.FT_SYMLINK, linkTarget: Buffer.from('x'), mode: 0o777, uid: 1, gid: 2, size: 0,
      xattrs: [{ name: Buffer.from('user.a'), value: Buffer.from('v') }],
    }).finish());
    await check(t, fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), mutated(attrs, 6)), (bytes) => {
      refusedClearly(() => readDataPayload(bytes), ['VOLUME_FORMAT']);
      refusedClearly(() => attributeColumns(bytes), ['PROTOCOL']);
    }), 400);
  });

  it("a restore's data records, compressed or not: the chunk's bytes or a clear refusal, never past 16 MiB", async (t) => {
    const plain = Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(40));
    const chunks: Array<[burrow.Stream, Buffer]> = [
      [burrow.Stream.STREAM_DATA, plain],
      [burrow.Stream.STREAM_GZIP_DATA, await compressChunk(plain, { algorithm: 'GZIP', level: 6 })],
      [burrow.Stream.STREAM_LZ4_DATA, await compressChunk(plain, { algorithm: 'LZ4', level: 0 })],
      [burrow.Stream.STREAM_ZSTD_DATA, await compressChunk(plain, { algorithm: 'ZSTD', level: 3 })],
    ];
    const input = fc.constantFrom(...chunks).chain(([stream, body]) => fc.tuple(
      fc.constant(stream),
      fc.oneof(mutated(body, 6), fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b))),
    ));
    await check(t, fc.asyncProperty(input, async ([stream, body]) => {
      try {
        const out = await decodeChunk(stream, body);
        assert.ok(out.length <= 16 * 1024 * 1024);
      } catch (err) {
        refusedClearly(() => { throw err; }, ['VOLUME_FORMAT']);
      }
    }), 300);
  });
});
