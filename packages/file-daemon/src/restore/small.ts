/**
 * Small new files restored in batches on libuv's pool (@burrow/fsx CreateBatch). A
 * restore of many small files kept the File daemon's main thread busy throughout,
 * a third of it in each file's create, write, owner, mode, times and close: made in
 * batches there, they run beside the main thread's record and TLS work instead.
 *
 * A file goes to a batch when nothing but its bytes and plain attributes is to be
 * restored (batchable()): no extended attributes or ACLs, one link, no holes, at most
 * SMALL_FILE_BYTES. Its data is kept until the next file starts (SmallFile), then
 * copied into the batch. The batch creates each name with O_EXCL|O_NOFOLLOW; where
 * something has the name already, the writer's usual rules (replace=, a user's own
 * restore) decide afterwards, from the batch's copy of the bytes (`remake`). Whatever
 * else fails is reported under the file's name, as a failed create always was.
 *
 * A batch goes when it is full or when the records at hand are done (the end of the
 * event loop's turn): a restore held to a slow rate (Maximum Bandwidth) or a slow
 * Storage daemon gets its files on disk as they come, not a batch's worth later.
 *
 * Ordering: the files of one batch lie in directories that exist (made before, on the
 * main thread) and the batch holds its own descriptors of them; the writer drains the
 * batches before anything may depend on their files: the next backup session of a
 * chain (which may restore the same names again) and the directories' attributes.
 */
import { newCreateBatch, type CreateBatch, type Fd } from '@burrow/fsx';
import { EPOCH, burrow } from '@burrow/common/proto/index';
import { readDataPayload } from '../backup/index.js';
import { decodeChunk } from '../backup/codec.js';
import { shortfall, type CommitResult, type PendingFile } from './regular.js';
import type { StreamedDigest } from './streamed-digest.js';
import type { DataTarget } from './targets.js';
import type { ResolvedPath } from './target.js';

/** Files up to this size are made in batches. Larger ones are written as they come (regular.ts). */
export const SMALL_FILE_BYTES = 64 * 1024;
/** Names and data of one batch at most, and its files. */
const BATCH_BYTES = 512 * 1024;
const BATCH_FILES = 256;
/** Batches on the pool at once (the pool keeps threads for large files' writes). */
const BATCHES_RUNNING = 2;
/** Batches sent and not yet done at most: add() waits beyond (bounded memory). */
const BATCHES_OUT = 4;

const canChown = process.getuid?.() === 0;

/** Whether a regular file with these attributes can be made in a batch. */
export function batchable(attrs: burrow.FileAttributes): boolean {
  return attrs.type === burrow.FileType.FT_REGULAR && attrs.size <= SMALL_FILE_BYTES && attrs.nlink <= 1 &&
    attrs.sparse !== true && attrs.streamed !== true && attrs.xattrs.length === 0 &&
    attrs.aclAccess.length === 0 && attrs.aclDefault.length === 0;
}

/** Where a small file goes: its open parent directory (borrowed until the next file starts) and place below the restore location. */
export interface SmallPlace {
  readonly dir: Fd;
  readonly at: ResolvedPath;
  /** Its file index in the backup session. */
  readonly index: number;
}

/** The parent directory's path: what tells directories apart (descriptor numbers are reused). */
function parentPath(at: ResolvedPath): Buffer {
  return at.path.subarray(0, at.path.length - at.name.length);
}

export interface SmallFilesEvents {
  /** A file could not be made (after its batch ran): reported under its path. */
  failed(path: Buffer, err: unknown): void;
  /**
   * Makes the file the writer's usual way, from its bytes: its batch found the name
   * taken (the replace rules decide), or no room for it while a larger file held the
   * space (retryNoSpace()).
   */
  remake(place: SmallPlace, attrs: burrow.FileAttributes, data: Buffer): Promise<void>;
}

interface Queued {
  readonly place: SmallPlace;
  readonly attrs: burrow.FileAttributes;
}

