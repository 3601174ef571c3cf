/** A restore on the client: records from the SD session, written by a RestoreWriter. */
import type { OpenedSession } from '@burrow/common/net/job-sessions';
import { BurrowError } from '@burrow/common/errors/index';
import type { burrow } from '@burrow/common/proto/index';
import { REPLACE_MODES, RestoreWriter, type ReplaceMode } from '../restore/index.js';
import { checkOwnLocation, ownerOf } from '../restore/owner.js';
import { openStorageSession, readSession } from '../sd/storage-link.js';
import { Hashers } from '../digest/hashers.js';
import type { DigestThread } from '../digest/thread.js';
import type { JobReporter } from './job-reporter.js';
import type { CommandRefusal } from '../fileset/lists.js';
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
  /** A passive client's session, which the Storage daemon connects to (storage-link.ts). */
  passive?: OpenedSession;
  /** The FileDaemon resource's Heartbeat Interval, in ms. */
  heartbeatMs: number;
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
  const link = { signal, tls: c.dataTls, caution: (text: string) => reporter.say('caution', text), passive: c.passive, heartbeatMs: c.heartbeatMs };
  const sd = await openStorageSession({ jobId, sdAddress: order.sdAddress, sdPort: order.sdPort, token: order.token }, link);
  let wireBytes = 0;
  try {
    wireBytes = await readSession(sd, writer, signal, 'restore');
  } catch (err) {
    writer.abandon();
    throw err;
  } finally {
    sd.close('restore stream done');
  }
  const totals = await writer.finish();
  return { files: totals.files, bytes: totals.bytes, errors: totals.errors, status: reporter.status(), wireBytes };
}
