/**
 * A Restore job from the Director's side: turn the selection into a bootstrap
 * (volumes, sessions, block addresses, file indexes) — or read one from a `.bsr` file
 * (docs/bootstrap-format.md) — open a read session on the SD, and have the (restore)
 * client's FD fetch and write the files. When the volumes lie on several Storage
 * daemons (a Full on sd1, an Incremental on sd2), the job reads one session per SD in
 * turn, the FD going on to the next as each ends (storage-choice.ts readingParts); for
 * a passive client each SD in turn connects to the FD, as the first does.
 * The rest of the job's life is the template's (lifecycle.ts).
 */
import type { FileNamer } from '../messages/file-lines.js';
import { readFile, writeFile } from 'node:fs/promises';
import type { Bootstrap } from '@burrow/common/bootstrap/bootstrap';
import { parseBootstrapText, writeBootstrapText } from '@burrow/common/bootstrap/text';
import { bootstrapFileCount } from '@burrow/common/bootstrap/wire';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { displayPath } from '@burrow/common/names/index';
import { burrow } from '@burrow/common/proto/index';
import { connectStorageIfPassive, openClient, type ClientTarget } from '../fd/client-link.js';
import { dataChannel } from './data-channel.js';
import { awaitClientEnd } from '../fd/job-end.js';
import { awaitReadSessionEnd } from '../sd/read-session.js';
import { reportDriveSession, type DriveSession } from './drive-session.js';
import { openReadSession, type ReadSession, type StorageTarget } from '../sd/storage-link.js';
import { partVolumes, readingParts, type ReadPart } from './storage-choice.js';
import { cartridgeWait, type CartridgeWait } from './cartridge-wait.js';
import { retryNotice, storagePersisting } from './persisting.js';
import { endStorageIfClientFailed, type Peers } from './conversation.js';
import type { JobContext, JobType } from './lifecycle.js';
import { chooseFiles } from './chosen-files.js';
import type { PercentVars } from '../messages/percent.js';
import { clientEnded, storageEnded } from './peer-totals.js';
import type { RestorePlan } from './plan.js';
import { restoreReport, type RestoreTotals } from './report.js';
import { clientScripts } from './run-scripts.js';
import { reportDate } from './format.js';
import { statusWords, worse } from './status.js';
import type { Channel } from '@burrow/common/net/channel';

export function restoreJob(plan: RestorePlan): JobType {
  const totals: RestoreTotals = { expectedFiles: 0, expectedBytes: 0, fdFiles: 0, fdBytes: 0, fdErrors: 0, fdStatus: 'E', sdStatus: 'E' };
  // The Storage the volumes are read with, once the selection is known (storage-choice.ts).
  const reading = { storage: plan.storage };
  const job: JobType = {
    noun: 'restore', messages: plan.messages, scripts: plan.scripts, totals,
    start: ({ log, id }) => log.info(`Start Restore Job ${id.job}`),
    vars: ({ env, id }, status) => ({
      c: plan.restoreClient.name, d: env.directorName, e: status ? statusWords(status) : '', i: String(id.jobId), j: id.job, l: '',
      n: plan.jobName, t: 'Restore', b: String(totals.fdBytes), F: String(totals.fdFiles), w: reading.storage.name, h: plan.restoreClient.address, x: 'no',
    }),
    open: (ctx, peers) => openRestore(ctx, peers, { plan, totals, reading, vars: job.vars(ctx) }),
    conversed: ({ log, signal }) => {
      if (totals.fdFiles !== totals.expectedFiles && log.status === 'T' && !signal.aborted) {
        log.warning(`${totals.expectedFiles} files were expected but ${totals.fdFiles} restored`);
      }
    },
    counts: () => ({ jobFiles: totals.fdFiles, jobBytes: totals.fdBytes }),
    report: (common) => restoreReport({ ...common, plan, totals }),
  };
  return job;
}

interface RestoreRun {
  plan: RestorePlan;
  totals: RestoreTotals;
  reading: { storage: StorageTarget };
  vars: PercentVars;
}

/** What the console chose, or else what the catalog selects now (with the targets of chosen hard links), as a bootstrap. */
async function fromCatalog(ctx: JobContext, plan: RestorePlan): Promise<Bootstrap> {
  const { log, env: { catalog } } = ctx;
  const chosen = plan.chosen ?? await selectNow(ctx, plan);
  for (const p of chosen.linkTargets) log.info(`Also restoring ${displayPath(p)}: it holds the data of a chosen hard link.`);
  if (chosen.bootstrap.sections.length === 0) throw new BurrowError('NOT_FOUND', `no files selected from JobId(s) ${plan.jobIds.join(',')}`);
  return chosen.bootstrap;
}

