/** list and llist: the catalog as tables (list) or as one field per line (llist). */
import { BurrowError } from '@burrow/common/errors/index';
import { displayPath } from '@burrow/common/names/index';
import { burrow } from '@burrow/common/proto/index';
import type { JobRow, MediaRow } from '../../catalog/index.js';
import { listDate, withCommas } from '../../jobs/format.js';
import { ok, type Command, type CommandResult, type ConsoleContext } from '../command.js';
import { table } from '../text.js';
import type { Args } from '../args.js';
import { consoleScope } from '../scope.js';

function jobData(j: JobRow): Record<string, string | number | null> {
  return {
    jobid: j.jobId, job: j.job, name: j.name, type: j.type, level: j.level, client: j.clientName, fileset: j.fileSetName,
    pool: j.poolName, jobstatus: j.status, schedtime: listDate(j.schedTime), starttime: listDate(j.startTime),
    endtime: listDate(j.endTime), jobfiles: j.jobFiles, jobbytes: j.jobBytes, readbytes: j.readBytes, joberrors: j.jobErrors,
    priorjobid: j.priorJobId,
  };
}

function mediaData(m: MediaRow): Record<string, string | number | null> {
  return {
    mediaid: m.mediaId, volumename: m.volumeName, volstatus: m.volStatus, pool: m.poolName, mediatype: m.mediaType,
    volbytes: m.volBytes, volblocks: m.volBlocks, voljobs: m.volJobs, volfiles: m.volFiles, maxvolbytes: m.maxVolBytes,
    firstwritten: listDate(m.firstWritten), lastwritten: listDate(m.lastWritten), labeldate: listDate(m.labelDate),
  };
}

function jobsFor(ctx: ConsoleContext, args: Args): JobRow[] {
  const ids = args.ids('jobid');
  if (ids.length > 0) return ids.map((id) => visibleJob(ctx, id));
  const last = args.int('limit');
  const scope = consoleScope(ctx);
  return ctx.catalog.listJobs({ client: args.get('client'), name: args.get('job'), limit: last }).filter((j) => scope.jobAllowed(j));
}

function mediaFor(ctx: ConsoleContext, args: Args): MediaRow[] {
  const pool = args.get('pool');
  const scope = consoleScope(ctx);
  if (!pool) return ctx.catalog.listMedia().filter((m) => scope.poolAllowed(m.poolName));
  if (!scope.poolAllowed(pool)) throw new BurrowError('NOT_FOUND', `Pool "${pool}" is not in the catalog`);
  const row = ctx.catalog.getPool(pool);
  if (!row) throw new BurrowError('NOT_FOUND', `Pool "${pool}" is not in the catalog`);
  return ctx.catalog.listMedia(row.poolId);
}

function filesOf(ctx: ConsoleContext, args: Args): CommandResult {
  const jobId = args.int('jobid');
  if (jobId === undefined) throw new BurrowError('BAD_REQUEST', 'list files: give jobid=N');
  visibleJob(ctx, jobId);
  const names: string[] = [];
  const data: Array<{ path: string; path_b64: string; fileindex: number }> = [];
  // A user's console (Restore Owner) learns only the names of that user's files.
  const owner = consoleScope(ctx).restoreOwner;
  for (const f of ctx.catalog.iterateFiles(jobId)) {
    if (owner && Number(burrow.FileAttributes.decode(f.attributes).uid) !== owner.uid) continue;
    const shown = displayPath(f.path);
    names.push(shown);
    data.push({ path: shown, path_b64: f.path.toString('base64'), fileindex: f.fileIndex });
  }
  return ok([...names, `+${'-'.repeat(20)}+`, `${withCommas(names.length)} files in JobId ${jobId}`].join('\n'), { filenames: data });
}

/** list jobtotals: jobs, files and bytes per job name, and over all. */
function jobTotals(ctx: ConsoleContext): CommandResult {
  const totals = new Map<string, { jobs: number; files: number; bytes: number }>();
  const scope = consoleScope(ctx);
  for (const j of ctx.catalog.listJobs().filter((row) => scope.jobAllowed(row))) {
    const t = totals.get(j.name) ?? { jobs: 0, files: 0, bytes: 0 };
    t.jobs++;
    t.files += j.jobFiles;
    t.bytes += j.jobBytes;
    totals.set(j.name, t);
  }
  const rows = [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([name, t]) => ({ name, ...t }));
  const all = rows.reduce((s, r) => ({ jobs: s.jobs + r.jobs, files: s.files + r.files, bytes: s.bytes + r.bytes }), { jobs: 0, files: 0, bytes: 0 });
  const text = table(['Jobs', 'Files', 'Bytes', 'Job'], [...rows.map((r) => [r.jobs, withCommas(r.files), withCommas(r.bytes), r.name]),
    [all.jobs, withCommas(all.files), withCommas(all.bytes), 'TOTAL']]);
  return ok(text, { jobtotals: rows, total: all });
}

/** The job, if this console may see it; otherwise it does not exist (for this console). */
export function visibleJob(ctx: ConsoleContext, jobId: number): JobRow {
  const j = ctx.catalog.getJob(jobId);
  if (!j || !consoleScope(ctx).jobAllowed(j)) throw new BurrowError('NOT_FOUND', `JobId ${jobId} does not exist`);
  return j;
}

/** A long listing: every field on its own line, records separated by a blank line. */
function long(records: Array<Record<string, unknown>>): string {
  return records.map((r) => Object.entries(r).map(([k, v]) => `${k.padStart(16)}: ${v ?? ''}`).join('\n')).join('\n\n');
}

