/**
 * A Backup job from the Director's side (DESIGN.md, "How a backup flows"): reserve a
 * session on the SD, hand the FD its marching orders with the SD's one-job token,
 * then serve both conversations — volumes for the SD, file coordinates into the
 * catalog, log lines into the job log — until both report their end.
 */
import { timestampFromMs } from '@burrow/common/proto/index';
import type { Baseline } from './baseline.js';
import { awaitClientEnd } from '../fd/job-end.js';
import { openClient } from '../fd/client-link.js';
import { serveBackupSession } from '../sd/backup-session.js';
import { openStorage } from '../sd/storage-link.js';
import type { JobEnv, JobIdentity } from './env.js';
import { LEVEL_NAMES, type BackupPlan } from './plan.js';
import { backupReport, type BackupTotals } from './report.js';
import { statusWords, type FinalStatus } from './status.js';
import { listDate } from './format.js';
import { converse, endStorageIfClientFailed, finalStatus } from './conversation.js';
import { clientScripts, runDirectorScripts } from './run-scripts.js';
import type { PercentVars } from './percent.js';
import { recordDeleted, sendState } from './accurate.js';
import { currentChain } from './baseline.js';
import type { StateSnapshot } from '../catalog/catalog.js';
import { expandOnDirector } from './fileset-lists.js';
import { clientEnded, storageEnded } from './peer-totals.js';

/** The state an accurate Incremental or Differential compares with; none for a Full. */
function accurateState(env: JobEnv, plan: BackupPlan, baseline: Baseline | null): StateSnapshot | null {
  if (!plan.accurate || baseline?.prior == null || plan.level === 'F') return null;
  const prior = baseline.prior;
  const chain = currentChain(env.catalog, plan.client.name, { fileSetId: prior.fileSetId ?? undefined })
    .filter((j) => plan.level !== 'D' || j.level === 'F');
  return env.catalog.snapshotCurrentState(chain.map((j) => j.jobId));
}

export async function runBackup(env: JobEnv, plan: BackupPlan, baseline: Baseline | null, id: JobIdentity, signal: AbortSignal): Promise<FinalStatus> {
  const { catalog } = env;
  const log = env.jobLog(id.jobId, plan.messages);
  const startTime = Date.now();
  catalog.startJob(id.jobId, startTime);
  log.info(`Start Backup JobId ${id.jobId}, Job=${id.job}`);
  if (baseline?.note) log.info(baseline.note);
  const since = baseline?.since ?? null;
  const totals: BackupTotals = { fdFiles: 0, fdBytes: 0, sdFiles: 0, sdBytes: 0, volumes: { names: [], lastVolumeBytes: 0 }, fdStatus: 'E', sdStatus: 'E', fdErrors: 0 };
  const vars = (status?: FinalStatus): PercentVars => ({
    c: plan.client.name, d: env.directorName, e: status ? statusWords(status) : '', i: String(id.jobId), j: id.job, l: LEVEL_NAMES[plan.level],
    n: plan.jobName, t: 'Backup', v: totals.volumes.names.join('|'), s: since === null ? '' : listDate(since), b: String(totals.sdBytes),
    F: String(totals.sdFiles), p: plan.pool.name, w: plan.storage.name, h: plan.client.address, x: 'no',
  });

  // Filled in once the job talks to the FD; read again at the end to drop it.
  const accurate: { state: StateSnapshot | null } = { state: null };
  if (!(await runDirectorScripts(plan.scripts, 'Before', true, vars(), log, signal))) {
    log.fatal('a Run Before Job script failed: the backup does not run');
  } else await converse({
    jobId: id.jobId, log, signal,
    open: async (peers) => {
      const sd = peers.sd = await openStorage(plan.storage, env.directorName, signal);
      await sd.send('sdBackup', {
        jobId: id.jobId, jobName: id.job, client: plan.client.name, fileset: plan.fileset.name,
        level: LEVEL_NAMES[plan.level], pool: plan.pool.name, device: plan.storage.device, mediaType: plan.storage.mediaType,
      });
      const ready = await sd.expect('sdReady', signal);
      log.info(`Using Device "${plan.storage.device}" to write.`);
      const fd = peers.fd = await openClient(plan.client, env.directorName, signal);
      const state = accurate.state = accurateState(env, plan, baseline);
      await fd.send('fdBackup', {
        jobId: id.jobId, jobName: id.job, level: LEVEL_NAMES[plan.level], since: since === null ? null : timestampFromMs(since), fileset: await expandOnDirector(plan.fileset.spec, signal),
        sdAddress: plan.storage.address, sdPort: plan.storage.port, token: ready.token, scripts: clientScripts(plan.scripts, vars()),
        accurate: state !== null, accurateCount: state?.count ?? 0,
      });
      if (state) {
        log.info(`Accurate mode: sending the state of ${state.count} files to the client.`);
        await sendState(fd, state);
      }
      const snapshot = state;
      let deleted = 0;
      return [
        serveBackupSession({ sd, catalog, jobId: id.jobId, pool: plan.pool, storage: plan.storage, log, volumes: totals.volumes, signal })
          .then((end) => {
            totals.sdFiles = end.files;
            totals.sdBytes = end.bytes;
            storageEnded(totals)(end.status);
          }),
        awaitClientEnd({
          fd, log, signal, handle: (msg) => {
            if (msg.kind !== 'accurateDeleted' || !snapshot) return false;
            deleted += recordDeleted(catalog, id.jobId, snapshot, msg.body.seqs ?? []);
            return true;
          },
        })
          .then(clientEnded(totals))
          .then(() => { if (snapshot) log.info(`Accurate mode: ${deleted} files recorded as deleted.`); })
          .finally(endStorageIfClientFailed(peers, id.jobId, () => totals.fdStatus)),
      ];
    },
  });
  accurate.state?.drop();
  const ran = finalStatus(log, totals.fdStatus, totals.sdStatus, signal);
  if (!(await runDirectorScripts(plan.scripts, 'After', ran === 'T' || ran === 'W', vars(ran), log, signal))) log.worsen('E');
  const status = finalStatus(log, totals.fdStatus, totals.sdStatus, signal);
  const endTime = Date.now();
  catalog.finishJob(id.jobId, {
    status, endTime, jobFiles: totals.sdFiles, jobBytes: totals.sdBytes, readBytes: totals.fdBytes, jobErrors: log.errors + totals.fdErrors, since,
  });
  log.report(backupReport({ env, plan, id, totals, startTime, endTime, status, errors: log.errors, since }));
  await env.jobEnded(id.jobId, plan.messages, { status, vars: vars(status) });
  return status;
}