/** The newest version of the plan's paths among its jobs, chosen when the job starts. */
async function selectNow(ctx: JobContext, plan: RestorePlan): ReturnType<typeof chooseFiles> {
  const { catalog } = ctx.env;
  const rows = await catalog.selectRestoreFiles(plan.jobIds, plan.paths.length ? { paths: plan.paths } : undefined);
  return chooseFiles(catalog, plan.jobIds, rows, rows.filter((r) => r.type === burrow.FileType.FT_HARDLINK));
}

/** What a bootstrap file selects; its sections must name the Storage the job reads with, if any. */
async function fromFile(ctx: JobContext, plan: RestorePlan, file: string): Promise<Bootstrap> {
  let text: string;
  try {
    text = await readFile(file, { encoding: 'utf8', signal: ctx.signal });
  } catch (err) {
    throw new BurrowError('NOT_FOUND', `cannot read bootstrap file ${file}: ${describeError(err)}`, { cause: err });
  }
  const bootstrap = parseBootstrapText(text, file);
  const usable = (name: string): boolean => plan.storages.some((s) => s.name.toLowerCase() === name.toLowerCase());
  const other = bootstrap.sections.find((s) => s.storage !== undefined && !usable(s.storage));
  if (other) throw new BurrowError('BAD_REQUEST', `bootstrap ${file} reads Volume "${other.volume}" with Storage "${other.storage}", but the job reads with Storage "${plan.storage.name}": give storage=${other.storage}`);
  ctx.log.info(`Restoring what bootstrap ${file} selects.`);
  return bootstrap;
}

/** The text form of the restore's bootstrap, written where `bootstrap=` said (Bareos's restore.bsr). */
async function keepText(ctx: JobContext, plan: RestorePlan, parts: readonly ReadPart[]): Promise<void> {
  const file = plan.writeBootstrap ?? '';
  const sections = parts.flatMap((p) => p.bootstrap.sections.map((s) => ({ ...s, storage: p.storage.name })));
  const text = writeBootstrapText({ sections }, { comments: [`${reportDate(ctx.env.clock.now())} - ${ctx.id.job} - Restore`] });
  try {
    await writeFile(file, text);
    ctx.log.info(`Bootstrap records written to ${file}`);
  } catch (err) {
    ctx.log.warning(`Could not write bootstrap file ${file}: ${describeError(err)}`);
  }
}

async function openRestore(ctx: JobContext, peers: Peers, run: RestoreRun): Promise<Array<Promise<void>>> {
  const { env, id, log, signal } = ctx;
  const { plan, totals, reading, vars } = run;
  const bootstrap = plan.bootstrapFile === undefined ? await fromCatalog(ctx, plan) : await fromFile(ctx, plan, plan.bootstrapFile);
  const parts = readingParts(bootstrap, plan.storages, plan.storage);
  const first = parts[0];
  if (first === undefined) throw new BurrowError('NOT_FOUND', 'the bootstrap selects no volume');
  reading.storage = first.storage;
  sayWhereRead(ctx, plan, parts);
  if (plan.writeBootstrap !== undefined) await keepText(ctx, plan, parts);
  const files = totals.expectedFiles = bootstrapFileCount(bootstrap);
  const volumes = [...new Set(bootstrap.sections.map((s) => s.volume))];
  log.info(`Restoring ${files} files from ${volumes.length} volume(s): ${volumes.join(', ')}`);
  if (plan.regexWhere) log.info(`Names rewritten by RegexWhere ${plan.regexWhere}`);
  if (plan.owner) log.info(`A user's own restore: everything restored belongs to uid ${plan.owner.uid}`);
  const session = await openPart(ctx, peers, first);
  const fd = peers.fd = await openClient(env, plan.restoreClient, signal, retryNotice(ctx));
  await fd.send('fdRestore', {
    jobId: id.jobId, jobName: id.job, where: plan.where, replace: plan.replace, regexWhere: plan.regexWhere,
    sdAddress: dataChannel(plan.restoreClient, first.storage).storageAddress, sdPort: first.storage.port, token: session.token, expectedFiles: files,
    scripts: clientScripts(plan.scripts, vars),
    restoreOwner: plan.owner ?? null, passive: plan.restoreClient.passive,
    readSessions: parts.length, maximumBandwidth: plan.maximumBandwidth,
  });
  await connectStorageIfPassive(plan.restoreClient, dataChannel(plan.restoreClient, first.storage).clientAddress, session.sd);
  const client = { ended: false };
  const clientDone = awaitClientEnd({ fd, log, signal, nameFile: namer(ctx) })
    .then(clientEnded(totals))
    .finally(() => { client.ended = true; })
    .finally(endStorageIfClientFailed(peers, id.jobId, () => totals.fdStatus));
  return [readParts(ctx, peers, { parts, session, fd, restoreClient: plan.restoreClient, totals, client }), clientDone];
}

