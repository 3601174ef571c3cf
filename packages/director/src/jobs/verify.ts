/**
 * A Verify job from the Director's side (Bareos's Type = Verify). The File daemon
 * reports what it meets — on its disk for InitCatalog, Catalog and DiskToCatalog; in
 * the verified job's data, read from the volumes by the SD with that job's bootstrap,
 * for VolumeToCatalog and Data — and the Director compares (verify-checks.ts), as
 * Bareos's does, so neither daemon needs the catalog. Differences on disk end the job
 * "OK -- with warnings"; damage on a volume ends it in Error. Each is named in the log.
 * The rest of the job's life is the template's (lifecycle.ts).
 */
import type { Channel } from '@burrow/common/net/channel';
import { buildBootstrap, type JobRow } from '../catalog/index.js';
import { connectStorageIfPassive, openClient } from '../fd/client-link.js';
import { dataChannel } from './data-channel.js';
import { awaitClientEnd } from '../fd/job-end.js';
import { awaitReadSessionEnd } from '../sd/read-session.js';
import { reportDriveSession } from './drive-session.js';
import { cartridgeWait } from './cartridge-wait.js';
import { openReadSession } from '../sd/storage-link.js';
import { BurrowError } from '@burrow/common/errors/index';
import { partVolumes, readingParts } from './storage-choice.js';
import { retryNotice, storagePersisting } from './persisting.js';
import { endStorageIfClientFailed, type Peers } from './conversation.js';
import { expandOnDirector } from './fileset-lists.js';
import type { JobContext, JobType } from './lifecycle.js';
import { clientEnded, storageEnded } from './peer-totals.js';
import type { VerifyPlan } from './plan.js';
import { clientScripts } from './run-scripts.js';
import { statusWords } from './status.js';
import { verifyCheck, type VerifyCheck } from './verify-checks.js';
import { verifyReport, type VerifyTotals } from './verify-report.js';
import { verifyTargets } from './verify-target.js';

const readsVolumes = (plan: VerifyPlan): boolean => plan.level === 'VolumeToCatalog' || plan.level === 'Data';

export function verifyJob(plan: VerifyPlan): JobType {
  const totals: VerifyTotals = {
    verified: null, expectedFiles: 0, examined: 0, differences: 0, fdFiles: 0, fdBytes: 0, fdErrors: 0, fdStatus: 'E', sdStatus: readsVolumes(plan) ? 'E' : 'T',
  };
  let fileSetId = 0;
  let check: VerifyCheck | null = null;
  const job: JobType = {
    noun: 'verify', messages: plan.messages, scripts: plan.scripts, totals,
    start: async ({ env, id, log }) => {
      log.info(`Start Verify JobId=${id.jobId} Level=${plan.level} Job=${id.job}`);
      fileSetId = await env.catalog.ensureFileSet(plan.fileset.name, plan.fileset.digest);
    },
    vars: ({ env, id }, status) => ({
      c: plan.client.name, d: env.directorName, e: status ? statusWords(status) : '', i: String(id.jobId), j: id.job, l: plan.level,
      n: plan.jobName, t: 'Verify', b: '0', F: String(totals.examined), w: plan.storage.name, h: plan.client.address, x: 'no',
    }),
    open: async (ctx, peers) => {
      const targets = await verifyTargets(ctx.env.catalog, plan, fileSetId);
      const last = targets[targets.length - 1];
      if (last) {
        totals.verified = { jobId: last.jobId, job: last.job };
        ctx.log.info(`Verifying against JobId${targets.length > 1 ? 's' : ''}=${targets.map((j) => j.jobId).join(',')} Job=${last.job}`);
      }
      const c = check = await verifyCheck({ catalog: ctx.env.catalog, level: plan.level, jobId: ctx.id.jobId, targets: targets.map((j) => j.jobId), log: ctx.log });
      totals.expectedFiles = c.expected;
      const order = { jobId: ctx.id.jobId, jobName: ctx.id.job, level: plan.level, scripts: clientScripts(plan.scripts, job.vars(ctx)) };
      const run: VerifyRun = { plan, totals, check: c, order, verified: last };
      return readsVolumes(plan) ? openVolumeVerify(ctx, peers, run) : openDiskVerify(ctx, peers, run);
    },
    conversed: ({ log, signal }) => {
      // What was never met is only missing when the whole walk or read got through.
      if (check === null || signal.aborted || (totals.fdStatus !== 'T' && totals.fdStatus !== 'W')) return;
      totals.differences = check.finish();
      if (totals.differences > 0) log.warning(`Verify found ${totals.differences} difference(s); each is named above.`);
    },
    counts: () => ({ jobFiles: totals.examined, jobBytes: 0 }),
    report: (common) => verifyReport({ ...common, plan, totals }),
  };
  return job;
}

