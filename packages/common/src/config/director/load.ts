/**
 * Loads and checks a Director configuration (`burrow-dir.conf` or `burrow-dir.d/`).
 */
import type { z } from 'zod';
import { poolRefusal } from './allowed-clients.js';
import { collectDaemon, checkReferences, findResource, exactlyOne, validateAll, type DaemonSchema, type Sourced } from '../schema/daemon.js';
import { messagesSpec } from '../schema/messages.js';
import { deepFreeze, Problems, type ConfigWarning, type Frozen } from '../schema/problems.js';
import type { RawResource, ResourceSpec } from '../schema/resource.js';
import { readConfigNodes } from '../syntax/source.js';
import { fileSetSpec } from './fileset.js';
import { applyJobDefs, jobDefsSpec, jobSpec, REQUIRED_BY_TYPE } from './job.js';
import { catalogSpec, clientSpec, consoleSpec, directorSpec, poolSpec, profileSpec, scheduleSpec, storageSpec } from './resources.js';

type Out<S extends ResourceSpec> = Frozen<z.output<S['schema']> & Sourced>;

export type DirectorResource = Out<typeof directorSpec>;
export type ClientResource = Out<typeof clientSpec>;
export type StorageResource = Out<typeof storageSpec>;
export type CatalogResource = Out<typeof catalogSpec>;
export type PoolResource = Out<typeof poolSpec>;
export type ScheduleResource = Out<typeof scheduleSpec>;
export type FileSetResource = Out<typeof fileSetSpec>;
export type JobResource = Out<typeof jobSpec>;
export type JobDefsResource = Out<typeof jobDefsSpec>;
export type MessagesResource = Out<typeof messagesSpec>;
export type ConsoleResource = Out<typeof consoleSpec>;
export type ProfileResource = Out<typeof profileSpec>;

export interface DirectorConfig {
  readonly director: DirectorResource;
  readonly clients: readonly ClientResource[];
  readonly storages: readonly StorageResource[];
  readonly catalogs: readonly CatalogResource[];
  readonly pools: readonly PoolResource[];
  readonly schedules: readonly ScheduleResource[];
  readonly fileSets: readonly FileSetResource[];
  /** After JobDefs are applied; `storage` falls back to the Pool's Storage as in Bareos. */
  readonly jobs: readonly JobResource[];
  readonly jobDefs: readonly JobDefsResource[];
  readonly messages: readonly MessagesResource[];
  readonly consoles: readonly ConsoleResource[];
  readonly profiles: readonly ProfileResource[];
}

export const directorSchema: DaemonSchema = {
  daemonName: 'burrow-dir',
  resources: {
    Director: directorSpec, Client: clientSpec, Storage: storageSpec, Catalog: catalogSpec, Pool: poolSpec,
    Schedule: scheduleSpec, FileSet: fileSetSpec, Job: jobSpec, JobDefs: jobDefsSpec, Messages: messagesSpec,
    Console: consoleSpec, Profile: profileSpec,
  },
  ignored: ['Counter', 'User'],
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

type Targets = Omit<DirectorConfig, 'jobs' | 'director'>;

/** Checks names on the raw values, so a Job with some invalid directive still has its references checked. */
function checkJobReferences(raw: RawResource, cfg: Targets, problems: Problems): void {
  const ref = (prop: string, targets: readonly { name: string }[], targetType: string): void =>
    checkReferences({ problems, from: raw, prop, names: raw.values[prop] as string | string[] | undefined, targets, targetType });
  ref('client', cfg.clients, 'Client');
  ref('fileSet', cfg.fileSets, 'FileSet');
  for (const p of ['pool', 'fullBackupPool', 'incrementalBackupPool', 'differentialBackupPool']) ref(p, cfg.pools, 'Pool');
  ref('storage', cfg.storages, 'Storage');
  ref('messages', cfg.messages, 'Messages');
  ref('schedule', cfg.schedules, 'Schedule');
  ref('catalog', cfg.catalogs, 'Catalog');
}

function checkJobRequirements(raw: RawResource, job: Mutable<JobResource>, cfg: Targets, problems: Problems): void {
  if (job.storage.length === 0 && job.pool) {
    const pool = cfg.pools.find((p) => p.name.toLowerCase() === job.pool!.toLowerCase());
    if (pool) job.storage = [...pool.storage];
  }
  const at = { file: raw.node.file, line: raw.node.line, resource: raw.label };
  if (!job.type) { problems.error({ ...at, directive: 'Type', message: 'is required (in the Job or its JobDefs)' }); return; }
  checkJobPools(job, cfg, (directive, message) => problems.error({ ...at, directive, message }));
  for (const prop of REQUIRED_BY_TYPE[job.type] ?? []) {
    const value = (job as Record<string, unknown>)[prop];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
      const directive = prop === 'fileSet' ? 'FileSet' : prop.charAt(0).toUpperCase() + prop.slice(1);
      problems.error({ ...at, directive, message: `is required for a ${job.type} job (in the Job, its JobDefs${prop === 'storage' ? ' or its Pool' : ''})` });
    }
  }
}

