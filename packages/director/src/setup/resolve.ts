/**
 * Turns Job resources (with console overrides) into plans: every resource lookup and
 * default applied once, with errors that name what is missing.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { findResource, type ClientResource, type DirectorConfig, type JobResource, type StorageResource } from '@burrow/common/config/index';
import { buildRegexWhere, parseRegexWhere } from '@burrow/common/names/rewrite';
import type { BackupPlan, ChosenFiles, Replace, RestorePlan, RunLimits, SpoolPlan } from '../jobs/plan.js';
import type { ClientTarget } from '../fd/client-link.js';
import type { StorageTarget } from '../sd/storage-link.js';
import { fileSetDigest, fileSetSpec } from './fileset.js';
import type { RunOverrides } from '../scheduler/run-spec.js';
import { VERIFY_LEVELS, type VerifyPlan } from '../jobs/plan.js';
import { jobScripts } from '../jobs/run-scripts.js';
import { poolForLevel, type BasePoolSource, type PoolCandidates } from '../jobs/pools.js';
import { writingStorages } from '../jobs/storage-choice.js';
import type { PoolPlan } from '../media/pools.js';
import type { BackupLevel } from '../catalog/index.js';

export interface Overrides {
  level?: string;
  client?: string;
  fileset?: string;
  /** The run command's pool=. */
  pool?: string;
  storage?: string;
  /** The run command's or Run line's SpoolData=; absent: the Job's Spool Data. */
  spoolData?: boolean;
  /** A Schedule Run line's pools. */
  run?: Pick<RunOverrides, 'pool' | 'fullPool' | 'incrementalPool' | 'differentialPool'>;
}

const LEVELS: Record<string, BackupPlan['level']> = { full: 'F', incremental: 'I', differential: 'D' };

function need<T extends { name: string }>(list: readonly T[], name: string | undefined, type: string, job: string): T {
  if (!name) throw new BurrowError('BAD_REQUEST', `Job "${job}" names no ${type}`);
  const r = findResource(list, name);
  if (!r) throw new BurrowError('NOT_FOUND', `${type} "${name}" is not defined`);
  return r;
}

export function findJob(config: DirectorConfig, name: string): JobResource {
  const job = findResource(config.jobs, name);
  if (!job) throw new BurrowError('NOT_FOUND', `Job "${name}" is not defined; "show jobs" lists them`);
  return job;
}

export function clientTarget(config: DirectorConfig, name: string): ClientTarget {
  const c = need(config.clients, name, 'Client', name);
  return {
    name: c.name, address: c.address, port: c.fdPort, password: c.password,
    connectFromDirector: c.connectionFromDirectorToClient, connectFromClient: c.connectionFromClientToDirector, passive: c.passive, lanAddress: c.lanAddress,
    heartbeatMs: heartbeatMs(config, c),
  };
}

export function storageTarget(config: DirectorConfig, name: string): StorageTarget {
  const s = need(config.storages, name, 'Storage', name);
  return {
    name: s.name, address: s.address, port: s.sdPort, password: s.password, device: s.device[0] ?? '', devices: s.device, mediaType: s.mediaType,
    heartbeatMs: heartbeatMs(config, s), autoChanger: s.autoChanger, lanAddress: s.lanAddress,
    maximumConcurrentJobs: s.maximumConcurrentJobs,
  };
}

/** Bytes/s a job's data may move at: the Job's Maximum Bandwidth, else its Client's Maximum Bandwidth Per Job; 0 none. */
function jobBandwidth(config: DirectorConfig, job: JobResource, client: string): number {
  return job.maximumBandwidth ?? findResource(config.clients, client)?.maximumBandwidthPerJob ?? 0;
}

/** A Client's or Storage's Heartbeat Interval in ms, else the Director's (Bareos: the more specific wins). */
export function heartbeatMs(config: DirectorConfig, resource: ClientResource | StorageResource): number {
  return (resource.heartbeatInterval ?? config.director.heartbeatInterval) * 1000;
}

