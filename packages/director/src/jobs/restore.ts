/**
 * A Restore job from the Director's side: turn the selection into a bootstrap
 * (volumes, sessions, block addresses, file indexes) — or read one from a `.bsr` file
 * (docs/bootstrap-format.md) — open a read session on the SD, and have the (restore)
 * client's FD fetch and write the files. The rest of the job's
 * life is the template's (lifecycle.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Bootstrap } from '@burrow/common/bootstrap/bootstrap';
import { parseBootstrapText, writeBootstrapText } from '@burrow/common/bootstrap/text';
import { bootstrapFileCount } from '@burrow/common/bootstrap/wire';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { displayPath } from '@burrow/common/names/index';
import { buildBootstrap } from '../catalog/index.js';
import { connectStorageIfPassive, openClient } from '../fd/client-link.js';
import { awaitClientEnd } from '../fd/job-end.js';
import { awaitReadSessionEnd } from '../sd/read-session.js';
import { openReadSession, type StorageTarget } from '../sd/storage-link.js';
import { readingStorage } from './storage-choice.js';
import { untilCartridgesIn } from './cartridge-wait.js';
import { endStorageIfClientFailed, type Peers } from './conversation.js';
import type { JobContext, JobType } from './lifecycle.js';
import { withLinkTargets } from './link-targets.js';
import type { PercentVars } from '../messages/percent.js';
import { clientEnded, storageEnded } from './peer-totals.js';
import type { RestorePlan } from './plan.js';
import { restoreReport, type RestoreTotals } from './report.js';
import { clientScripts } from './run-scripts.js';
import { reportDate } from './format.js';
import { statusWords } from './status.js';

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

/** What the catalog selected (with the targets of chosen hard links), as a bootstrap. */
function fromCatalog(ctx: JobContext, plan: RestorePlan): Bootstrap {
  const { log, env: { catalog } } = ctx;
  const picked = plan.files ?? catalog.selectRestoreFiles(plan.jobIds, plan.paths.length ? { paths: plan.paths } : undefined);
  const { rows, added } = withLinkTargets(catalog, picked);
  for (const p of added) log.info(`Also restoring ${displayPath(p)}: it holds the data of a chosen hard link.`);
  if (rows.length === 0) throw new BurrowError('NOT_FOUND', `no files selected from JobId(s) ${plan.jobIds.join(',')}`);
  return buildBootstrap(rows, plan.jobIds.flatMap((jobId) => catalog.listJobMedia(jobId)));
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
  const other = bootstrap.sections.find((s) => s.storage !== undefined && s.storage.toLowerCase() !== plan.storage.name.toLowerCase());
  if (other) throw new BurrowError('BAD_REQUEST', `bootstrap ${file} reads Volume "${other.volume}" with Storage "${other.storage}", but the job reads with Storage "${plan.storage.name}": give storage=${other.storage}`);
  ctx.log.info(`Restoring what bootstrap ${file} selects.`);
  return bootstrap;
}

/** The text form of the restore's bootstrap, written where `bootstrap=` said (Bareos's restore.bsr). */
async function keepText(ctx: JobContext, plan: RestorePlan, bootstrap: Bootstrap): Promise<void> {
  const file = plan.writeBootstrap ?? '';
  const sections = bootstrap.sections.map((s) => ({ storage: plan.storage.name, ...s }));
  const text = writeBootstrapText({ sections }, { comments: [`${reportDate(ctx.env.clock.now())} - ${ctx.id.job} - Restore`] });
  try {
    await writeFile(file, text);
    ctx.log.info(`Bootstrap records written to ${file}`);
  } catch (err) {
    ctx.log.warning(`Could not write bootstrap file ${file}: ${describeError(err)}`);
  }
}

async function openRestore(ctx: JobContext, peers: Peers, { plan, totals, reading, vars }: RestoreRun): Promise<Array<Promise<void>>> {
  const { env, id, log, signal } = ctx;
  const bootstrap = plan.bootstrapFile === undefined ? fromCatalog(ctx, plan) : await fromFile(ctx, plan, plan.bootstrapFile);
  const storage = reading.storage = readingStorage(bootstrap, plan.storages, plan.storage);
  if (storage !== plan.storage) log.info(`Reading with Storage "${storage.name}", which holds the volumes (Media Type ${storage.mediaType}).`);
  if (plan.writeBootstrap !== undefined) await keepText(ctx, plan, bootstrap);
  const files = totals.expectedFiles = bootstrapFileCount(bootstrap);
  const volumes = [...new Set(bootstrap.sections.map((s) => s.volume))];
  log.info(`Restoring ${files} files from ${volumes.length} volume(s): ${volumes.join(', ')}`);
  if (plan.regexWhere) log.info(`Names rewritten by RegexWhere ${plan.regexWhere}`);
  if (plan.owner) log.info(`A user's own restore: everything restored belongs to uid ${plan.owner.uid}`);
  await untilCartridgesIn(ctx, storage, volumes);
  const { sd, token, device } = await openReadSession(storage, env.directorName, {
    jobId: id.jobId, jobName: id.job, bootstrap, signal, log, opened: (channel) => { peers.sd = channel; },
  });
  log.info(`Using Device "${device}" to read.`);
  const fd = peers.fd = await openClient(env, plan.restoreClient, signal);
  await fd.send('fdRestore', {
    jobId: id.jobId, jobName: id.job, where: plan.where, replace: plan.replace, regexWhere: plan.regexWhere,
    sdAddress: storage.address, sdPort: storage.port, token, expectedFiles: files,
    scripts: clientScripts(plan.scripts, vars),
    restoreOwner: plan.owner ?? null, passive: plan.restoreClient.passive,
  });
  await connectStorageIfPassive(plan.restoreClient, sd);
  // Damaged records are known on the volume by JobId and FileIndex only: the catalog names them.
  const nameFile = (jobId: number, fileIndex: number): Buffer | undefined => env.catalog.filePath(jobId, fileIndex);
  return [
    awaitReadSessionEnd({ sd, log, storageName: storage.name, signal, nameFile }).then(storageEnded(totals)),
    awaitClientEnd({ fd, log, signal, nameFile }).then(clientEnded(totals)).finally(endStorageIfClientFailed(peers, id.jobId, () => totals.fdStatus)),
  ];
}
