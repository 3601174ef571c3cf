/** `run job=<Verify job> [level=] [jobid=] [client=] [fileset=] [storage=] yes`: queues a Verify. */
import type { JobResource } from '@burrow/common/config/index';
import { resolveVerify } from '../../setup/resolve.js';
import type { VerifyPlan } from '../../jobs/plan.js';
import type { ConsoleContext } from '../command.js';

export interface VerifySummary {
  type: 'Verify';
  jobname: string;
  level: string;
  client: string;
  fileset: string;
  /** Where VolumeToCatalog and Data read; null for the levels that read the client's disk. */
  storage: string | null;
  verifyjob: string | null;
  verifylist: number | null;
  priority: number;
}

/** The Verify a run would queue, and what the console shows of it. */
export function verifyRun(
  ctx: ConsoleContext,
  a: { level?: string; client?: string; fileset?: string; storage?: string; jobid?: number },
  job: JobResource,
): { summary: VerifySummary; plan: VerifyPlan } {
  const plan = resolveVerify(ctx.config, job, { level: a.level, client: a.client, fileset: a.fileset, storage: a.storage, jobId: a.jobid }, ctx.resolvePath);
  const readsVolumes = plan.level === 'VolumeToCatalog' || plan.level === 'Data';
  const summary: VerifySummary = {
    type: 'Verify', jobname: plan.jobName, level: plan.level, client: plan.client.name, fileset: plan.fileset.name,
    storage: readsVolumes ? plan.storage.name : null, verifyjob: plan.verifyJob, verifylist: plan.verifyJobId, priority: plan.priority,
  };
  return { summary, plan };
}

export function renderVerifySummary(s: VerifySummary): string {
  return [
    'Run Verify job',
    `JobName:     ${s.jobname}`,
    `Level:       ${s.level}`,
    `Client:      ${s.client}`,
    `FileSet:     ${s.fileset}`,
    ...(s.storage !== null ? [`Storage:     ${s.storage}`] : []),
    `Verify Job:  ${s.verifyjob ?? ''}`,
    `Verify List: ${s.verifylist ?? ''}`,
    `Priority:    ${s.priority}`,
  ].join('\n');
}