export function runLimits(config: DirectorConfig, job: JobResource, client: string, storage: StorageTarget): RunLimits {
  const ms = (s: number | undefined): number | null => (s === undefined ? null : s * 1000);
  return {
    jobMax: job.maximumConcurrentJobs,
    clientMax: findResource(config.clients, client)?.maximumConcurrentJobs ?? 1,
    storageMax: storage.maximumConcurrentJobs,
    maxRunTimeMs: ms(job.maxRunTime),
    maxWaitTimeMs: ms(job.maxWaitTime),
    allowDuplicates: job.allowDuplicateJobs,
    cancelQueuedDuplicates: job.cancelQueuedDuplicates,
    reschedule: { onError: job.rescheduleOnError, intervalMs: job.rescheduleInterval * 1000, times: job.rescheduleTimes },
  };
}

export function resolveBackup(config: DirectorConfig, job: JobResource, o: Overrides, resolvePath: (p: string) => string): BackupPlan {
  if (job.type !== 'Backup') throw new BurrowError('BAD_REQUEST', `Job "${job.name}" is a ${job.type ?? 'typeless'} job, not a Backup`);
  const levelText = (o.level ?? job.level ?? 'Full').toLowerCase();
  const level = LEVELS[levelText];
  if (!level) throw new BurrowError('BAD_REQUEST', `level "${o.level ?? job.level}" is not Full, Incremental or Differential`);
  const fs = need(config.fileSets, o.fileset ?? job.fileSet, 'FileSet', job.name);
  const pools = poolCandidates(config, job, o);
  const { pool, source: poolSource } = poolForLevel(pools, level, false);
  const spec = fileSetSpec(fs, resolvePath);
  const client = clientTarget(config, o.client ?? job.client ?? '');
  const jobStorages = (o.storage !== undefined ? [o.storage] : job.storage.length > 0 ? job.storage : ['']).map((name) => storageTarget(config, name));
  const { storages, storageSource } = writingStorages(jobStorages, o.storage !== undefined ? 'command line' : 'Job resource', pool);
  const storage = storages[0]!;
  return {
    kind: 'backup',
    jobName: job.name,
    level,
    client,
    storage,
    storages,
    jobStorages,
    storageSource,
    limits: runLimits(config, job, client.name, storage),
    scripts: jobScripts(job),
    pool,
    poolSource,
    pools,
    fileset: { name: fs.name, spec, digest: fileSetDigest(spec) },
    accurate: job.accurate,
    maximumBandwidth: jobBandwidth(config, job, client.name),
    spool: spoolPlan(o.spoolData ?? job.spoolData, job),
    writeBootstrap: bootstrapTarget(job.writeBootstrap, resolvePath),
    messages: job.messages ?? '',
    priority: job.priority,
    pruning: pruningOf(config, job, client.name),
  };
}

/** The Job's spooling directives, `data` from the run command or Run line when they say: Spool Data brings Spool Attributes. */
function spoolPlan(data: boolean, job: Pick<JobResource, 'spoolAttributes' | 'spoolSize'>): SpoolPlan {
  return { data, attributes: data || job.spoolAttributes, size: job.spoolSize ?? 0 };
}

/** The Job's and Client's pruning directives (durations in ms). */
function pruningOf(config: DirectorConfig, job: JobResource, clientName: string): BackupPlan['pruning'] {
  const c = need(config.clients, clientName, 'Client', job.name);
  return {
    clientName: c.name, clientAutoPrune: c.autoPrune, clientJobRetention: c.jobRetention * 1000,
    clientFileRetention: c.fileRetention * 1000, pruneJobs: job.pruneJobs, pruneFiles: job.pruneFiles, pruneVolumes: job.pruneVolumes,
  };
}

/** A Write Bootstrap file name relative to the configuration, like other paths in it; a |command as it is. */
function bootstrapTarget(directive: string | undefined, resolvePath: (p: string) => string): string | null {
  if (directive === undefined || directive.trim() === '') return null;
  return directive.trim().startsWith('|') ? directive : resolvePath(directive);
}

function poolPlan(config: DirectorConfig, name: string | undefined, job: string): PoolPlan {
  const pool = need(config.pools, name, 'Pool', job);
  return {
    name: pool.name, labelFormat: pool.labelFormat ?? null, maximumVolumeBytes: pool.maximumVolumeBytes ?? 0,
    storages: pool.storage.map((s) => storageTarget(config, s)), allowedClients: pool.allowedClients,
  };
}