interface VerifyRun {
  plan: VerifyPlan;
  totals: VerifyTotals;
  check: VerifyCheck;
  /** The fields of the FD's order every level shares. */
  order: { jobId: number; jobName: string; level: string; scripts: ReturnType<typeof clientScripts> };
  /** The (last) job verified against; none for InitCatalog. */
  verified: JobRow | undefined;
}

/** InitCatalog, Catalog, DiskToCatalog: the FD walks its disk with the FileSet. */
async function openDiskVerify(ctx: JobContext, peers: Peers, run: VerifyRun): Promise<Array<Promise<void>>> {
  const fd = peers.fd = await openClient(ctx.env, run.plan.client, ctx.signal, retryNotice(ctx));
  await fd.send('fdVerify', { ...run.order, fileset: await expandOnDirector(run.plan.fileset.spec, ctx.signal) });
  return [serveClient(ctx, { peers, fd, run })];
}

/** VolumeToCatalog, Data: the SD reads the verified job's data, the FD checks it. */
async function openVolumeVerify(ctx: JobContext, peers: Peers, run: VerifyRun): Promise<Array<Promise<void>>> {
  const { env, id, log, signal } = ctx;
  const { plan, totals, verified } = run;
  const rows = await env.catalog.selectRestoreFiles([verified?.jobId ?? 0]);
  if (rows.length === 0) {
    log.info(`JobId ${verified?.jobId ?? 0} saved no files: nothing to read.`);
    totals.fdStatus = 'T';
    totals.sdStatus = 'T';
    return [];
  }
  const bootstrap = buildBootstrap(rows, await env.catalog.listJobMedia(verified?.jobId ?? 0));
  const [part, ...more] = readingParts(bootstrap, plan.storages, plan.storage);
  // One backup job writes to one Storage daemon, so its volumes are all of one Media Type.
  if (part === undefined || more.length > 0) throw new BurrowError('BAD_REQUEST', `JobId ${verified?.jobId ?? 0} lies on volumes of several Storage daemons; a verify reads from one`);
  const { storage } = part;
  const volumes = partVolumes(part);
  log.info(`Reading ${rows.length} files from ${volumes.length} volume(s): ${volumes.join(', ')}`);
  if (storage !== plan.storage) log.info(`Reading with Storage "${storage.name}", which holds the volumes (Media Type ${storage.mediaType}).`);
  const wait = cartridgeWait(ctx, storage);
  await wait.untilIn(volumes);
  const { sd, token, device } = await openReadSession(storage, env.directorName, {
    jobId: id.jobId, jobName: id.job, bootstrap, signal, log, opened: (channel) => { peers.sd = channel; }, persisting: storagePersisting(ctx),
  });
  log.info(`Using Device "${device}" to read.`);
  const drive = reportDriveSession(ctx, { storage: storage.name, device, sd, mode: 'read' });
  const fd = peers.fd = await openClient(env, plan.client, signal, retryNotice(ctx));
  await fd.send('fdVerify', {
    ...run.order, sdAddress: dataChannel(plan.client, storage).storageAddress, sdPort: storage.port, token, digestAlgorithms: run.check.digestAlgorithms, passive: plan.client.passive,
    maximumBandwidth: plan.maximumBandwidth,
  });
  await connectStorageIfPassive(plan.client, dataChannel(plan.client, storage).clientAddress, sd);
  const nameFile = (jobId: number, fileIndex: number): Promise<Buffer | undefined> => env.catalog.filePath(jobId, fileIndex);
  return [awaitReadSessionEnd({ sd, jobId: id.jobId, log, storageName: storage.name, signal, wait, nameFile, drive }).then(storageEnded(totals)), serveClient(ctx, { peers, fd, run })];
}

/** The FD's part: its entries go to the check, then its end. */
function serveClient(ctx: JobContext, { peers, fd, run: { totals, check } }: { peers: Peers; fd: Channel; run: VerifyRun }): Promise<void> {
  return awaitClientEnd({
    fd, log: ctx.log, signal: ctx.signal, handle: async (msg) => {
      if (msg.kind !== 'verifyBatch') return false;
      const entries = msg.body.entries;
      totals.examined += entries.length;
      await check.accept(entries);
      return true;
    },
  }).then(clientEnded(totals)).finally(endStorageIfClientFailed(peers, ctx.id.jobId, () => totals.fdStatus));
}
