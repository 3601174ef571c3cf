/**
 * A Restore job from the Director's side: turn the selection into a bootstrap
 * (volumes, sessions, block addresses, file indexes), open a read session on the SD,
 * and have the (restore) client's FD fetch and write the files.
 */
import { BurrowError, describeError, toBurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import { buildBootstrap } from '../catalog/index.js';
import { openClient } from '../fd/client-link.js';
import { openStorage } from '../sd/storage-link.js';
import type { JobEnv, JobIdentity } from './env.js';
import type { JobLog } from './job-log.js';
import { awaitClientEnd } from './client-end.js';
import type { RestorePlan } from './plan.js';
import { restoreReport, type RestoreTotals } from './report.js';
import { peerStatus, worse, type FinalStatus } from './status.js';

export async function runRestore(env: JobEnv, plan: RestorePlan, id: JobIdentity, signal: AbortSignal): Promise<FinalStatus> {
  const { catalog } = env;
  const log = env.jobLog(id.jobId, plan.messages);
  const startTime = Date.now();
  catalog.startJob(id.jobId, startTime);
  log.info(`Start Restore Job ${id.job}`);
  const totals: RestoreTotals = { expectedFiles: 0, expectedBytes: 0, fdFiles: 0, fdBytes: 0, fdErrors: 0, fdStatus: 'E', sdStatus: 'E' };
  let sd: Channel | undefined;
  let fd: Channel | undefined;
  const onAbort = (): void => {
    for (const ch of [sd, fd]) ch?.send('cancel', { jobId: id.jobId }).catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const rows = catalog.selectRestoreFiles(plan.jobIds, plan.paths.length ? { paths: plan.paths } : undefined);
    if (rows.length === 0) throw new BurrowError('NOT_FOUND', `no files selected from JobId(s) ${plan.jobIds.join(',')}`);
    totals.expectedFiles = rows.length;
    const bootstrap = buildBootstrap(rows, plan.jobIds.flatMap((jobId) => catalog.listJobMedia(jobId)));
    log.info(`Restoring ${rows.length} files from ${new Set(bootstrap.map((b) => b.volumeName)).size} volume(s): ${[...new Set(bootstrap.map((b) => b.volumeName))].join(', ')}`);
    sd = await openStorage(plan.storage, env.directorName, signal);
    await sd.send('sdRestore', { jobId: id.jobId, device: plan.storage.device, volumes: bootstrap });
    const ready = await sd.expect('sdReady', signal);
    log.info(`Using Device "${plan.storage.device}" to read.`);
    fd = await openClient(plan.restoreClient, env.directorName, signal);
    await fd.send('fdRestore', {
      jobId: id.jobId, jobName: id.job, where: plan.where, replace: plan.replace,
      sdAddress: plan.storage.address, sdPort: plan.storage.port, token: ready.token, expectedFiles: rows.length,
    });
    const [sdResult, fdResult] = await Promise.allSettled([
      serveStorage(sd, log, totals, plan.storage.name, signal),
      awaitClientEnd(fd, log, signal).then((end) => {
        totals.fdFiles = end.files;
        totals.fdBytes = end.bytes;
        totals.fdErrors = end.errors;
        totals.fdStatus = end.status;
      }),
    ]);
    for (const r of [sdResult, fdResult]) if (r.status === 'rejected') log.fatal(describeError(r.reason));
    if (totals.fdFiles !== totals.expectedFiles && log.status === 'T') {
      log.warning(`${totals.expectedFiles} files were expected but ${totals.fdFiles} restored`);
    }
  } catch (err) {
    const e = toBurrowError(err);
    if (e.code === 'JOB_CANCELED' || signal.aborted) log.worsen('A');
    else log.fatal(e.message);
  } finally {
    signal.removeEventListener('abort', onAbort);
    sd?.close('job done');
    fd?.close('job done');
  }
  let status = worse(log.status, worse(totals.fdStatus, totals.sdStatus));
  if (signal.aborted) status = 'A';
  const endTime = Date.now();
  catalog.finishJob(id.jobId, { status, endTime, jobFiles: totals.fdFiles, jobBytes: totals.fdBytes, jobErrors: log.errors + totals.fdErrors });
  log.report(restoreReport({ env, plan, id, totals, startTime, endTime, status, errors: log.errors }));
  return status;
}

async function serveStorage(sd: Channel, log: JobLog, totals: RestoreTotals, name: string, signal: AbortSignal): Promise<void> {
  for (;;) {
    const msg = await sd.receive(signal);
    switch (msg.kind) {
      case 'jobMessage':
        log.relay(msg.body.level ?? 'info', msg.body.text ?? '', name);
        break;
      case 'sdSessionEnd':
        totals.sdStatus = peerStatus(msg.body.status);
        if (msg.body.error) log.error(msg.body.error, name);
        return;
      case 'error':
        throw new BurrowError('JOB_FAILED', `Storage daemon: ${msg.body.message ?? ''}`);
      default:
        throw sd.violation(`unexpected ${msg.kind} during a restore`);
    }
  }
}