/** The batches of one restore. */
export class SmallFiles {
  private batch: CreateBatch | null = null;
  private queued: Queued[] = [];
  private lastParent: { path: Buffer; index: number } | null = null;
  /** Batches sent, waiting for a place on the pool, oldest first. */
  private readonly waiting: Array<{ batch: CreateBatch; queued: Queued[] }> = [];
  private running = 0;
  private sendAtTurnEnd: NodeJS.Immediate | null = null;
  /**
   * Batches done, for the next files: a batch often goes with a few files (at the end of
   * a turn), and a fresh one each time cost 0.5 MiB of memory to allocate and collect.
   */
  private readonly spare: CreateBatch[] = [];
  private wakeOnDone: Array<() => void> = [];
  private abandoned = false;
  /**
   * Files a batch found no room for (ENOSPC, EDQUOT), with a copy of their bytes. A
   * batch runs beside the larger file the writer goes on with, which may hold the
   * space for a while and then fail (a file larger than the disk): such a file must
   * not cost the small ones restored before it in the stream. They are made again
   * once that file is done (retryNoSpace()); only then is no room an error.
   */
  private noSpace: Array<{ place: SmallPlace; attrs: burrow.FileAttributes; data: Buffer }> = [];

  constructor(private readonly events: SmallFilesEvents) {}

  /** Queues a file of `pieces` (copied before this resolves); resolves once the caller may go on. */
  async add(place: SmallPlace, pieces: readonly Buffer[], attrs: burrow.FileAttributes): Promise<void> {
    const size = pieces.reduce((n, p) => n + p.length, 0);
    if (this.batch !== null && !this.batch.fits(place.at.name, size)) this.send();
    while (this.waiting.length + this.running >= BATCHES_OUT) await this.oneDone();
    const batch = (this.batch ??= this.spare.pop() ?? newCreateBatch(BATCH_BYTES, BATCH_FILES));
    const parent = parentPath(place.at);
    let dir = this.lastParent?.path.equals(parent) === true ? this.lastParent.index : -1;
    if (dir < 0) {
      dir = batch.addDirectory(place.dir);
      this.lastParent = { path: parent, index: dir };
    }
    batch.add(dir, place.at.name, pieces, {
      mode: attrs.mode, uid: attrs.uid, gid: attrs.gid, atime: attrs.atime ?? EPOCH, mtime: attrs.mtime ?? EPOCH,
    });
    this.queued.push({ place, attrs });
    this.sendAtTurnEnd ??= setImmediate(() => this.send());
  }

  /** Sends the batch being filled: it runs as soon as the pool has room for it. */
  private send(): void {
    if (this.sendAtTurnEnd !== null) clearImmediate(this.sendAtTurnEnd);
    this.sendAtTurnEnd = null;
    const batch = this.batch;
    if (batch === null) return;
    this.waiting.push({ batch, queued: this.queued });
    this.batch = null;
    this.queued = [];
    this.lastParent = null;
    this.startWaiting();
  }

  private startWaiting(): void {
    while (this.running < BATCHES_RUNNING && this.waiting.length > 0) {
      const { batch, queued } = this.waiting.shift()!;
      this.running++;
      void batch.run(canChown).then(
        async (results) => {
          await this.settle(batch, queued, results);
          if (this.spare.length < BATCHES_OUT) {
            batch.reuse();
            this.spare.push(batch);
          }
        },
        (err: unknown) => { for (const q of queued) this.fail(q.place.at.path, err); },
      ).finally(() => {
        this.running--;
        this.startWaiting();
        for (const wake of this.wakeOnDone.splice(0)) wake();
      });
    }
  }

  private oneDone(): Promise<void> {
    return new Promise((wake) => this.wakeOnDone.push(wake));
  }

  private async settle(batch: CreateBatch, queued: readonly Queued[], results: ReadonlyArray<NodeJS.ErrnoException | null>): Promise<void> {
    for (let i = 0; i < queued.length; i++) {
      const err = results[i];
      if (err == null || this.abandoned) continue;
      const q = queued[i] as Queued;
      if (err.code === 'ENOSPC' || err.code === 'EDQUOT') {
        this.noSpace.push({ place: q.place, attrs: q.attrs, data: Buffer.from(batch.dataOf(i)) });
        continue;
      }
      if (err.code !== 'EEXIST') {
        this.fail(q.place.at.path, err);
        continue;
      }
      try {
        await this.events.remake(q.place, q.attrs, batch.dataOf(i));
      } catch (e) {
        this.fail(q.place.at.path, e);
      }
    }
  }