function listing(ctx: ConsoleContext, args: Args, longForm: boolean): CommandResult {
  const what = args.firstWord() ?? (args.has('jobid') ? 'jobid' : undefined);
  switch (what) {
    case 'jobs':
    case 'job':
    case 'jobid': {
      const jobs = jobsFor(ctx, args).map(jobData);
      if (longForm && what === 'jobid') {
        // llist jobid=N: the job record, then its log (which ends with the job report).
        const logs = jobsFor(ctx, args).flatMap((j) => ctx.catalog.getLog(j.jobId).map((l) => l.text));
        return ok(`${long(jobs)}\n\n${logs.join('\n')}`, { jobs, joblog: logs });
      }
      return ok(longForm ? long(jobs) : table(['JobId', 'Name', 'StartTime', 'Type', 'Level', 'JobFiles', 'JobBytes', 'JobStatus'],
        jobs.map((j) => [j.jobid ?? '', j.name ?? '', j.starttime ?? '', j.type ?? '', j.level ?? '', withCommas(Number(j.jobfiles)), withCommas(Number(j.jobbytes)), j.jobstatus ?? ''])), { jobs });
    }
    case 'joblog': {
      const jobId = args.int('jobid');
      if (jobId === undefined) throw new BurrowError('BAD_REQUEST', 'list joblog: give jobid=N');
      visibleJob(ctx, jobId);
      const logs = ctx.catalog.getLog(jobId).map((l) => l.text);
      return ok(logs.join('\n'), { joblog: logs });
    }
    case 'volumes':
    case 'volume':
    case 'media': {
      const vols = mediaFor(ctx, args).map(mediaData);
      return ok(longForm ? long(vols) : table(['MediaId', 'VolumeName', 'VolStatus', 'Pool', 'VolBytes', 'VolFiles', 'VolJobs', 'LastWritten'],
        vols.map((v) => [v.mediaid ?? '', v.volumename ?? '', v.volstatus ?? '', v.pool ?? '', withCommas(Number(v.volbytes)), withCommas(Number(v.volfiles)), v.voljobs ?? '', v.lastwritten ?? ''])), { volumes: vols });
    }
    case 'pools': {
      const pools = ctx.config.pools.filter((p) => consoleScope(ctx).poolAllowed(p.name)).map((p) => {
        const row = ctx.catalog.getPool(p.name);
        return { poolid: row?.poolId ?? null, name: p.name, pooltype: p.poolType, labelformat: p.labelFormat ?? '', maxvolbytes: p.maximumVolumeBytes ?? 0, numvols: row ? ctx.catalog.listMedia(row.poolId).length : 0 };
      });
      return ok(longForm ? long(pools) : table(['PoolId', 'Name', 'NumVols', 'PoolType', 'LabelFormat'], pools.map((p) => [p.poolid ?? '', p.name, p.numvols, p.pooltype, p.labelformat])), { pools });
    }
    case 'clients': {
      const clients = ctx.config.clients.filter((c) => consoleScope(ctx).clientAllowed(c.name)).map((c) => ({ clientid: ctx.catalog.getClient(c.name)?.clientId ?? null, name: c.name, address: c.address, fdport: c.fdPort }));
      return ok(longForm ? long(clients) : table(['ClientId', 'Name', 'Address', 'FDPort'], clients.map((c) => [c.clientid ?? '', c.name, c.address, c.fdport])), { clients });
    }
    case 'files':
      return filesOf(ctx, args);
    case 'jobtotals':
      return jobTotals(ctx);
    case 'backups': {
      // Bareos's "list backups client=": the client's good backups, newest last.
      const client = args.require('client', `${longForm ? 'llist' : 'list'} backups`);
      const scope = consoleScope(ctx);
      if (!scope.clientAllowed(client)) throw new BurrowError('NOT_FOUND', `Client "${client}" is not defined`);
      const jobs = ctx.catalog.listJobs({ client, type: 'B' }).filter((j) => (j.status === 'T' || j.status === 'W') && scope.jobAllowed(j)).map(jobData);
      return ok(longForm ? long(jobs) : table(['JobId', 'Name', 'Level', 'StartTime', 'JobFiles', 'JobBytes', 'JobStatus'],
        jobs.map((j) => [j.jobid ?? '', j.name ?? '', j.level ?? '', j.starttime ?? '', withCommas(Number(j.jobfiles)), withCommas(Number(j.jobbytes)), j.jobstatus ?? ''])), { backups: jobs });
    }
    default:
      throw new BurrowError('BAD_REQUEST', `${longForm ? 'llist' : 'list'}: say jobs, jobid=N, joblog jobid=N, files jobid=N, jobtotals, backups client=, volumes, pools or clients`);
  }
}

export const listCommand: Command = {
  name: 'list',
  help: 'List catalog records: jobs, jobid=, joblog, files, volumes, pools, clients',
  usage: 'list jobs [client=] [job=] [limit=] | list jobid=<id> | list files jobid=<id> | list joblog jobid=<id> | list volumes [pool=] | list pools | list clients',
  run: (ctx, args) => listing(ctx, args, false),
};

export const llistCommand: Command = {
  name: 'llist',
  help: 'Long listing of catalog records (llist jobid=N shows the job and its log)',
  usage: 'llist jobs | llist jobid=<id> | llist volumes',
  run: (ctx, args) => listing(ctx, args, true),
};
