/**
 * A Channel is one authenticated connection seen as a sequence of typed messages.
 * Whoever owns it reads with `receive()` / `expect()` and writes with `send()`, which
 * waits while the socket's buffer is full so a fast producer cannot exhaust memory.
 * A frame over the limit or an undecodable message closes the connection with the
 * reason kept in `closeReason`.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { BurrowError, describeError, isBurrowErrorCode } from '../errors/index.js';
import { decodeMessage, encodeMessageBehind, type DataRecord, type Message, type MessageKind, type MessageOf, type ReceivedKind, type SentBody } from '../proto/index.js';
import { DEFAULT_MAX_FRAME, FRAME_HEADER_SIZE, FrameDecoder, sealFrame } from './frame.js';
import { decodeRecordFrame, isRecordFrame, recordFrameHeader, sealRecordFrame } from './record-frame.js';
import type { FramePool } from './frame-pool.js';
import type { KeptReads } from './kept-reads.js';
import type { PeerIdentity } from './psk.js';
import { CHECKS_PER_INTERVAL, SILENT_INTERVALS, silenceMessage } from './heartbeat.js';
import type { burrow } from '../proto/generated.js';

/** Bytes queued for sending before send() waits for the peer to take them. */
const SEND_QUEUE_LIMIT = 1024 * 1024;

/**
 * Records up to this size are copied behind their header and written as one buffer:
 * a write costs a system call (and for TLS a record of its own), a small copy less.
 */
const JOIN_SMALL_RECORDS = 16 * 1024;

/** The slices a record under a bandwidth limit leaves in (Channel.sendRecordPaced). */
const PACED_SLICE = 16 * 1024;

/** Writes from this size on are not held back to join others (Channel.put). */
const WRITE_ALONE_FROM = 64 * 1024;

/** Messages buffered before the socket is paused, and the level at which it resumes. */
const INBOX_HIGH = 256;
const INBOX_LOW = 64;
/**
 * Bytes of frames buffered before the socket is paused, and the level at which it
 * resumes. Records of 1 MiB would otherwise queue up to 256 MiB; and a buffer that
 * waits long enough to outlive a young-generation collection is only freed by a full
 * one, which then runs every few dozen records.
 */
const INBOX_HIGH_BYTES = 4 * 1024 * 1024;
const INBOX_LOW_BYTES = 1024 * 1024;

/**
 * Frame bytes that all the channels of a process hold unread, together, against a
 * limit. Each channel stops at INBOX_HIGH_BYTES on its own; a Storage daemon taking
 * fifty backups at once, its drive writing one block at a time, held fifty times that.
 * Past the limit a channel stops reading as soon as it holds a message to give, and
 * reads again once its consumer has taken them all: every consumer keeps something to
 * work on (none waits on an empty, paused inbox), and the process's buffers stay
 * bounded whatever the number of peers.
 */
export class InboxBudget {
  private used = 0;
  constructor(readonly limitBytes: number) {}
  take(bytes: number): void {
    this.used += bytes;
  }
  give(bytes: number): void {
    this.used -= bytes;
  }
  get exceeded(): boolean {
    return this.used >= this.limitBytes;
  }
  /** Frame bytes held unread now, by every channel sharing the budget. */
  get bytes(): number {
    return this.used;
  }
}

/** The budget of every channel of the process, unless one is given. */
export const PROCESS_INBOX_BUDGET = new InboxBudget(32 * 1024 * 1024);

/** A Heartbeat frame, the same every time. */
const HEARTBEAT_FRAME = sealFrame(encodeMessageBehind(FRAME_HEADER_SIZE, 'heartbeat', {}));

interface Waiter {
  resolve: (m: Message) => void;
  reject: (e: BurrowError) => void;
}

export class Channel {
  private readonly decoder: FrameDecoder;
  private readonly inbox: Message[] = [];
  /** Frame bytes of each inbox message, in the same order, and their sum. */
  private readonly inboxSizes: number[] = [];
  private inboxBytes = 0;
  private readonly waiters: Waiter[] = [];
  private failure: BurrowError | undefined;
  private readonly closeListeners: Array<(err: BurrowError) => void> = [];
  /** Heartbeat (heartbeat.ts): when the peer was last heard from, when we last wrote, whether we stopped reading, the timer. */
  private lastHeard = Date.now();
  private lastSent = Date.now();
  private paused = false;
  /** A paced record is being written slice by slice: nothing else may go between (sendRecordPaced). */
  private midFrame = false;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Why the connection ended, once it has. */
  closeReason: string | undefined;

