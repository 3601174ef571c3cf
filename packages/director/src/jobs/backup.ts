/**
 * A Backup job from the Director's side (DESIGN.md, "How a backup flows"): reserve a
 * session on the SD, hand the FD its marching orders with the SD's one-job token,
 * then serve both conversations — volumes for the SD, file coordinates into the
 * catalog, log lines into the job log — until both report their end.
 */
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import { burrow, timestampFromMs } from '@burrow/common/proto/index';
import type { Baseline } from './baseline.js';
import type { FileInput } from '../catalog/types.js';
import { openClient } from '../fd/client-link.js';
import { openStorage } from '../sd/storage-link.js';
import type { JobEnv, JobIdentity } from './env.js';
import type { JobLog } from './job-log.js';
import { awaitClientEnd } from './client-end.js';
import { LEVEL_NAMES, type BackupPlan } from './plan.js';
import { backupReport, type BackupTotals } from './report.js';
import { peerStatus, statusWords, type FinalStatus } from './status.js';
import { listDate } from './format.js';
import { converse, endStorageIfClientFailed, finalStatus } from './conversation.js';
import { chooseVolume } from './volumes.js';
import { clientScripts, runDirectorScripts } from './run-scripts.js';
import type { PercentVars } from './percent.js';
import { recordDeleted, sendState } from './accurate.js';
import { currentChain } from './baseline.js';
import type { StateSnapshot } from '../catalog/catalog.js';
import { expandOnDirector } from '../setup/fileset-lists.js';

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
  const totals: BackupTotals = { fdFiles: 0, fdBytes: 0, sdFiles: 0, sdBytes: 0, volumes: [], lastVolumeBytes: 0, fdStatus: 'E', sdStatus: 'E', fdErrors: 0 };
  const vars = (status?: FinalStatus): PercentVars => ({
    c: plan.client.name, d: env.directorName, e: status ? statusWords(status) : '', i: String(id.jobId), j: id.job, l: LEVEL_NAMES[plan.level],
    n: plan.jobName, t: 'Backup', v: totals.volumes.join('|'), s: since === null ? '' : listDate(since), b: String(totals.sdBytes),
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
        serveStorage(env, plan, id, sd, log, totals, signal),
        awaitClientEnd(fd, log, totals, signal, (msg) => {
          if (msg.kind !== 'accurateDeleted' || !snapshot) return false;
          deleted += recordDeleted(catalog, id.jobId, snapshot, msg.body.seqs ?? []);
          return true;
        })
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

/** The SD's side of the job: volumes, file coordinates, volume usage, its end. */
async function serveStorage(env: JobEnv, plan: BackupPlan, id: JobIdentity, sd: Channel, log: JobLog, totals: BackupTotals, signal: AbortSignal): Promise<void> {
  const { catalog } = env;
  const mediaIds = new Map<string, number>();
  const mediaId = (volumeName: string): number => {
    let known = mediaIds.get(volumeName);
    if (known === undefined) {
      const row = catalog.getMediaByName(volumeName);
      if (!row) throw new BurrowError('PROTOCOL', `the SD wrote on volume "${volumeName}", which the catalog does not know`);
      known = row.mediaId;
      mediaIds.set(volumeName, known);
    }
    return known;
  };
  for (;;) {
    const msg = await sd.receive(signal);
    switch (msg.kind) {
      case 'sdVolumeRequest': {
        try {
          // The SD could not use the volume it was given: take it out of use so neither
          // this job nor the next one chooses it again.
          const unusable = msg.body.unusableVolume;
          const unusableId = unusable ? mediaIds.get(unusable) : undefined;
          if (unusable && unusableId !== undefined) {
            catalog.setMediaStatus(unusableId, 'Error');
            log.warning(`Volume "${unusable}" cannot be used: ${msg.body.unusableReason ?? ''}. Marking Volume "${unusable}" in Error in Catalog.`);
          }
          const choice = chooseVolume(catalog, plan.pool, plan.storage, msg.body.previousVolume || undefined);
          mediaIds.set(choice.volumeName, choice.mediaId);
          if (choice.label) log.info(`Created new Volume "${choice.volumeName}" in catalog.`);
          await sd.send('sdVolumeReply', {
            volumeName: choice.volumeName, poolName: plan.pool.name, mediaType: plan.storage.mediaType,
            label: choice.label, maxVolumeBytes: choice.maxVolumeBytes, endHint: choice.endHint,
          });
        } catch (err) {
          const e = toBurrowError(err);
          await sd.send('error', { code: e.code, message: e.message });
          throw e;
        }
        break;
      }
      case 'sdCatalog':
        catalog.insertFiles(id.jobId, (msg.body.files ?? []).map((f) => fileRow(f, mediaId)));
        break;
      case 'sdVolumeUsage': {
        const u = msg.body;
        const volumeName = u.volumeName ?? '';
        const mid = mediaId(volumeName);
        catalog.addJobMedia({
          jobId: id.jobId, mediaId: mid, firstIndex: u.firstIndex ?? 0, lastIndex: u.lastIndex ?? 0,
          startAddr: Number(u.startAddr ?? 0), endAddr: Number(u.endAddr ?? 0), volIndex: u.volumeIndex ?? 1,
        });
        catalog.updateMediaUsage(mid, {
          volBytes: Number(u.volBytes ?? 0), volBlocks: u.volBlocks ?? 0, lastWritten: Date.now(),
          volStatus: u.full ? 'Full' : undefined, incrementJobs: true,
          addFiles: (u.lastIndex ?? 0) >= (u.firstIndex ?? 1) && u.firstIndex ? (u.lastIndex ?? 0) - u.firstIndex + 1 : 0,
        });
        if (!totals.volumes.includes(volumeName)) totals.volumes.push(volumeName);
        totals.lastVolumeBytes = Number(u.volBytes ?? 0);
        if (u.full) log.info(`Volume "${volumeName}" is full (${Number(u.volBytes ?? 0)} bytes); continuing on the next volume.`);
        break;
      }
      case 'jobMessage':
        log.relay(msg.body.level ?? 'info', msg.body.text ?? '', plan.storage.name);
        break;
      case 'sdSessionEnd':
        totals.sdFiles = Number(msg.body.files ?? 0);
        totals.sdBytes = Number(msg.body.bytes ?? 0);
        totals.sdStatus = peerStatus(msg.body.status);
        if (msg.body.error) log.error(msg.body.error, plan.storage.name);
        return;
      case 'error':
        throw new BurrowError('JOB_FAILED', `Storage daemon: ${msg.body.message ?? ''}`);
      default:
        throw sd.violation(`unexpected ${msg.kind} during a backup`);
    }
  }
}


function fileRow(f: burrow.ICatalogFile, mediaId: (volume: string) => number): FileInput {
  const attrs = f.attributes ?? {};
  const mtimeMs = Number(attrs.mtime?.sec ?? 0) * 1000 + Math.floor((attrs.mtime?.nsec ?? 0) / 1e6);
  return {
    fileIndex: f.fileIndex ?? 0,
    path: Buffer.from(attrs.path ?? new Uint8Array()),
    mediaId: mediaId(f.volumeName ?? ''),
    addr: Number(f.addr ?? 0),
    type: attrs.type ?? 0,
    size: Number(attrs.size ?? 0),
    mtime: mtimeMs,
    attributes: Buffer.from(burrow.FileAttributes.encode(attrs).finish()),
    digest: f.digest?.value ? Buffer.from(f.digest.value) : null,
    digestAlgorithm: f.digest?.algorithm ?? 0,
  };
}
