/**
 * A Restore job from the Director's side: turn the selection into a bootstrap
 * (volumes, sessions, block addresses, file indexes), open a read session on the SD,
 * and have the (restore) client's FD fetch and write the files.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { displayPath } from '@burrow/common/names/index';
import { buildBootstrap } from '../catalog/bootstrap.js';
import { withLinkTargets } from './link-targets.js';
import { openClient } from '../fd/client-link.js';
import { awaitClientEnd } from '../fd/job-end.js';
import { awaitReadSessionEnd } from '../sd/read-session.js';
import { openReadSession } from '../sd/storage-link.js';
import type { JobEnv, JobIdentity } from './env.js';
import type { RestorePlan } from './plan.js';
import { clientEnded, storageEnded } from './peer-totals.js';
import { restoreReport, type RestoreTotals } from './report.js';
import { statusWords, type FinalStatus } from './status.js';
import { converse, endStorageIfClientFailed, finalStatus } from './conversation.js';
import { clientScripts, runDirectorScripts } from './run-scripts.js';
import type { PercentVars } from './percent.js';

export async function runRestore(env: JobEnv, plan: RestorePlan, id: JobIdentity, signal: AbortSignal): Promise<FinalStatus> {
  const { catalog } = env;
  const log = env.jobLog(id.jobId, plan.messages);
  const startTime = Date.now();
  catalog.startJob(id.jobId, startTime);
  log.info(`Start Restore Job ${id.job}`);
  const totals: RestoreTotals = { expectedFiles: 0, expectedBytes: 0, fdFiles: 0, fdBytes: 0, fdErrors: 0, fdStatus: 'E', sdStatus: 'E' };
  const vars = (status?: FinalStatus): PercentVars => ({
    c: plan.restoreClient.name, d: env.directorName, e: status ? statusWords(status) : '', i: String(id.jobId), j: id.job, l: '',
    n: plan.jobName, t: 'Restore', b: String(totals.fdBytes), F: String(totals.fdFiles), w: plan.storage.name, h: plan.restoreClient.address, x: 'no',
  });
  if (!(await runDirectorScripts(plan.scripts, 'Before', true, vars(), log, signal))) {
    log.fatal('a Run Before Job script failed: the restore does not run');
  } else await converse({
    jobId: id.jobId, log, signal,
    open: async (peers) => {
      const picked = plan.files ?? catalog.selectRestoreFiles(plan.jobIds, plan.paths.length ? { paths: plan.paths } : undefined);
      const { rows, added } = withLinkTargets(catalog, picked);
      for (const p of added) log.info(`Also restoring ${displayPath(p)}: it holds the data of a chosen hard link.`);
      if (rows.length === 0) throw new BurrowError('NOT_FOUND', `no files selected from JobId(s) ${plan.jobIds.join(',')}`);
      totals.expectedFiles = rows.length;
      const bootstrap = buildBootstrap(rows, plan.jobIds.flatMap((jobId) => catalog.listJobMedia(jobId)));
      const volumes = [...new Set(bootstrap.map((b) => b.volumeName))];
      log.info(`Restoring ${rows.length} files from ${volumes.length} volume(s): ${volumes.join(', ')}`);
      if (plan.regexWhere) log.info(`Names rewritten by RegexWhere ${plan.regexWhere}`);
      if (plan.owner) log.info(`A user's own restore: everything restored belongs to uid ${plan.owner.uid}`);
      const { sd, token } = await openReadSession(plan.storage, env.directorName, { jobId: id.jobId, bootstrap, signal });
      peers.sd = sd;
      log.info(`Using Device "${plan.storage.device}" to read.`);
      const fd = peers.fd = await openClient(plan.restoreClient, env.directorName, signal);
      await fd.send('fdRestore', {
        jobId: id.jobId, jobName: id.job, where: plan.where, replace: plan.replace, regexWhere: plan.regexWhere,
        sdAddress: plan.storage.address, sdPort: plan.storage.port, token, expectedFiles: rows.length,
        scripts: clientScripts(plan.scripts, vars()),
        restoreOwner: plan.owner ?? null,
      });
      return [
        awaitReadSessionEnd(sd, log, plan.storage.name, signal).then(storageEnded(totals)),
        awaitClientEnd({ fd, log, signal }).then(clientEnded(totals)).finally(endStorageIfClientFailed(peers, id.jobId, () => totals.fdStatus)),
      ];
    },
  });
  if (totals.fdFiles !== totals.expectedFiles && log.status === 'T' && !signal.aborted) {
    log.warning(`${totals.expectedFiles} files were expected but ${totals.fdFiles} restored`);
  }
  const ran = finalStatus(log, totals.fdStatus, totals.sdStatus, signal);
  if (!(await runDirectorScripts(plan.scripts, 'After', ran === 'T' || ran === 'W', vars(ran), log, signal))) log.worsen('E');
  const status = finalStatus(log, totals.fdStatus, totals.sdStatus, signal);
  const endTime = Date.now();
  catalog.finishJob(id.jobId, { status, endTime, jobFiles: totals.fdFiles, jobBytes: totals.fdBytes, jobErrors: log.errors + totals.fdErrors });
  log.report(restoreReport({ env, plan, id, totals, startTime, endTime, status, errors: log.errors }));
  await env.jobEnded(id.jobId, plan.messages, { status, vars: vars(status) });
  return status;
}