/** The pools a backup's level chooses from (jobs/pools.ts): the run command's, the Run line's, the Job's. */
function poolCandidates(config: DirectorConfig, job: JobResource, o: Overrides): PoolCandidates {
  const run = o.run ?? {};
  const baseSource: BasePoolSource = o.pool !== undefined ? 'command line' : run.pool !== undefined ? 'Run Pool override' : 'Job resource';
  const levels: PoolCandidates['levels'] = {};
  const level = (key: BackupLevel, fromRun: string | undefined, fromJob: string | undefined): void => {
    if (fromRun !== undefined) levels[key] = { pool: poolPlan(config, fromRun, job.name), fromRun: true };
    else if (fromJob !== undefined) levels[key] = { pool: poolPlan(config, fromJob, job.name), fromRun: false };
  };
  level('F', run.fullPool, job.fullBackupPool);
  level('I', run.incrementalPool, job.incrementalBackupPool);
  level('D', run.differentialPool, job.differentialBackupPool);
  return { base: poolPlan(config, o.pool ?? run.pool ?? job.pool, job.name), baseSource, levels };
}

/**
 * A Job as one of its Schedule's Run lines starts it, with that line's overrides: a
 * Backup (its level and pools) or a Verify (its level); the scheduler refuses other
 * types and levels of another type when it loads the schedule.
 */
export function scheduledPlan(config: DirectorConfig, job: JobResource, o: RunOverrides, resolvePath: (p: string) => string): BackupPlan | VerifyPlan {
  const common = { level: o.level, storage: o.storage };
  if (job.type === 'Verify') {
    const plan = resolveVerify(config, job, common, resolvePath);
    return { ...plan, messages: o.messages ?? plan.messages, priority: o.priority ?? plan.priority };
  }
  const run = { pool: o.pool, fullPool: o.fullPool, incrementalPool: o.incrementalPool, differentialPool: o.differentialPool };
  const plan = resolveBackup(config, job, { ...common, run, spoolData: o.spoolData }, resolvePath);
  return { ...plan, messages: o.messages ?? plan.messages, priority: o.priority ?? plan.priority, accurate: o.accurate ?? plan.accurate };
}

export interface RestoreRequest {
  job: JobResource;
  client: string;
  restoreClient?: string;
  storage?: string;
  jobIds: number[];
  paths: Buffer[];
  where?: string;
  replace?: string;
  /** The exact files (the restore tree's marks); `paths` is then unused. */
  chosen?: ChosenFiles;
  regexWhere?: string;
  stripPrefix?: string;
  addPrefix?: string;
  addSuffix?: string;
  /** The console's Restore Owner, when it has one. */
  owner?: { uid: number; gid: number };
  /** Restore what this bootstrap file selects (a path the caller resolved). */
  bootstrapFile?: string;
  /** Also write the restore's bootstrap to this file (a path the caller resolved). */
  writeBootstrap?: string;
}

const REPLACES: readonly Replace[] = ['always', 'ifnewer', 'ifolder', 'never'];

export function resolveRestore(config: DirectorConfig, r: RestoreRequest): RestorePlan {
  const replace = (r.replace ?? r.job.replace ?? 'always').toLowerCase() as Replace;
  if (!REPLACES.includes(replace)) throw new BurrowError('BAD_REQUEST', `replace=${r.replace} is not one of ${REPLACES.join(', ')}`);
  const regexWhere = checkedRegexWhere(r);
  // As in Bareos, a rewrite replaces where=: the rewritten name is where a file lands.
  const where = regexWhere ? '' : r.where ?? r.job.where ?? '';
  if (where.split('/').includes('..')) throw new BurrowError('HOSTILE_PATH', `where=${where} contains ".."; give an absolute path without ".."`);
  if (where.includes('\0')) throw new BurrowError('HOSTILE_PATH', 'where= contains a NUL byte');
  if (where && !where.startsWith('/')) throw new BurrowError('BAD_REQUEST', `where=${where} must be an absolute path`);
  const restoreClient = clientTarget(config, r.restoreClient ?? r.client);
  const storage = storageTarget(config, r.storage ?? r.job.storage[0] ?? '');
  const storages = readingStorages(config, r.storage, r.job.storage);
  return {
    kind: 'restore',
    jobName: r.job.name,
    client: clientTarget(config, r.client),
    restoreClient,
    storage,
    storages,
    limits: runLimits(config, r.job, restoreClient.name, storage),
    scripts: jobScripts(r.job),
    jobIds: r.jobIds,
    paths: r.paths,
    chosen: r.chosen,
    regexWhere,
    where: Buffer.from(where, 'utf8'),
    replace,
    ...(r.owner ? { owner: r.owner } : {}),
    ...(r.bootstrapFile !== undefined ? { bootstrapFile: r.bootstrapFile } : {}),
    ...(r.writeBootstrap !== undefined ? { writeBootstrap: r.writeBootstrap } : {}),
    maximumBandwidth: jobBandwidth(config, r.job, restoreClient.name),
    messages: r.job.messages ?? '',
    priority: r.job.priority,
  };
}

