/**
 * list and llist: the catalog as tables (list) or as one field per line (llist). One
 * handler for both; the two differ only in their renderer (list-text.ts), and in that
 * `llist jobid=N` also gives the job's log.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { displayPath } from '@burrow/common/names/index';
import { burrow } from '@burrow/common/proto/index';
import type { JobRow, MediaRow, PoolRow } from '../../catalog/index.js';
import { listDate } from '../../jobs/format.js';
import { defineCommand, type ConsoleContext } from '../command.js';
import { choice, count, ids, text } from '../arg-types.js';
import { consoleScope } from '../scope.js';
import { jobFilter, jobFilterArgs } from './job-filter.js';
import { renderList, renderLlist, type JobMediaRecord, type JobRecord, type ListResult, type LocationRecord, type PoolRecord, type VolumeRecord } from './list-text.js';
import { placeOf } from '../../media/locations.js';

function jobRecord(j: JobRow): JobRecord {
  return {
    jobid: j.jobId, job: j.job, name: j.name, type: j.type, level: j.level, client: j.clientName, fileset: j.fileSetName,
    pool: j.poolName, jobstatus: j.status, schedtime: listDate(j.schedTime), starttime: listDate(j.startTime),
    endtime: listDate(j.endTime), jobfiles: j.jobFiles, jobbytes: j.jobBytes, readbytes: j.readBytes, joberrors: j.jobErrors,
    priorjobid: j.priorJobId,
  };
}

function volumeRecord(m: MediaRow): VolumeRecord {
  return {
    mediaid: m.mediaId, volumename: m.volumeName, volstatus: m.volStatus, enabled: m.enabled, pool: m.poolName, mediatype: m.mediaType,
    volbytes: m.volBytes, volblocks: m.volBlocks, voljobs: m.volJobs, volfiles: m.volFiles, volmounts: m.volMounts, volerrors: m.volErrors,
    maxvolbytes: m.maxVolBytes, maxvoljobs: m.maxVolJobs, maxvolfiles: m.maxVolFiles,
    volretention: Math.floor(m.volRetention / 1000), voluseduration: Math.floor(m.volUseDuration / 1000),
    recycle: m.recycle ? 1 : 0, recyclecount: m.recycleCount, recyclepool: m.recyclePoolName ?? '', actiononpurge: m.actionOnPurge,
    slot: m.slot, inchanger: m.inChanger ? 1 : 0, storage: m.storageName ?? '',
    firstwritten: listDate(m.firstWritten), lastwritten: listDate(m.lastWritten), labeldate: listDate(m.labelDate),
    initialwrite: listDate(m.initialWrite),
  };
}

/** A pool's catalog row as `list pools` shows it (durations in seconds, as Bareos's columns). */
async function poolRecord(ctx: ConsoleContext, p: PoolRow): Promise<PoolRecord> {
  return {
    poolid: p.poolId, name: p.name, numvols: await ctx.catalog.countMedia(p.poolId), maxvols: p.maximumVolumes, pooltype: p.poolType,
    labelformat: p.labelFormat ?? '', maxvolbytes: p.maximumVolumeBytes, maxvoljobs: p.maximumVolumeJobs, maxvolfiles: p.maximumVolumeFiles,
    volretention: Math.floor(p.volumeRetention / 1000), voluseduration: Math.floor(p.volumeUseDuration / 1000),
    autoprune: p.autoPrune ? 1 : 0, recycle: p.recycle ? 1 : 0, actiononpurge: p.actionOnPurge,
    recyclepool: p.recyclePoolId === null ? '' : (await ctx.catalog.getPoolById(p.recyclePoolId))?.name ?? '',
    scratchpool: p.scratchPoolId === null ? '' : (await ctx.catalog.getPoolById(p.scratchPoolId))?.name ?? '',
  };
}

const SUBJECTS = ['jobs', 'job', 'jobid', 'joblog', 'volumes', 'volume', 'media', 'pools', 'clients', 'files', 'jobtotals', 'backups',
  'locations', 'volumehistory', 'jobmedia'] as const;

