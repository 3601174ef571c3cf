/**
 * A Verify job from the Director's side (Bareos's Type = Verify). The File daemon
 * reports what it meets — on its disk for InitCatalog, Catalog and DiskToCatalog; in
 * the verified job's data, read from the volumes by the SD with that job's bootstrap,
 * for VolumeToCatalog and Data — and the Director compares (verify-checks.ts), as
 * Bareos's does, so neither daemon needs the catalog. Differences on disk end the job
 * "OK -- with warnings"; damage on a volume ends it in Error. Each is named in the log.
 */
import type { Channel } from '@burrow/common/net/channel';
import { buildBootstrap } from '../catalog/bootstrap.js';
import { openClient } from '../fd/client-link.js';
import { awaitClientEnd } from '../fd/job-end.js';
import { awaitReadSessionEnd } from '../sd/read-session.js';
import { openReadSession } from '../sd/storage-link.js';
import { expandOnDirector } from './fileset-lists.js';
import { converse, endStorageIfClientFailed, finalStatus } from './conversation.js';
import type { JobEnv, JobIdentity } from './env.js';
import type { JobLog } from './job-log.js';
import { clientEnded, storageEnded } from './peer-totals.js';
import type { PercentVars } from './percent.js';
import type { VerifyPlan } from './plan.js';
import { clientScripts, runDirectorScripts } from './run-scripts.js';
import { statusWords, type FinalStatus } from './status.js';
import { verifyCheck, type VerifyCheck } from './verify-checks.js';
import { verifyReport, type VerifyTotals } from './verify-report.js';
import { verifyTargets } from './verify-target.js';

export async function runVerify(env: JobEnv, plan: VerifyPlan, id: JobIdentity, signal: AbortSignal): Promise<FinalStatus> {
  const { catalog } = env;
  const log = env.jobLog(id.jobId, plan.messages);
  const startTime = Date.now();
  catalog.startJob(id.jobId, startTime);
  log.info(`Start Verify JobId=${id.jobId} Level=${plan.level} Job=${id.job}`);
  const fromVolume = plan.level === 'VolumeToCatalog' || plan.level === 'Data';
  const totals: VerifyTotals = { verified: null, expectedFiles: 0, examined: 0, differences: 0, fdFiles: 0, fdBytes: 0, fdErrors: 0, fdStatus: 'E', sdStatus: fromVolume ? 'E' : 'T' };
  const vars = (status?: FinalStatus): PercentVars => ({
    c: plan.client.name, d: env.directorName, e: status ? statusWords(status) : '', i: String(id.jobId), j: id.job, l: plan.level,
    n: plan.jobName, t: 'Verify', b: '0', F: String(totals.examined), w: plan.storage.name, h: plan.client.address, x: 'no',
  });
  const fileSetId = catalog.ensureFileSet(plan.fileset.name, plan.fileset.digest);
  let check: VerifyCheck | null = null;
  if (!(await runDirectorScripts(plan.scripts, 'Before', true, vars(), log, signal))) {
    log.fatal('a Run Before Job script failed: the verify does not run');
  } else await converse({
    jobId: id.jobId, log, signal,
    open: async (peers) => {
      const targets = verifyTargets(catalog, plan, id.jobId, fileSetId);
      const last = targets[targets.length - 1];
      if (last) {
        totals.verified = { jobId: last.jobId, job: last.job };
        log.info(`Verifying against JobId${targets.length > 1 ? 's' : ''}=${targets.map((j) => j.jobId).join(',')} Job=${last.job}`);
      }
      const c = check = verifyCheck({ catalog, level: plan.level, jobId: id.jobId, targets: targets.map((j) => j.jobId), log });
      totals.expectedFiles = c.expected;
      const order = { jobId: id.jobId, jobName: id.job, level: plan.level, scripts: clientScripts(plan.scripts, vars()) };
      const tasks: Array<Promise<void>> = [];
      if (fromVolume) {
        const rows = catalog.selectRestoreFiles([last?.jobId ?? 0]);
        if (rows.length === 0) {
          log.info(`JobId ${last?.jobId ?? 0} saved no files: nothing to read.`);
          totals.fdStatus = 'T';
          totals.sdStatus = 'T';
          return [];
        }
        const bootstrap = buildBootstrap(rows, catalog.listJobMedia(last?.jobId ?? 0));
        const volumes = [...new Set(bootstrap.map((b) => b.volumeName))];
        log.info(`Reading ${rows.length} files from ${volumes.length} volume(s): ${volumes.join(', ')}`);
        const { sd, token } = await openReadSession(plan.storage, env.directorName, { jobId: id.jobId, bootstrap, signal });
        peers.sd = sd;
        log.info(`Using Device "${plan.storage.device}" to read.`);
        const fd = peers.fd = await openClient(plan.client, env.directorName, signal);
        await fd.send('fdVerify', {
          ...order, sdAddress: plan.storage.address, sdPort: plan.storage.port, token, digestAlgorithms: c.digestAlgorithms,
        });
        tasks.push(awaitReadSessionEnd(sd, log, plan.storage.name, signal).then(storageEnded(totals)));
      } else {
        const fd = peers.fd = await openClient(plan.client, env.directorName, signal);
        await fd.send('fdVerify', { ...order, fileset: await expandOnDirector(plan.fileset.spec, signal) });
      }
      const fd = peers.fd;
      tasks.push(serveClient(fd, log, totals, c, signal).finally(endStorageIfClientFailed(peers, id.jobId, () => totals.fdStatus)));
      return tasks;
    },
  });
  // What was never met is only missing when the whole walk or read got through.
  if (check !== null && !signal.aborted && (totals.fdStatus === 'T' || totals.fdStatus === 'W')) {
    totals.differences = (check as VerifyCheck).finish();
    if (totals.differences > 0) log.warning(`Verify found ${totals.differences} difference(s); each is named above.`);
  }
  const ran = finalStatus(log, totals.fdStatus, totals.sdStatus, signal);
  if (!(await runDirectorScripts(plan.scripts, 'After', ran === 'T' || ran === 'W', vars(ran), log, signal))) log.worsen('E');
  const status = finalStatus(log, totals.fdStatus, totals.sdStatus, signal);
  const endTime = Date.now();
  catalog.finishJob(id.jobId, { status, endTime, jobFiles: totals.examined, jobBytes: 0, jobErrors: log.errors + totals.fdErrors });
  log.report(verifyReport({ env, plan, id, totals, startTime, endTime, status, errors: log.errors }));
  await env.jobEnded(id.jobId, plan.messages, { status, vars: vars(status) });
  return status;
}

/** The FD's part: its entries go to the check, then its end. */
function serveClient(fd: Channel, log: JobLog, totals: VerifyTotals, check: VerifyCheck, signal: AbortSignal): Promise<void> {
  return awaitClientEnd({
    fd, log, signal, handle: (msg) => {
      if (msg.kind !== 'verifyBatch') return false;
      const entries = msg.body.entries ?? [];
      totals.examined += entries.length;
      check.accept(entries);
      return true;
    },
  }).then(clientEnded(totals));
}

