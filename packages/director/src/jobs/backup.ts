/**
 * A Backup job from the Director's side (DESIGN.md, "How a backup flows"): reserve a
 * session on the SD, hand the FD its marching orders with the SD's one-job token,
 * then serve both conversations — volumes for the SD, file coordinates into the
 * catalog, log lines into the job log — until both report their end. The rest of the
 * job's life is the template's (lifecycle.ts).
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import { timestampFromMs, type burrow } from '@burrow/common/proto/index';
import type { StateSnapshot } from '../catalog/index.js';
import { connectStorageIfPassive, openClient } from '../fd/client-link.js';
import { dataChannel } from './data-channel.js';
import { awaitClientEnd } from '../fd/job-end.js';
import { serveBackupSession } from '../sd/backup-session.js';
import { VolumeWait } from './volume-wait.js';
import { awaitSessionReady, reservationOf } from '../sd/storage-link.js';
import { reserveStorage, type WritingSession } from './storage-choice.js';
import { reportDriveSession, type DriveSession } from './drive-session.js';
import { retryNotice } from './persisting.js';
import { accurateComparesDigests, recordDeleted, sendState } from './accurate.js';
import { currentChain, withContinued, type Basis } from './baseline.js';
import { endStorageIfClientFailed, finalStatus, type Peers } from './conversation.js';
import { expandOnDirector } from './fileset-lists.js';
import { listDate } from './format.js';
import type { PercentVars } from '../messages/percent.js';
import type { JobContext, JobType } from './lifecycle.js';
import { clientEnded, storageEnded } from './peer-totals.js';
import { LEVEL_NAMES, type BackupPlan } from './plan.js';
import { backupReport, type BackupTotals } from './report.js';
import { clientScripts } from './run-scripts.js';
import { statusWords } from './status.js';
import { writeJobBootstrap } from './write-bootstrap.js';
import { autoprune } from '../media/autoprune.js';
import { JobVolumes } from '../media/job-volumes.js';
import { lowerLimit } from '@burrow/common/net/bandwidth';

/**
 * The state an accurate Incremental or Differential compares with; none for a Full.
 * A job that continues an Incomplete one (of any level, accurate or not) compares with
 * the state that one built on plus what it saved: it sends only what that one did not.
 */
async function accurateState(ctx: JobContext, plan: BackupPlan, basis: Basis): Promise<StateSnapshot | null> {
  const { catalog } = ctx.env;
  const continued = basis.continues === null ? [] : await withContinued(catalog, basis.continues);
  if (continued.length === 0 && (!plan.accurate || basis.prior === null || plan.level === 'F')) return null;
  const chain = basis.prior === null || plan.level === 'F' ? []
    : (await currentChain(catalog, plan.client.name, { fileSetId: basis.prior.fileSetId ?? undefined })).filter((j) => plan.level !== 'D' || j.level === 'F');
  return catalog.snapshotCurrentState([...chain, ...continued].map((j) => j.jobId), { digests: accurateComparesDigests(plan.fileset.spec) });
}