export const listArgs = z.object({
  /** What to list: `list jobs`; with only jobid= given, that job. */
  what: choice(SUBJECTS, 'say jobs, jobid=N, joblog jobid=N, files jobid=N, jobmedia, jobtotals, backups client=, volumes, pools or clients').optional(),
  jobid: ids().optional(),
  client: text().optional(),
  job: text().optional(),
  limit: count().optional(),
  pool: text().optional(),
  volume: text().optional(),
  ...jobFilterArgs,
  storage: text().optional(),
}).strict();
type ListArgs = z.output<typeof listArgs>;

/** The job, if this console may see it; otherwise it does not exist (for this console). */
export async function visibleJob(ctx: ConsoleContext, jobId: number): Promise<JobRow> {
  const j = await ctx.catalog.getJob(jobId);
  if (!j || !consoleScope(ctx).jobAllowed(j)) throw new BurrowError('NOT_FOUND', `JobId ${jobId} does not exist`);
  return j;
}

async function jobsFor(ctx: ConsoleContext, a: ListArgs): Promise<JobRow[]> {
  if (a.jobid?.length) return Promise.all(a.jobid.map((id) => visibleJob(ctx, id)));
  const scope = consoleScope(ctx);
  const filter = jobFilter(a, ctx.env.clock.now());
  // The filters beyond the catalog's query come before the limit: limit=20 jobstatus=E is the last 20 failures.
  const rows = (await ctx.catalog.listJobs({ client: a.client, name: a.job, type: filter.type, limit: filter.narrows ? undefined : a.limit }))
    .filter((j) => scope.jobAllowed(j) && filter.keeps(j));
  if (!filter.narrows || a.limit === undefined) return rows;
  return a.limit === 0 ? [] : rows.slice(-a.limit);
}

/** The one job `list files` and `list joblog` are about. */
async function oneJob(ctx: ConsoleContext, a: ListArgs, what: string): Promise<number> {
  const only = a.jobid?.length === 1 ? a.jobid[0] : undefined;
  if (only === undefined) throw new BurrowError('BAD_REQUEST', `list ${what}: give jobid=N`);
  await visibleJob(ctx, only);
  return only;
}

async function volumes(ctx: ConsoleContext, pool: string | undefined, volume?: string): Promise<VolumeRecord[]> {
  const scope = consoleScope(ctx);
  if (volume !== undefined) {
    const m = await ctx.catalog.getMediaByName(volume);
    if (!m || !scope.poolAllowed(m.poolName)) throw new BurrowError('NOT_FOUND', `Volume "${volume}" not found in catalog.`);
    return [volumeRecord(m)];
  }
  if (!pool) return (await ctx.catalog.listMedia()).filter((m) => scope.poolAllowed(m.poolName)).map(volumeRecord);
  const row = scope.poolAllowed(pool) ? await ctx.catalog.getPool(pool) : undefined;
  if (!row) throw new BurrowError('NOT_FOUND', `Pool "${pool}" is not in the catalog`);
  return (await ctx.catalog.listMedia({ poolId: row.poolId })).map(volumeRecord);
}

/**
 * `list jobmedia [jobid=]` (Bareos's): the rows saying which part of which volume holds
 * which files of a job, one per volume and, on tape, per tape file; addresses split as
 * Bareos shows them (a tape's file and block, a disk offset's high and low 32 bits).
 */
async function jobMedia(ctx: ConsoleContext, a: ListArgs): Promise<JobMediaRecord[]> {
  const split = (addr: number): [number, number] => [Math.floor(addr / 2 ** 32), addr % 2 ** 32];
  const rows = [];
  for (const j of await jobsFor(ctx, a)) rows.push(...await ctx.catalog.listJobMedia(j.jobId));
  return rows.map((jm) => {
    const [startfile, startblock] = split(jm.startAddr);
    const [endfile, endblock] = split(jm.endAddr);
    return {
      jobmediaid: jm.jobMediaId, jobid: jm.jobId, volumename: jm.volumeName, firstindex: jm.firstIndex, lastindex: jm.lastIndex,
      startfile, startblock, endfile, endblock, volindex: jm.volIndex,
    };
  });
}

