/**
 * The wire vocabulary: every daemon-to-daemon and console message is one
 * `burrow.Envelope` with exactly one body field set. This module turns bytes into a
 * checked envelope (parse at the edge, STYLE.md habit 7) and back.
 */
import protobuf from 'protobufjs/minimal.js';
import { burrow } from './generated.js';
import { BurrowError } from '../errors/index.js';
import { VERSION } from '../daemon/version.js';

export { burrow };

/**
 * 2: data records travel as record frames outside protobuf (net/record-frame.ts);
 * Envelope frames are as in 1, so peers of either version read each other's Hello.
 */
export const PROTOCOL_VERSION = 2;
export const SOFTWARE = `Burrow ${VERSION}`;

/** The name of each message kind an envelope can carry (`sdReady`, `fdBackup`...). */
export type MessageKind = NonNullable<burrow.Envelope['body']>;

/**
 * A body as sent: protobufjs's property interface, every field optional, so a sender
 * leaves out what is the proto3 default (0, '', empty bytes, false, no message).
 */
export type SentBody<K extends MessageKind> = NonNullable<burrow.IEnvelope[K]>;

/**
 * A body as received: the generated class. The decoder fills every scalar with its
 * proto3 default, so `body.jobId` is a number, never undefined; a message field is its
 * class, or null when the sender left it out (`scripts/gen-proto.mjs` types the classes
 * so).
 */
export type ReceivedBody<K extends MessageKind> = NonNullable<burrow.Envelope[K]>;

/**
 * A data record: file index, stream, payload (docs/volume-format.md, "File streams").
 * On the wire a record frame of its own (net/record-frame.ts), not an Envelope: its
 * payload is file data and is never copied into or out of protobuf.
 */
export interface DataRecord {
  readonly fileIndex: number;
  readonly stream: number;
  readonly data: Buffer;
  /**
   * Set when `data` lies in a pooled buffer (net/frame-pool.ts): a consumer wholly done
   * with the bytes (nothing keeps a view of them, no write still reads them) calls it,
   * and the buffer is reused. Not calling it is always safe.
   */
  readonly release?: () => void;
}

/**
 * A received message narrowed to one kind: `msg.kind === 'sdReady'` gives `msg.body`
 * its type. Every Envelope kind, and `dataRecord` for a record frame.
 */
export type Message = { [K in MessageKind]: { kind: K; body: ReceivedBody<K> } }[MessageKind] | { kind: 'dataRecord'; body: DataRecord };
/** What a receiver can be waiting for. */
export type ReceivedKind = Message['kind'];
export type MessageOf<K extends ReceivedKind> = Extract<Message, { kind: K }>;

export function encodeMessage<K extends MessageKind>(kind: K, body: SentBody<K>): Uint8Array {
  return encodeMessageBehind(0, kind, body);
}

/**
 * The message encoded behind `room` zero bytes, in one buffer: a frame's length
 * prefix goes there, so a 64 KiB data record is copied once on its way out, not twice.
 */
export function encodeMessageBehind<K extends MessageKind>(room: number, kind: K, body: SentBody<K>): Uint8Array {
  const writer = protobuf.Writer.create();
  for (let i = 0; i < room; i++) writer.uint32(0); // a zero varint is one byte
  return burrow.Envelope.encode({ [kind]: body } as burrow.IEnvelope, writer).finish();
}

export function decodeMessage(bytes: Uint8Array): Message {
  let env: burrow.Envelope;
  try {
    env = burrow.Envelope.decode(bytes);
  } catch (err) {
    throw new BurrowError('PROTOCOL', `undecodable message: ${(err as Error).message}`, { cause: err });
  }
  const kind = env.body;
  if (!kind) throw new BurrowError('PROTOCOL', 'message with no known body (unknown message type)');
  const body = env[kind];
  if (body === null || body === undefined) throw new BurrowError('PROTOCOL', `message ${kind} has no body`);
  return { kind, body } as Message;
}

/** A generated message class, seen by what it encodes and what it decodes to. */
interface MessageClass<Sent, Received> {
  encode(message: Sent): protobuf.Writer;
  decode(bytes: Uint8Array): Received;
}

/**
 * `props` as a receiver gets them: encoded and decoded again, so every default is
 * filled and every nested message is its class. For tests that write by hand what
 * arrives on the wire, and for a deep copy of a received message.
 */
export function asReceived<Sent, Received>(type: MessageClass<Sent, Received>, props: Sent): Received {
  return type.decode(type.encode(props).finish());
}

/** Streams whose records carry file data (docs/volume-format.md): an offset, then raw or compressed bytes. */
const DATA_STREAMS: ReadonlySet<number> = new Set([
  burrow.Stream.STREAM_DATA, burrow.Stream.STREAM_GZIP_DATA, burrow.Stream.STREAM_LZ4_DATA, burrow.Stream.STREAM_ZSTD_DATA,
]);

/** Whether records of this stream carry file data. */
export function isDataStream(stream: number): boolean {
  return DATA_STREAMS.has(stream);
}

/**
 * Times on the wire and in volumes are Timestamps (seconds and nanoseconds). Where a
 * time is wanted in milliseconds (the catalog, JavaScript dates) it goes through
 * these two; where it is wanted exact (a restore sets times to the nanosecond) it is
 * read as it is, an absent one as EPOCH.
 */
export const EPOCH: Readonly<{ sec: number; nsec: number }> = Object.freeze({ sec: 0, nsec: 0 });

export function timestampFromMs(ms: number): burrow.ITimestamp {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1e6) };
}

/** Milliseconds since the epoch, the sub-second part floored to the millisecond; 0 when absent. */
export function timestampToMs(ts: burrow.ITimestamp | null | undefined): number {
  if (!ts) return 0;
  return Number(ts.sec ?? 0) * 1000 + Math.floor((ts.nsec ?? 0) / 1e6);
}

/**
 * A Buffer over the same memory as a decoded `bytes` field: no copy. Data records are
 * the hot path (64 KiB each), and a copy per record is measurable garbage.
 */
export function asBuffer(u8: Uint8Array): Buffer {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}