/**
 * Where a restore or verify may read volumes, in order of preference: the storage= given
 * alone, else the Job's Storages (`preferred`), then every other Storage resource.
 */
function readingStorages(config: DirectorConfig, given: string | undefined, preferred: readonly string[]): StorageTarget[] {
  const names = given !== undefined ? [given] : [...preferred, ...config.storages.map((s) => s.name)];
  return [...new Set(names.map((n) => n.toLowerCase()))].map((n) => storageTarget(config, n));
}

/** Bareos: regexwhere= wins; otherwise strip_prefix/add_prefix/add_suffix make one. Refused here when it does not compile. */
function checkedRegexWhere(r: RestoreRequest): string {
  const text = r.regexWhere || buildRegexWhere(r) || '';
  if (text) parseRegexWhere(text);
  return text;
}

/** A Verify Job with the run command's level=, client=, fileset=, storage= and jobid=. */
export function resolveVerify(config: DirectorConfig, job: JobResource, o: Overrides & { jobId?: number }, resolvePath: (p: string) => string): VerifyPlan {
  if (job.type !== 'Verify') throw new BurrowError('BAD_REQUEST', `Job "${job.name}" is a ${job.type ?? 'typeless'} job, not a Verify`);
  const wanted = (o.level ?? job.level ?? '').toLowerCase();
  const level = VERIFY_LEVELS.find((l) => l.toLowerCase() === wanted);
  if (!level) throw new BurrowError('BAD_REQUEST', `level "${o.level ?? job.level ?? ''}" is not a verify level (${VERIFY_LEVELS.join(', ')})`);
  const verifyJob = job.verifyJob ? findJob(config, job.verifyJob) : undefined;
  // Bareos: a VolumeToCatalog verify of another Job checks that Job's FileSet.
  const fs = need(config.fileSets, o.fileset ?? (level === 'VolumeToCatalog' || level === 'Data' ? verifyJob?.fileSet : undefined) ?? job.fileSet, 'FileSet', job.name);
  const spec = fileSetSpec(fs, resolvePath);
  const client = clientTarget(config, o.client ?? job.client ?? '');
  const storageName = o.storage ?? job.storage[0] ?? verifyJob?.storage[0];
  const volumeLevel = level === 'VolumeToCatalog' || level === 'Data';
  if (volumeLevel && !storageName) throw new BurrowError('BAD_REQUEST', `Job "${job.name}" names no Storage to read the volumes of a ${level} verify from`);
  const storage = storageName ? storageTarget(config, storageName) : { name: '', address: '', port: 0, password: '', device: '', devices: [], mediaType: '', autoChanger: false, maximumConcurrentJobs: 1 };
  return {
    kind: 'verify',
    jobName: job.name,
    level,
    client,
    storage,
    storages: volumeLevel ? readingStorages(config, o.storage, [...job.storage, ...verifyJob?.storage ?? []]) : [],
    fileset: { name: fs.name, spec, digest: fileSetDigest(spec) },
    verifyJob: verifyJob?.name ?? null,
    verifyJobId: o.jobId ?? null,
    maximumBandwidth: jobBandwidth(config, job, client.name),
    limits: runLimits(config, job, client.name, storage),
    scripts: jobScripts(job),
    messages: job.messages ?? '',
    priority: job.priority,
  };
}