/** `list locations [pool=] [storage=]`: where each cartridge this console may see is, and its last event. */
async function locations(ctx: ConsoleContext, a: ListArgs): Promise<LocationRecord[]> {
  const scope = consoleScope(ctx);
  const last = await ctx.catalog.lastMediaEvents();
  const wanted = (m: MediaRow): boolean => scope.poolAllowed(m.poolName)
    && (a.pool === undefined || m.poolName.toLowerCase() === a.pool.toLowerCase())
    && (a.storage === undefined || (m.storageName ?? '').toLowerCase() === a.storage.toLowerCase());
  return (await ctx.catalog.listMedia()).filter(wanted).map((m) => {
    const e = last.get(m.volumeName);
    return {
      volumename: m.volumeName, volstatus: m.volStatus, pool: m.poolName, mediatype: m.mediaType, location: placeOf(m),
      slot: m.slot, inchanger: m.inChanger ? 1 : 0, storage: m.storageName ?? '', lastevent: e?.event ?? '', lasteventtime: listDate(e?.time ?? null),
    };
  });
}

/** `list volumehistory volume=X`: the cartridge's events, oldest first (kept after the volume is deleted). */
async function volumeHistory(ctx: ConsoleContext, volume: string | undefined, command: string): Promise<ListResult> {
  if (volume === undefined) throw new BurrowError('BAD_REQUEST', `${command} volumehistory: missing volume=`);
  const m = await ctx.catalog.getMediaByName(volume);
  if (m && !consoleScope(ctx).poolAllowed(m.poolName)) throw new BurrowError('NOT_FOUND', `Volume "${volume}" not found in catalog.`);
  const history = await ctx.catalog.listMediaEvents(volume);
  if (!m && history.length === 0) throw new BurrowError('NOT_FOUND', `Volume "${volume}" not found in catalog.`);
  return {
    volumename: volume,
    history: history.map((e) => ({ time: listDate(e.time), event: e.event, location: e.place, jobid: e.jobId, text: e.text })),
  };
}

async function files(ctx: ConsoleContext, jobId: number): Promise<ListResult> {
  // A user's console (Restore Owner) learns only the names of that user's files.
  const owner = consoleScope(ctx).restoreOwner;
  const filenames = [];
  for await (const f of ctx.catalog.iterateFiles(jobId)) {
    if (owner && Number(burrow.FileAttributes.decode(f.attributes).uid) !== owner.uid) continue;
    filenames.push({ path: displayPath(f.path), path_b64: f.path.toString('base64'), fileindex: f.fileIndex });
  }
  return { jobid: jobId, filenames };
}

/** list jobtotals: jobs, files and bytes per job name, and over all. */
async function jobTotals(ctx: ConsoleContext): Promise<ListResult> {
  const totals = new Map<string, { jobs: number; files: number; bytes: number }>();
  const scope = consoleScope(ctx);
  for (const j of (await ctx.catalog.listJobs()).filter((row) => scope.jobAllowed(row))) {
    const t = totals.get(j.name) ?? { jobs: 0, files: 0, bytes: 0 };
    t.jobs++;
    t.files += j.jobFiles;
    t.bytes += j.jobBytes;
    totals.set(j.name, t);
  }
  const rows = [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([name, t]) => ({ name, ...t }));
  const total = rows.reduce((s, r) => ({ jobs: s.jobs + r.jobs, files: s.files + r.files, bytes: s.bytes + r.bytes }), { jobs: 0, files: 0, bytes: 0 });
  return { jobtotals: rows, total };
}

/** llist jobid=N: the job records, then their logs (each ends with its job report). */
async function jobsWithLogs(ctx: ConsoleContext, rows: readonly JobRow[]): Promise<ListResult> {
  const joblog: string[] = [];
  for (const j of rows) for (const l of await ctx.catalog.getLog(j.jobId)) joblog.push(l.text);
  return { jobs: rows.map(jobRecord), joblog };
}