  constructor(
    private readonly socket: Duplex,
    private who: PeerIdentity,
    readonly remoteAddress: string,
    maxFrame = DEFAULT_MAX_FRAME,
    /** Where large frames are assembled; records in its buffers carry `release` (frame-pool.ts). */
    private readonly pool?: FramePool,
    private readonly budget: InboxBudget = PROCESS_INBOX_BUDGET,
    /** The socket reads into a kept buffer (kept-reads.ts): frames lying whole in a read are copied out. */
    private readonly reads?: KeptReads,
  ) {
    this.decoder = new FrameDecoder(maxFrame, pool);
    this.maxFrame = maxFrame;
    if (reads !== undefined) reads.drainTo((data) => this.onData(data));
    else socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (err) => this.fail(new BurrowError('CONNECTION', `connection error: ${describeError(err)}`, { cause: err })));
    socket.on('close', () => this.fail(new BurrowError('CONNECTION', 'connection closed by peer')));
  }

  private readonly maxFrame: number;
  /** Whether small writes are being held until the event loop turns (put). */
  private corked = false;

  /** Who is at the other end: authenticated by TLS, or by the cleartext exchange (identify). */
  get peer(): PeerIdentity {
    return this.who;
  }

  /** The peer a connection without TLS proved to be (net/cleartext-server.ts); nothing else may call it. */
  identify(peer: PeerIdentity): void {
    this.who = peer;
  }

  get closed(): boolean {
    return this.failure !== undefined;
  }

  /** Calls `listener` once the connection has ended, with why (at once when it already has). */
  onClosed(listener: (err: BurrowError) => void): void {
    if (this.failure) listener(this.failure);
    else this.closeListeners.push(listener);
  }

  /**
   * Keeps the connection under a Heartbeat Interval (heartbeat.ts): a Heartbeat goes out
   * when nothing was written for half of it, and a peer silent for two intervals while
   * we read ends the connection. Also sets TCP keepalive to the interval, as Bareos does.
   */
  keepAlive(intervalMs: number): void {
    if (intervalMs <= 0 || this.heartbeat !== undefined || this.failure) return;
    (this.socket as Partial<Socket>).setKeepAlive?.(true, intervalMs);
    this.lastHeard = this.lastSent = Date.now();
    this.heartbeat = setInterval(() => this.beat(intervalMs), Math.max(50, Math.floor(intervalMs / CHECKS_PER_INTERVAL)));
    this.heartbeat.unref();
  }

  private beat(intervalMs: number): void {
    const now = Date.now();
    // Silence while we do not read is ours, not the peer's.
    if (this.paused) this.lastHeard = now;
    const silent = now - this.lastHeard;
    if (silent > SILENT_INTERVALS * intervalMs) {
      const e = new BurrowError('CONNECTION', silenceMessage(this.describePeer(), silent, intervalMs));
      this.closeReason ??= e.message;
      this.fail(e);
      this.socket.destroy();
      return;
    }
    // A full send queue means the peer is not reading: it is not listening for heartbeats either.
    if (!this.midFrame && now - this.lastSent >= intervalMs / 2 && this.socket.writableLength <= SEND_QUEUE_LIMIT) this.put(HEARTBEAT_FRAME);
  }

  async send<K extends MessageKind>(kind: K, body: SentBody<K>): Promise<void> {
    if (this.failure) throw this.failure;
    const frame = sealFrame(encodeMessageBehind(FRAME_HEADER_SIZE, kind, body), this.maxFrame);
    this.put(frame);
    await this.roomToSend();
  }

  /**
   * Sends a data record as a record frame (record-frame.ts). With `framed` (the payload
   * behind RECORD_FRAME_ROOM bytes of room, the same bytes as `rec.data`) the frame is
   * sealed in place and written whole; otherwise its header goes first, then the
   * payload as it is. Either way the payload is not copied: the caller hands it over
   * and must not change it afterwards (the socket may hold it queued for a while).
   * `written`: called once the socket is done with the record's memory (`framed`, or
   * `rec.data`: it was written or copied, or the connection failed), so the caller may
   * use it again; not called when the connection is already closed.
   */
  async sendRecord(rec: DataRecord, framed?: Buffer, written?: () => void): Promise<void> {
    if (this.failure) throw this.failure;
    if (framed !== undefined) {
      this.put(sealRecordFrame(framed, rec, this.maxFrame), written);
    } else if (rec.data.length <= JOIN_SMALL_RECORDS) {
      this.put(Buffer.concat([recordFrameHeader(rec, this.maxFrame), rec.data]));
      written?.();
    } else {
      this.put(recordFrameHeader(rec, this.maxFrame));
      this.put(rec.data, written);
    }
    await this.roomToSend();
  }

  /**
   * sendRecord under a bandwidth limit: the frame leaves in slices of PACED_SLICE bytes,
   * each once `pace(bytes)` lets it, so a 1 MiB record is spread over its share of
   * time instead of leaving at once. Nothing else is written between the slices.
   */
  async sendRecordPaced(rec: DataRecord, framed: Buffer | undefined, written: (() => void) | undefined, pace: (bytes: number) => Promise<void>): Promise<void> {
    if (this.failure) throw this.failure;
    const frame = framed !== undefined ? sealRecordFrame(framed, rec, this.maxFrame) : Buffer.concat([recordFrameHeader(rec, this.maxFrame), rec.data]);
    if (framed === undefined) written?.(); // copied: the caller's buffer is free already
    this.midFrame = true;
    try {
      for (let at = 0; at < frame.length; at += PACED_SLICE) {
        const slice = frame.subarray(at, at + PACED_SLICE);
        await pace(slice.length);
        if (this.failure) throw this.failure;
        this.put(slice, framed !== undefined && at + PACED_SLICE >= frame.length ? written : undefined);
        await this.roomToSend();
      }
    } finally {
      this.midFrame = false;
    }
  }

  /**
   * Writes a frame (or a piece of one). Small ones are held (the socket corked) until
   * the event loop turns, then leave together: a tree of small files makes three small
   * records a file, and each write on its own is a system call and, under TLS, an
   * encryption and a record of its own. A large one goes at once and alone, so it is
   * never copied into a joined buffer.
   */
  private put(buf: Buffer, written?: () => void): void {
    this.lastSent = Date.now();
    const done = written === undefined ? undefined : (): void => written();
    if (buf.length >= WRITE_ALONE_FROM) {
      this.flush();
      this.socket.write(buf, done);
      return;
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(() => this.flush());
    }
    this.socket.write(buf, done);
  }

  /** Lets held small writes go. */
  private flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  }

  private async roomToSend(): Promise<void> {
    // Wait only once a good amount is queued: the socket's own mark (16 KiB) would
    // make a 64 KiB data stream wait for the network after every record.
    if (this.socket.writableLength > SEND_QUEUE_LIMIT) {
      this.flush(); // held writes count as queued: they must leave for the queue to drain
      await new Promise<void>((resolve, reject) => {
        const onDrain = (): void => { cleanup(); resolve(); };
        const onClose = (): void => { cleanup(); reject(this.failure ?? new BurrowError('CONNECTION', 'connection closed')); };
        const cleanup = (): void => { this.socket.off('drain', onDrain); this.socket.off('close', onClose); };
        this.socket.on('drain', onDrain);
        this.socket.on('close', onClose);
      });
    }
  }

  /** The next message, whatever its kind. Rejects when the connection ends or `signal` aborts. */
  receive(signal?: AbortSignal): Promise<Message> {
    const queued = this.inbox.shift();
    if (queued) {
      const size = this.inboxSizes.shift() ?? 0;
      this.inboxBytes -= size;
      if (!this.failure) this.budget.give(size); // a failed channel gave its share back at once (fail)
      const low = this.inbox.length < INBOX_LOW && this.inboxBytes < INBOX_LOW_BYTES && !this.budget.exceeded;
      if (this.paused && (low || this.inbox.length === 0)) {
        this.paused = false;
        this.lastHeard = Date.now();
        this.socket.resume();
      }
      return Promise.resolve(queued);
    }
    if (this.failure) return Promise.reject(this.failure);
    if (signal?.aborted) return Promise.reject(new BurrowError('JOB_CANCELED', 'aborted while waiting for the peer'));
    return new Promise<Message>((resolve, reject) => {
      // The abort listener lives only as long as this wait: a long job calls receive()
      // once per record and must not pile listeners onto its signal.
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new BurrowError('JOB_CANCELED', 'aborted while waiting for the peer'));
      };
      const waiter: Waiter = {
        resolve: (m) => { signal?.removeEventListener('abort', onAbort); resolve(m); },
        reject: (e) => { signal?.removeEventListener('abort', onAbort); reject(e); },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * The next message, which must be of `kind`. An ErrorReply from the peer becomes a
   * thrown BurrowError with the peer's code; anything else is a protocol violation.
   */
  async expect<K extends ReceivedKind>(kind: K, signal?: AbortSignal): Promise<MessageOf<K>['body']> {
    const msg = await this.receive(signal);
    if (msg.kind === kind) return msg.body as MessageOf<K>['body'];
    if (msg.kind === 'error') throw peerError(msg.body);
    throw this.violation(`expected ${kind}, got ${msg.kind}`);
  }

  /** Closes the connection because the peer broke the protocol; returns the error to throw. */
  violation(reason: string): BurrowError {
    const err = new BurrowError('PROTOCOL', `${this.describePeer()}: ${reason}`);
    this.close(reason);
    return err;
  }

  /** Sends an ErrorReply, best effort, then closes. */
  async sendErrorAndClose(err: BurrowError): Promise<void> {
    try {
      await this.send('error', { code: err.code, message: err.message });
    } catch {
      // The peer is already gone; there is nobody left to tell.
    }
    this.close(err.message);
  }

  close(reason = 'closed'): void {
    this.flush();
    this.closeReason ??= reason;
    this.fail(new BurrowError('CONNECTION', `connection closed: ${reason}`));
    this.socket.end();
    // A peer that never reads must not keep the socket alive forever.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  describePeer(): string {
    return `${this.peer.role} "${this.peer.name}" at ${this.remoteAddress}`;
  }

  private onData(data: Buffer): void {
    if (this.failure) return;
    this.lastHeard = Date.now();
    let frames: Buffer[];
    try {
      frames = this.decoder.push(data);
      for (const view of frames) {
        const frame = this.reads?.holds(view) === true ? this.copyOut(view) : view;
        this.deliver(isRecordFrame(frame) ? { kind: 'dataRecord', body: this.record(frame) } : decodeMessage(frame), frame.length);
      }
    } catch (err) {
      const e = err instanceof BurrowError ? err : new BurrowError('PROTOCOL', describeError(err));
      this.closeReason = e.message;
      this.fail(e);
      this.socket.destroy();
    }
  }

  /**
   * A frame lying whole in a kept read, copied before the next read overwrites it: a
   * record into the pool (its `release` gives the copy back), anything else fresh.
   */
  private copyOut(view: Buffer): Buffer {
    return this.pool !== undefined && isRecordFrame(view) ? this.pool.copyOf(view) : Buffer.from(view);
  }

  private record(frame: Buffer): DataRecord {
    const rec = decodeRecordFrame(frame);
    const pool = this.pool;
    if (pool === undefined) return rec;
    let given = false; // once only: a second give could hand back the buffer's next frame
    return { ...rec, release: () => {
      if (given) return;
      given = true;
      pool.give(frame);
    } };
  }

  private deliver(msg: Message, bytes: number): void {
    if (msg.kind === 'heartbeat') return; // its arrival was all it had to say (onData)
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve(msg);
      return;
    }
    this.inbox.push(msg);
    this.inboxSizes.push(bytes);
    this.inboxBytes += bytes;
    this.budget.take(bytes);
    // Stop reading from a peer that sends faster than we consume: TCP pushes back on it.
    if (this.inbox.length >= INBOX_HIGH || this.inboxBytes >= INBOX_HIGH_BYTES || this.budget.exceeded) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private fail(err: BurrowError): void {
    if (this.failure) return;
    this.failure = err;
    // What is still queued may be received, but no longer holds the process's budget.
    this.budget.give(this.inboxBytes);
    clearInterval(this.heartbeat);
    this.closeReason ??= err.message;
    for (const w of this.waiters.splice(0)) w.reject(err);
    for (const listener of this.closeListeners.splice(0)) listener(err);
  }
}

/**
 * The BurrowError a peer's ErrorReply stands for: the peer's own code (INTERNAL when
 * it is not one of ours) and message, after `from` ("Storage daemon") when given.
 */
export function peerError(body: burrow.ErrorReply, from?: string): BurrowError {
  const message = from === undefined ? body.message : `${from}: ${body.message}`;
  return new BurrowError(isBurrowErrorCode(body.code) ? body.code : 'INTERNAL', message);
}