/** A backup of `plan` at its decided level, building on `basis`. */
export function backupJob(plan: BackupPlan, basis: Basis): JobType {
  const totals: BackupTotals = {
    fdFiles: 0, fdBytes: 0, fdErrors: 0, fdStatus: 'E', sdFiles: 0, sdBytes: 0, sdStatus: 'E', volumes: { names: [], lastVolumeBytes: 0, savedFiles: 0 },
  };
  // Filled in once the job talks to the FD; dropped at the end.
  let accurate: StateSnapshot | null = null;
  // The plan with the Storage the backup writes to, once one answered (storage-choice.ts).
  let writing = plan;
  const job: JobType = {
    noun: 'backup', messages: plan.messages, scripts: plan.scripts, totals,
    start: ({ id, log, storagesWithRoom }) => {
      // Counted by the queue against the first Storage with room from the start (before any await), then the one it writes to.
      const room = new Set((storagesWithRoom?.() ?? plan.storages.map((s) => s.name)).map((n) => n.toLowerCase()));
      const first = plan.storages.find((s) => room.has(s.name.toLowerCase()));
      if (first) writing = { ...plan, storage: first };
      log.info(`Start Backup JobId ${id.jobId}, Job=${id.job}`);
      if (basis.note) log.info(basis.note);
      log.info(`Using Pool "${plan.pool.name}" (From ${plan.poolSource}).`);
    },
    vars: ({ env, id }, status) => ({
      c: plan.client.name, d: env.directorName, e: status ? statusWords(status) : '', i: String(id.jobId), j: id.job, l: LEVEL_NAMES[plan.level],
      n: plan.jobName, t: 'Backup', v: totals.volumes.names.join('|'), s: basis.since === null ? '' : listDate(basis.since), b: String(totals.sdBytes),
      F: String(totals.sdFiles), p: plan.pool.name, w: writing.storage.name, h: plan.client.address, x: plan.spool.data ? 'yes' : 'no',
    }),
    open: async (ctx, peers) => {
      // Those of its Storages at their Director limit are passed over; all of them if each is (the queue let it start).
      const room = new Set((ctx.storagesWithRoom?.() ?? []).map((n) => n.toLowerCase()));
      const withRoom = plan.storages.filter((s) => room.has(s.name.toLowerCase()));
      const session = await reserveStorage(ctx, withRoom.length > 0 ? withRoom : plan.storages, (target, sd, onlyIfFree) => {
        peers.sd = sd;
        return openSession(ctx, { ...plan, storage: target }, sd, onlyIfFree);
      });
      peers.sd = session.sd;
      writing = { ...plan, storage: session.target };
      const drive = reportDriveSession(ctx, {
        storage: session.target.name, device: session.ready.device || session.target.device, sd: session.sd, mode: 'append', pool: plan.pool.name,
      });
      const orders = { plan: writing, basis, vars: job.vars(ctx), keepState: (state: StateSnapshot | null): void => { accurate = state; } };
      const { sd, fd } = await giveOrders(ctx, peers, session, orders);
      return [serveStorage(ctx, { plan: writing, totals, sd, drive }), serveClient(ctx, { peers, totals, fd, state: accurate })];
    },
    conversed: async (ctx) => {
      await accurate?.drop();
      // Bareos writes it when the backup ended well and wrote data, before the After scripts.
      const status = finalStatus(ctx.log, totals.fdStatus, totals.sdStatus, ctx.signal);
      if (plan.writeBootstrap !== null && (status === 'T' || status === 'W') && totals.sdBytes > 0) {
        await writeJobBootstrap(ctx, { template: plan.writeBootstrap, vars: job.vars(ctx), level: plan.level, since: basis.since });
      }
      const { catalog, clock } = ctx.env;
      for (const line of await autoprune(catalog, plan.pruning, await catalog.getPool(plan.pool.name), clock.now())) ctx.log.info(line);
    },
    counts: () => ({ jobFiles: totals.sdFiles, jobBytes: totals.sdBytes, readBytes: totals.fdBytes, since: basis.since }),
    keeps: async ({ env, id, log }) => {
      const saved = totals.volumes.savedFiles;
      if (saved === 0) return null;
      const kept = await env.catalog.keepFilesUpTo(id.jobId, saved);
      log.info(`The job is Incomplete: the ${kept} files its last checkpoint saved stay in the catalog and can be restored` +
        `; the next ${LEVEL_NAMES[plan.level]} of Job "${plan.jobName}" continues from them.`);
      return kept;
    },
    report: (common) => backupReport({ ...common, plan: writing, totals, since: basis.since }),
    storageInUse: () => writing.storage.name,
  };
  return job;
}

interface BackupOrders {
  plan: BackupPlan;
  basis: Basis;
  vars: PercentVars;
  /** Hears the accurate state as soon as it exists, so that it is dropped whatever happens next. */
  keepState: (state: StateSnapshot | null) => void;
}

/** Asks the SD for the job's session (a drive reserved, only if one is free now when so asked). */
async function openSession(ctx: JobContext, plan: BackupPlan, sd: Channel, onlyIfFree: boolean): Promise<burrow.SdSessionReady> {
  const { env, id, log, signal } = ctx;
  // Both go into the session labels: bscan gives them back to a rebuilt catalog (the FileSet row and the since of the next Incremental).
  const startTime = (await env.catalog.getJob(id.jobId))?.startTime;
  await sd.send('sdBackup', {
    jobId: id.jobId, jobName: id.job, client: plan.client.name, fileset: plan.fileset.name,
    filesetDigest: plan.fileset.digest, jobStartTime: startTime == null ? null : timestampFromMs(startTime),
    level: LEVEL_NAMES[plan.level], pool: plan.pool.name, poolType: 'Backup', ...reservationOf(plan.storage), onlyIfFree,
    poolAllowedClients: [...plan.pool.allowedClients],
    spoolData: plan.spool.data, spoolAttributes: plan.spool.attributes, spoolSize: plan.spool.size,
  });
  return awaitSessionReady(sd, { log, storageName: plan.storage.name, signal });
}

