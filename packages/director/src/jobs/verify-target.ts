/**
 * What a verify checks against (Bareos's DoVerify): Catalog the last good InitCatalog
 * (found by its level) of the same Job, client and FileSet; DiskToCatalog the client's latest backup state
 * (Full + Differential + Incrementals); VolumeToCatalog and Data one backup job — the
 * one given with jobid=, else the last good backup of the `Verify Job`, else of the
 * client and FileSet. Looked up when the job starts, so a verify queued behind a
 * backup checks that backup.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { Catalog, JobRow } from '../catalog/index.js';
import { currentChain } from './baseline.js';
import type { VerifyPlan } from './plan.js';

const good = (j: JobRow): boolean => j.status === 'T' || j.status === 'W';
const start = (j: JobRow): number => j.startTime ?? j.schedTime;

/** The jobs whose files are compared, oldest first; [] for InitCatalog. */
export async function verifyTargets(catalog: Catalog, plan: VerifyPlan, fileSetId: number): Promise<JobRow[]> {
  if (plan.level === 'InitCatalog') return [];
  if (plan.verifyJobId !== null) {
    const j = await catalog.getJob(plan.verifyJobId);
    if (!j) throw new BurrowError('NOT_FOUND', `JobId ${plan.verifyJobId} does not exist`);
    if (!good(j)) throw new BurrowError('BAD_REQUEST', `Last Job ${j.jobId} did not terminate normally (JobStatus=${j.status})`);
    const isInit = j.type === 'V' && j.level === 'V';
    if (plan.level === 'Catalog' ? !isInit : j.type !== 'B') {
      throw new BurrowError('BAD_REQUEST', `JobId ${j.jobId} is not a ${plan.level === 'Catalog' ? 'Verify InitCatalog' : 'Backup'} job`);
    }
    return [j];
  }
  if (plan.level === 'Catalog') {
    const clientId = (await catalog.getClient(plan.client.name))?.clientId;
    const init = clientId === undefined ? undefined : await catalog.lastSuccessfulJob({ clientId, fileSetId, name: plan.jobName, levels: ['V'] });
    if (!init) {
      throw new BurrowError('NOT_FOUND', 'Unable to find JobId of previous InitCatalog Job. Please run a Verify with Level=InitCatalog before running the current Job.');
    }
    return [init];
  }
  const named = (j: JobRow): boolean => plan.verifyJob === null || j.name.toLowerCase() === plan.verifyJob.toLowerCase();
  if (plan.level === 'DiskToCatalog') {
    const chain = (await currentChain(catalog, plan.client.name, { fileSetId })).filter(named);
    if (chain.length === 0) throw new BurrowError('NOT_FOUND', `Unable to find a good Full backup of Client "${plan.client.name}", FileSet "${plan.fileset.name}" to verify against.`);
    return chain;
  }
  const last = (await catalog.listJobs({ client: plan.client.name, type: 'B' }))
    .filter((j) => good(j) && named(j) && (plan.verifyJob !== null || j.fileSetId === fileSetId))
    .sort((a, b) => start(a) - start(b)).pop();
  if (!last) throw new BurrowError('NOT_FOUND', `Unable to find JobId of previous Job for this client ("${plan.client.name}").`);
  return [last];
}
