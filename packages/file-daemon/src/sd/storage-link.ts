/**
 * The File daemon's side of the data connection to the Storage daemon (its peer is
 * storage-daemon/src/fd/). The key is the one-job token the SD made for this job and
 * the Director handed us; it is good for this one connection only.
 */
import { connect } from '@burrow/common/net/client';
import { connectRetrying } from '@burrow/common/net/connect-retry';
import { FramePool } from '@burrow/common/net/frame-pool';
import type { Channel } from '@burrow/common/net/channel';
import type { OpenedSession } from '@burrow/common/net/job-sessions';
import { BurrowError } from '@burrow/common/errors/index';
import type { FileRecord, RecordSink } from '../backup/index.js';
import type { Bandwidth } from '@burrow/common/net/bandwidth';
import { WRITES_IN_FLIGHT_BYTES } from '../restore/regular.js';

/**
 * Spare frame buffers the data connection keeps for a restore's 1 MiB records: one per
 * record the restore may be writing at once, and a few more for those on their way.
 * With the pool's default 4, each record past them came in a fresh buffer and went as
 * garbage V8 frees late: `--cpu --only=large --large-mib=1024`, two pairs at load 5-6,
 * FD peak after the restore 162 / 169 -> 153 / 152 MiB (bench/README step 9b).
 */
const FRAMES_KEPT = WRITES_IN_FLIGHT_BYTES / (1024 * 1024) + 4;

/**
 * A restore's records from 4 KiB up are cut from slabs too (common/net/slab-pool.ts):
 * the restore writer gives back the data records it wrote, and smaller records (a
 * file's attributes and digest, which it keeps or never gives back) stay out of them,
 * so that they pin no slab.
 */
const SLICED_FROM = 4 * 1024;

export interface SessionAddress {
  jobId: number;
  sdAddress: string;
  sdPort: number;
  token: Uint8Array;
}

/** How a job reaches its SD session: its signal, and whether this client's data channel uses TLS. */
export interface DataLink {
  readonly signal: AbortSignal;
  /** The FileDaemon resource's TLS Enable. */
  readonly tls: boolean;
  /** Writes a line to the job log that does not count against the job (JobReporter 'caution'). */
  readonly caution: (text: string) => void;
  /** A passive client (Passive = yes): the session the Storage daemon connects to, opened when the order came. */
  readonly passive?: OpenedSession;
  /** The FileDaemon resource's Heartbeat Interval, in ms. */
  readonly heartbeatMs: number;
  /** The FileDaemon resource's SD Connect Timeout, in ms: how long a Storage daemon that cannot be reached is tried (common/net/connect-retry.ts). */
  readonly connectTimeoutMs: number;
  /** A restore's or verify's limit for the data it reads (Maximum Bandwidth, setbandwidth); absent: none. */
  readonly bandwidth?: Bandwidth;
}

export async function openStorageSession(addr: SessionAddress, link: DataLink): Promise<Channel> {
  if (link.passive) return storageConnected(link.passive, link.signal);
  if (!addr.sdAddress || !addr.sdPort || addr.token.length < 16) {
    throw new BurrowError('PROTOCOL', 'the job order names no usable Storage daemon session');
  }
  const channel = await connectRetrying((tryMs) => connect({
    host: addr.sdAddress,
    port: addr.sdPort,
    self: { role: 'job', name: String(addr.jobId) },
    secret: Buffer.from(addr.token),
    peer: { role: 'storage', name: `session ${addr.jobId}` },
    describeTarget: `Storage daemon session for JobId ${addr.jobId}`,
    signal: link.signal,
    tls: link.tls,
    heartbeatMs: link.heartbeatMs,
    timeoutMs: tryMs,
    // A restore's records are given back once written (RestoreWriter), so their buffers serve again.
    framePool: new FramePool(FRAMES_KEPT, { slicedFrom: SLICED_FROM }),
  }), { timeoutMs: link.connectTimeoutMs, directive: 'SD Connect Timeout', signal: link.signal, onRetry: link.caution });
  if (!link.tls) {
    link.caution(`the data connection to the Storage daemon at ${addr.sdAddress}:${addr.sdPort} is not encrypted (TLS Enable = no): file data crosses the network in the clear`);
  }
  return channel;
}

/** The Storage daemon's connection to a passive client, once it came; always through TLS. */
function storageConnected(session: OpenedSession, signal: AbortSignal): Promise<Channel> {
  return Promise.race([
    session.client,
    new Promise<never>((_resolve, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    }),
  ]);
}

/**
 * Backup records go to the SD as record frames (sealed in place when framed); `sendRecord`
 * waits when the socket is full. A record's `release` is called once the socket is done
 * with its frame, so a pooled chunk buffer serves the next chunk.
 */
export function storageSink(sd: Channel, limit?: { bandwidth: Bandwidth; signal: AbortSignal }): RecordSink & { records: number; wireBytes: number } {
  const sink = {
    records: 0,
    wireBytes: 0,
    write: async (rec: FileRecord): Promise<void> => {
      sink.records++;
      sink.wireBytes += rec.data.length;
      const written = rec.framed === undefined ? undefined : rec.release;
      if (limit && limit.bandwidth.limit > 0) await sd.sendRecordPaced(rec, rec.framed, written, (bytes) => limit.bandwidth.take(bytes, limit.signal));
      else await sd.sendRecord(rec, rec.framed, written);
    },
  };
  return sink;
}

/** What takes a read session's records: the restore writer, a verify's digester. */
export interface RecordConsumer {
  /** The records that follow belong to job `sessionId`'s session (file indexes restart). */
  startSession(sessionId: number): Promise<void>;
  accept(rec: FileRecord): Promise<void>;
}

/**
 * Reads a restore or verify session from the SD to its end, handing every record to
 * `consumer`; returns the data bytes received. The caller closes the channel. Under a
 * bandwidth `limit` each record is read no sooner than the bytes before it allow, as
 * Bareos limits a socket's reads: the data then waits in the Storage daemon, whose
 * writes the full socket holds back, so the data moves at the limit on the wire too.
 */
export async function readSession(sd: Channel, consumer: RecordConsumer, signal: AbortSignal, what: string, limit?: Bandwidth): Promise<number> {
  let wireBytes = 0;
  for (;;) {
    const msg = await sd.receive(signal);
    if (msg.kind === 'dataEnd') return wireBytes;
    if (msg.kind === 'dataSessionStart') {
      await consumer.startSession(msg.body.sessionId);
      continue;
    }
    if (msg.kind !== 'dataRecord') throw sd.violation(`unexpected ${msg.kind} in a ${what} stream`);
    if (signal.aborted) throw new BurrowError('JOB_CANCELED', `the ${what} was canceled`);
    wireBytes += msg.body.data.length;
    await consumer.accept(msg.body);
    if (limit && limit.limit > 0) await limit.take(msg.body.data.length, signal);
  }
}