/** With the SD session reserved, gives the FD its orders (and, accurate, the state). */
async function giveOrders(ctx: JobContext, peers: Peers, { sd, ready }: WritingSession, { plan, basis, vars, keepState }: BackupOrders): Promise<{ sd: Channel; fd: Channel }> {
  const { env, id, log, signal } = ctx;
  log.info(`Using Device "${ready.device || plan.storage.device}" to write.`);
  const fd = peers.fd = await openClient(env, plan.client, signal, retryNotice(ctx));
  const state = await accurateState(ctx, plan, basis);
  keepState(state);
  await fd.send('fdBackup', {
    jobId: id.jobId, jobName: id.job, level: LEVEL_NAMES[plan.level], since: basis.since === null ? null : timestampFromMs(basis.since),
    fileset: await expandOnDirector(plan.fileset.spec, signal),
    sdAddress: dataChannel(plan.client, plan.storage).storageAddress, sdPort: plan.storage.port, token: ready.token, scripts: clientScripts(plan.scripts, vars),
    accurate: state !== null, accurateCount: state?.count ?? 0, passive: plan.client.passive,
    // The lowest of the Job's (or Client's) limit and the Storage daemon's.
    maximumBandwidth: lowerLimit(plan.maximumBandwidth, Number(ready.maximumBandwidth ?? 0)),
  });
  await connectStorageIfPassive(plan.client, dataChannel(plan.client, plan.storage).clientAddress, sd);
  if (state) {
    log.info(`Accurate mode: sending the state of ${state.count} files to the client.`);
    await sendState(fd, state);
  }
  return { sd, fd };
}

function serveStorage(ctx: JobContext, { plan, totals, sd, drive }: { plan: BackupPlan; totals: BackupTotals; sd: Channel; drive: DriveSession }): Promise<void> {
  const { env, id } = ctx;
  const media = new JobVolumes({
    catalog: env.catalog, reservations: env.reservations, clock: env.clock, jobId: id.jobId, poolName: plan.pool.name,
    mediaType: plan.storage.mediaType, storageName: plan.storage.name, device: plan.storage.device, autoChanger: plan.storage.autoChanger, pruneVolumes: plan.pruning.pruneVolumes,
    job: { job: id.job, jobName: plan.jobName, jobId: id.jobId, client: plan.client.name, level: LEVEL_NAMES[plan.level], storage: plan.storage.name, catalog: env.catalogName },
  });
  const wait = new VolumeWait({
    jobId: id.jobId, job: id.job, pool: plan.pool.name, mediaType: plan.storage.mediaType, storage: plan.storage.name,
    catalog: env.catalog, log: ctx.log, waits: ctx.waits, clock: env.clock,
  });
  return serveBackupSession({
    sd, catalog: env.catalog, jobId: id.jobId, media, pool: plan.pool, storage: plan.storage, log: ctx.log, volumes: totals.volumes, wait, signal: ctx.signal, drive,
  }).then((end) => {
    totals.sdFiles = end.files;
    totals.sdBytes = end.bytes;
    storageEnded(totals)(end.status);
  });
}

/** The FD's part; in accurate mode it also reports the files gone since the state. */
interface ClientPart {
  peers: Peers;
  totals: BackupTotals;
  fd: Channel;
  /** The accurate state sent to the FD; null when not accurate. */
  state: StateSnapshot | null;
}

function serveClient(ctx: JobContext, { peers, totals, fd, state }: ClientPart): Promise<void> {
  const { log } = ctx;
  let deleted = 0;
  return awaitClientEnd({
    fd, log, signal: ctx.signal, handle: async (msg) => {
      if (msg.kind !== 'accurateDeleted' || !state) return false;
      deleted += await recordDeleted(ctx.env.catalog, ctx.id.jobId, state, msg.body.seqs);
      return true;
    },
  })
    .then(clientEnded(totals))
    .then(() => { if (state) log.info(`Accurate mode: ${deleted} files recorded as deleted.`); })
    .finally(endStorageIfClientFailed(peers, ctx.id.jobId, () => totals.fdStatus));
}