/** Damaged records are known on the volume by JobId and FileIndex only: the catalog names them. */
function namer({ env }: JobContext): FileNamer {
  return (jobId, fileIndex) => env.catalog.filePath(jobId, fileIndex);
}

/** Says in the job log which Storage reads what, when that is not simply the Job's first. */
function sayWhereRead({ log }: JobContext, plan: RestorePlan, parts: readonly ReadPart[]): void {
  const [first] = parts;
  if (parts.length > 1) {
    const each = parts.map((p) => `${partVolumes(p).join(', ')} with Storage "${p.storage.name}"`);
    log.info(`The volumes lie on ${new Set(parts.map((p) => p.storage)).size} Storage daemons; reading ${each.join(', then ')}.`);
  } else if (first && first.storage !== plan.storage) {
    log.info(`Reading with Storage "${first.storage.name}", which holds the volumes (Media Type ${first.storage.mediaType}).`);
  }
}

/** A part's read session, with its wait for cartridges and its drive's live events. */
type PartSession = ReadSession & { wait: CartridgeWait; drive: DriveSession };

/**
 * Opens the read session of one part on its Storage daemon, once the cartridges it needs
 * are in the changer; the job's cancel then goes there. `wait` serves the session's
 * requests for a cartridge it finds out of the changer.
 */
async function openPart(ctx: JobContext, peers: Peers, part: ReadPart): Promise<PartSession> {
  const { env, id, log, signal } = ctx;
  const wait = cartridgeWait(ctx, part.storage);
  await wait.untilIn(partVolumes(part));
  const session = await openReadSession(part.storage, env.directorName, {
    jobId: id.jobId, jobName: id.job, bootstrap: part.bootstrap, signal, log, opened: (channel) => { peers.sd = channel; }, persisting: storagePersisting(ctx),
  });
  log.info(`Using Device "${session.device}" to read.`);
  const drive = reportDriveSession(ctx, { storage: part.storage.name, device: session.device, sd: session.sd, mode: 'read' });
  return { ...session, wait, drive };
}

interface PartsRun {
  parts: readonly ReadPart[];
  /** The first part's session, opened before the FD was given its order. */
  session: PartSession;
  fd: Channel;
  /** The restore client, whose Lan Address may say where the FD reaches each part's SD. */
  restoreClient: ClientTarget;
  totals: RestoreTotals;
  client: { ended: boolean };
}

/**
 * Serves each part's read session to its end, then opens the next and sends the FD
 * its address; the SD status is the worst of the sessions'. When a part fails, or a
 * next session cannot be opened, the FD, which may be waiting for it, is canceled, so
 * its end still comes.
 */
async function readParts(ctx: JobContext, peers: Peers, { parts, session, fd, restoreClient, totals, client }: PartsRun): Promise<void> {
  const { id, log, signal } = ctx;
  let { sd, wait, drive } = session;
  for (const [i, part] of parts.entries()) {
    const status = await awaitReadSessionEnd({ sd, jobId: id.jobId, log, storageName: part.storage.name, signal, wait, nameFile: namer(ctx), drive });
    const before = totals.sdStatus;
    storageEnded(totals)(status);
    if (i > 0) totals.sdStatus = worse(before, totals.sdStatus);
    const failed = totals.sdStatus !== 'T' && totals.sdStatus !== 'W';
    // A part that failed ends the restore: the File daemon may be waiting for its Storage daemon still (a passive client, for its SD Connect Timeout).
    if (failed && !client.ended) await fd.send('cancel', { jobId: id.jobId }).catch(() => undefined);
    const next = parts[i + 1];
    if (next === undefined || failed || client.ended || signal.aborted) return;
    sd.close('read session done');
    try {
      const opened = await openPart(ctx, peers, next);
      ({ sd, wait, drive } = opened);
      const channel = dataChannel(restoreClient, next.storage);
      await fd.send('fdReadNext', { jobId: id.jobId, sdAddress: channel.storageAddress, sdPort: next.storage.port, token: opened.token });
      // A passive client: this part's Storage daemon connects to it, with this session's token.
      await connectStorageIfPassive(restoreClient, channel.clientAddress, sd);
    } catch (err) {
      await fd.send('cancel', { jobId: id.jobId }).catch(() => undefined);
      throw err;
    }
  }
}