/** Bareos's "list backups client=": the client's good backups, newest last. */
async function backups(ctx: ConsoleContext, client: string | undefined, command: string): Promise<ListResult> {
  if (client === undefined) throw new BurrowError('BAD_REQUEST', `${command} backups: missing client=`);
  const scope = consoleScope(ctx);
  if (!scope.clientAllowed(client)) throw new BurrowError('NOT_FOUND', `Client "${client}" is not defined`);
  const rows = (await ctx.catalog.listJobs({ client, type: 'B' })).filter((j) => (j.status === 'T' || j.status === 'W') && scope.jobAllowed(j));
  return { backups: rows.map(jobRecord) };
}

async function listing(ctx: ConsoleContext, a: ListArgs, longForm: boolean): Promise<ListResult> {
  const command = longForm ? 'llist' : 'list';
  const scope = consoleScope(ctx);
  switch (a.what ?? (a.jobid ? 'jobid' : a.volume !== undefined ? 'volume' : undefined)) {
    case 'jobs':
    case 'job':
      return { jobs: (await jobsFor(ctx, a)).map(jobRecord) };
    case 'jobid': {
      const rows = await jobsFor(ctx, a);
      // llist jobid=N: the job record, then its log (which ends with the job report).
      if (longForm && a.what === undefined) return jobsWithLogs(ctx, rows);
      return { jobs: rows.map(jobRecord) };
    }
    case 'joblog':
      return ctx.catalog.getLog(await oneJob(ctx, a, 'joblog')).then((log) => ({ joblog: log.map((l) => l.text) }));
    case 'volumes':
    case 'volume':
    case 'media':
      return { volumes: await volumes(ctx, a.pool, a.volume) };
    case 'pools':
      return { pools: await Promise.all((await ctx.catalog.listPools()).filter((p) => scope.poolAllowed(p.name)).map((p) => poolRecord(ctx, p))) };
    case 'clients':
      return { clients: await Promise.all(ctx.config.clients.filter((c) => scope.clientAllowed(c.name)).map(async (c) => ({ clientid: (await ctx.catalog.getClient(c.name))?.clientId ?? null, name: c.name, address: c.address, fdport: c.fdPort }))) };
    case 'files':
      return files(ctx, await oneJob(ctx, a, 'files'));
    case 'jobtotals':
      return await jobTotals(ctx);
    case 'backups':
      return await backups(ctx, a.client, command);
    case 'locations':
      return { locations: await locations(ctx, a) };
    case 'volumehistory':
      return await volumeHistory(ctx, a.volume, command);
    case 'jobmedia':
      return jobMedia(ctx, a).then((jobmedia) => ({ jobmedia }));
    default:
      throw new BurrowError('BAD_REQUEST', `${command}: say jobs, jobid=N, joblog jobid=N, files jobid=N, jobmedia, jobtotals, backups client=, volumes, pools or clients`);
  }
}

export const listCommand = defineCommand({
  name: 'list',
  help: 'List catalog records: jobs, jobid=, joblog, files, jobmedia, volumes, pools, clients, locations, volumehistory',
  usage: 'list jobs [client=] [job=] [jobstatus=<letters>] [joblevel=] [jobtype=B|R|V] [days=] [hours=] [since=<date>] [limit=] | list jobid=<id> | list files jobid=<id> | list jobmedia [jobid=<id>] | list joblog jobid=<id> | list volumes [pool=] | list volume=<name> | list pools | list clients | list jobtotals | list backups client= | list locations [pool=] [storage=] | list volumehistory volume=<name>',
  args: listArgs,
  positional: 'what',
  run: (ctx, a) => listing(ctx, a, false),
  render: renderList,
});

export const llistCommand = defineCommand({
  name: 'llist',
  help: 'Long listing of catalog records (llist jobid=N shows the job and its log)',
  usage: 'llist jobs | llist jobid=<id> | llist volumes [pool=] | llist volume=<name> | llist backups client= (and whatever list takes)',
  args: listArgs,
  positional: 'what',
  run: (ctx, a) => listing(ctx, a, true),
  render: renderLlist,
});