const JOB_POOLS = { pool: 'Pool', fullBackupPool: 'Full Backup Pool', incrementalBackupPool: 'Incremental Backup Pool', differentialBackupPool: 'Differential Backup Pool' } as const;

/** A backup's Client must be among the Allowed Clients of every pool the Job names (allowed-clients.ts). */
function checkJobPools(job: JobResource, cfg: Targets, error: (directive: string, message: string) => void): void {
  if (job.type !== 'Backup' || !job.client) return;
  for (const [prop, directive] of Object.entries(JOB_POOLS)) {
    const name = job[prop as keyof typeof JOB_POOLS];
    const pool = name === undefined ? undefined : findResource(cfg.pools, name);
    const refusal = pool && poolRefusal(pool, job.client);
    if (refusal) error(directive, refusal);
  }
}

export function loadDirectorConfig(path: string): { config: DirectorConfig; warnings: ConfigWarning[] } {
  const nodes = readConfigNodes(path, 'burrow-dir');
  const problems = new Problems();
  const raws = collectDaemon(nodes, directorSchema, problems);
  const rawOf = (spec: ResourceSpec): RawResource[] => raws.get(spec) ?? [];
  applyJobDefs(rawOf(jobSpec), rawOf(jobDefsSpec), problems);
  const cfg = {
    clients: validateAll<ClientResource>(rawOf(clientSpec), problems),
    storages: validateAll<StorageResource>(rawOf(storageSpec), problems),
    catalogs: validateAll<CatalogResource>(rawOf(catalogSpec), problems),
    pools: validateAll<PoolResource>(rawOf(poolSpec), problems),
    schedules: validateAll<ScheduleResource>(rawOf(scheduleSpec), problems),
    fileSets: validateAll<FileSetResource>(rawOf(fileSetSpec), problems),
    jobDefs: validateAll<JobDefsResource>(rawOf(jobDefsSpec), problems),
    messages: validateAll<MessagesResource>(rawOf(messagesSpec), problems),
    consoles: validateAll<ConsoleResource>(rawOf(consoleSpec), problems),
    profiles: validateAll<ProfileResource>(rawOf(profileSpec), problems),
  };
  const directors = validateAll<DirectorResource>(rawOf(directorSpec), problems);
  const director = exactlyOne(directors, rawOf(directorSpec), 'Director', problems, nodes[0] ?? { file: path, line: 1 });
  for (const raw of rawOf(directorSpec)) checkReferences({ problems, from: raw, prop: 'messages', names: raw.values['messages'] as string | undefined, targets: cfg.messages, targetType: 'Messages' });
  for (const raw of rawOf(clientSpec)) checkReferences({ problems, from: raw, prop: 'catalog', names: raw.values['catalog'] as string | undefined, targets: cfg.catalogs, targetType: 'Catalog' });
  for (const raw of rawOf(poolSpec)) {
    checkReferences({ problems, from: raw, prop: 'storage', names: raw.values['storage'] as string[] | undefined, targets: cfg.storages, targetType: 'Storage' });
    checkReferences({ problems, from: raw, prop: 'catalog', names: raw.values['catalog'] as string | undefined, targets: cfg.catalogs, targetType: 'Catalog' });
    checkReferences({ problems, from: raw, prop: 'allowedClients', names: raw.values['allowedClients'] as string[] | undefined, targets: cfg.clients, targetType: 'Client' });
    for (const prop of ['recyclePool', 'scratchPool']) {
      checkReferences({ problems, from: raw, prop, names: raw.values[prop] as string | undefined, targets: cfg.pools, targetType: 'Pool' });
    }
  }
  for (const raw of rawOf(consoleSpec)) {
    checkReferences({ problems, from: raw, prop: 'profile', names: raw.values['profile'] as string[] | undefined, targets: cfg.profiles, targetType: 'Profile' });
  }
  if (cfg.catalogs.length > 1) {
    const second = rawOf(catalogSpec)[1]!.node;
    problems.error({ file: second.file, line: second.line, resource: 'Catalog', directive: '', message: 'Burrow supports one Catalog resource' });
  }
  const jobs: JobResource[] = [];
  for (const raw of rawOf(jobSpec)) {
    checkJobReferences(raw, cfg, problems);
    const [job] = validateAll<JobResource>([raw], problems);
    if (!job) continue;
    checkJobRequirements(raw, job as Mutable<JobResource>, cfg, problems);
    jobs.push(job);
  }
  problems.throwIfAny();
  const config: DirectorConfig = { director: director!, jobs, ...cfg };
  return { config: deepFreeze(config), warnings: problems.warnings };
}
