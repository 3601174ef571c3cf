/**
 * A restore on the client: records from the SD's read sessions, written by one
 * RestoreWriter. The files chosen may lie on several Storage daemons: the Director then
 * opens one read session on each in turn, and the client reads them one after the other.
 * A passive client (Passive = yes) connects to none of them: each next session's Storage
 * daemon connects to it, proving the token that came with the Director's word for it.
 */
import type { OpenedSession } from '@burrow/common/net/job-sessions';
import { BurrowError } from '@burrow/common/errors/index';
import type { burrow, Message } from '@burrow/common/proto/index';
import { REPLACE_MODES, RestoreWriter, type ReplaceMode } from '../restore/index.js';
import { checkOwnLocation, ownerOf } from '../restore/owner.js';
import { openStorageSession, readSession, type DataLink, type SessionAddress } from '../sd/storage-link.js';
import { Hashers } from '../digest/hashers.js';
import type { DigestThread } from '../digest/thread.js';
import type { JobReporter } from './job-reporter.js';
import type { LiveProgress } from '../context.js';
import type { CommandRefusal } from '../fileset/lists.js';
import type { Bandwidth } from '@burrow/common/net/bandwidth';
import { parseRegexWhere } from '@burrow/common/names/rewrite';

function replaceMode(text: string | null | undefined): ReplaceMode {
  const mode = (text || 'always').toLowerCase();
  if (!(REPLACE_MODES as readonly string[]).includes(mode)) throw new BurrowError('PROTOCOL', `unknown replace mode "${text}"`);
  return mode as ReplaceMode;
}

export interface RestoreJobContext {
  signal: AbortSignal;
  reporter: JobReporter;
  /** The client's script policy, for bpipe writer commands. */
  commandRefusal: CommandRefusal;
  /** The FileDaemon resource's TLS Enable: whether the data channel uses TLS. */
  dataTls: boolean;
  /** The daemon's digest thread, for large files. */
  digestThread: DigestThread;
  /** A passive client's sessions, which the Storage daemons connect to (storage-link.ts). */
  passive?: PassiveSessions;
  /** The FileDaemon resource's Heartbeat Interval, in ms. */
  heartbeatMs: number;
  /** The FileDaemon resource's SD Connect Timeout, in ms. */
  sdConnectTimeoutMs: number;
  /** The job's limit for the data it reads (the order's Maximum Bandwidth, setbandwidth). */
  bandwidth: Bandwidth;
  /** The Director's messages during the job: each next read session's address. */
  fromDirector: () => Promise<Message>;
  /** Where status client reads how far the restore got. */
  live: LiveProgress;
}

/** A passive client's read sessions: the first opened with the order, each next one with the token of its own. */
export interface PassiveSessions {
  readonly first: OpenedSession;
  open(token: Buffer): OpenedSession;
}

export async function runRestoreJob(order: burrow.FdRestoreOrder, c: RestoreJobContext): Promise<burrow.IFdJobEnd> {
  const { signal, reporter, commandRefusal } = c;
  const { jobId } = order;
  const where = Buffer.from(order.where);
  // A user's own restore: refused before anything is read when the location is not theirs.
  const owner = order.restoreOwner ? ownerOf(order.restoreOwner) : undefined;
  if (owner) checkOwnLocation(where, owner);
  if (order.regexWhere) {
    // A rewrite replaces where (as in Bareos): the rewritten names are the places written.
    if (where.length > 0) throw new BurrowError('BAD_REQUEST', 'a restore order gives both where and regexwhere; a rewrite replaces where, so only one may be given');
    if (owner) throw new BurrowError('BAD_REQUEST', "a user's own restore goes below its where; a rewrite would replace it");
  }
  const writer = new RestoreWriter({
    where,
    hashers: await Hashers.create(c.digestThread),
    owner,
    replace: replaceMode(order.replace),
    signal,
    onFileIssue: (issue) => reporter.fileIssue(issue),
    commandRefusal,
    // The Director checked it already; a bad one from elsewhere still fails the job here, before any write.
    rewrites: order.regexWhere ? parseRegexWhere(order.regexWhere) : undefined,
  });
  c.live.sample = () => writer.progress();
  const link: DataLink = { signal, tls: c.dataTls, caution: (text: string) => reporter.say('caution', text), heartbeatMs: c.heartbeatMs, connectTimeoutMs: c.sdConnectTimeoutMs, bandwidth: c.bandwidth };
  let wireBytes = 0;
  let upcoming: Promise<ReadSessionTurn> | undefined;
  try {
    const sessions = Math.max(1, order.readSessions);
    let current: ReadSessionTurn = { address: { jobId, sdAddress: order.sdAddress, sdPort: order.sdPort, token: order.token }, passive: c.passive?.first };
    for (let i = 0; i < sessions; i++) {
      // The next session is taken up as soon as the Director names it, while this one is still
      // read: its Storage daemon, told at once to connect to a passive client, finds it waiting.
      upcoming = i + 1 < sessions ? nextTurn(c, jobId) : undefined;
      try {
        wireBytes += await readFrom(current.address, writer, { ...link, passive: current.passive });
      } finally {
        if (i > 0) current.passive?.cancel();
      }
      if (upcoming) current = await upcoming;
    }
  } catch (err) {
    writer.abandon();
    // A next session named but never read: its Storage daemon may not connect to us any more.
    upcoming?.then((turn) => turn.passive?.cancel(), () => undefined);
    throw err;
  }
  const totals = await writer.finish();
  return { files: totals.files, bytes: totals.bytes, errors: totals.errors, status: reporter.status(), wireBytes };
}

/** Reads one SD session to its end into the writer; returns the data bytes received. */
async function readFrom(address: SessionAddress, writer: RestoreWriter, link: DataLink): Promise<number> {
  const sd = await openStorageSession(address, link);
  try {
    return await readSession(sd, writer, link.signal, 'restore', link.bandwidth);
  } finally {
    sd.close('restore stream done');
  }
}

/** A read session to read: where it is, and for a passive client the session its Storage daemon connects to. */
interface ReadSessionTurn {
  address: SessionAddress;
  passive: OpenedSession | undefined;
}

/** The next read session, once the Director names it; a passive client opens its session for that token at once. */
function nextTurn(c: RestoreJobContext, jobId: number): Promise<ReadSessionTurn> {
  const turn = nextSession(c.fromDirector, jobId).then((address) => ({ address, passive: c.passive?.open(Buffer.from(address.token)) }));
  turn.catch(() => undefined); // Awaited by the loop, or given up with the job: never an unhandled rejection.
  return turn;
}

/** The Director's word for the next read session, which it sends once the one before has ended. */
async function nextSession(fromDirector: () => Promise<Message>, jobId: number): Promise<burrow.FdReadNext> {
  const msg = await fromDirector();
  if (msg.kind !== 'fdReadNext' || msg.body.jobId !== jobId) throw new BurrowError('PROTOCOL', `the Director sent ${msg.kind} where the restore's next read session was due`);
  return msg.body;
}