  private fail(path: Buffer, err: unknown): void {
    if (!this.abandoned) this.events.failed(path, err);
  }

  /** Makes the files a batch found no room for again, the writer's usual way (see noSpace); a failure now is reported. */
  async retryNoSpace(): Promise<void> {
    for (const f of this.noSpace.splice(0)) {
      if (this.abandoned) return;
      try {
        await this.events.remake(f.place, f.attrs, f.data);
      } catch (e) {
        this.fail(f.place.at.path, e);
      }
    }
  }

  /** Sends what is queued and resolves once every batch has been made (its taken names decided, its files without room made again). */
  async drain(): Promise<void> {
    this.send();
    while (this.running > 0 || this.waiting.length > 0) await this.oneDone();
    await this.retryNoSpace();
  }

  /** The restore gave up: nothing more is sent or reported (batches on the pool end by themselves). */
  abandon(): void {
    this.abandoned = true;
    if (this.sendAtTurnEnd !== null) clearImmediate(this.sendAtTurnEnd);
    this.sendAtTurnEnd = null;
    for (const w of this.waiting.splice(0)) w.batch.discard();
    this.batch?.discard();
    this.batch = null;
    this.queued = [];
  }
}

/**
 * One small file's data, kept until the file ends, then queued in a batch. Data that
 * is not what the attributes promised (out of order, or more than SMALL_FILE_BYTES)
 * makes it an ordinary file (`promote`: the writer's usual way, null when the
 * replace rules keep what is there), written from then on as it comes.
 */
export class SmallFile implements DataTarget {
  private pieces: Buffer[] = [];
  private releases: Array<() => void> = [];
  private end = 0;
  private promoted: PendingFile | null | undefined = undefined;

  constructor(
    private readonly files: SmallFiles,
    private readonly place: SmallPlace,
    private readonly attrs: burrow.FileAttributes,
    private readonly digest: StreamedDigest,
    private readonly promote: (digest: StreamedDigest) => PendingFile | null,
  ) {}

  async write(stream: burrow.Stream, payload: Buffer, release?: () => void): Promise<number> {
    if (this.promoted !== undefined) return this.promoted === null ? 0 : this.promoted.write(stream, payload, release);
    const { offset, body } = readDataPayload(payload);
    const bytes = await decodeChunk(stream, body);
    await this.digest.add(offset, bytes);
    if (offset === this.end && this.end + bytes.length <= SMALL_FILE_BYTES) {
      this.pieces.push(bytes);
      if (release !== undefined) this.releases.push(release);
      this.end += bytes.length;
      return bytes.length;
    }
    const file = this.promote(this.digest);
    this.promoted = file;
    if (file === null) {
      this.forget();
      release?.();
      return 0;
    }
    let at = 0;
    for (const piece of this.pieces) at += await file.writeBytes(at, piece);
    this.forget();
    return file.writeBytes(offset, bytes, release);
  }

  setDigest(d: burrow.FileDigest): void {
    this.digest.expect(d);
  }

  async commit(): Promise<CommitResult> {
    if (this.promoted !== undefined) return this.promoted === null ? { error: null, warnings: [] } : this.promoted.commit();
    try {
      const short = shortfall(this.end, this.attrs);
      const checkLater = short === null ? this.digest.later() : null;
      const error = short ?? (checkLater !== null ? null : await this.digest.check(async (h) => {
        for (const piece of this.pieces) h.update(piece);
        return h.digest();
      }));
      this.digest.drop();
      await this.files.add(this.place, this.pieces, this.attrs);
      return checkLater === null ? { error, warnings: [] } : { error, warnings: [], checkLater };
    } finally {
      this.forget();
    }
  }

  async abandon(): Promise<void> {
    this.digest.drop();
    this.forget();
    if (this.promoted) await this.promoted.abandon();
  }

  /** Lets go of the data records' frames. */
  private forget(): void {
    for (const release of this.releases) release();
    this.releases = [];
    this.pieces = [];
  }
}
