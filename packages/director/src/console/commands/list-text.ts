/**
 * What list and llist answer, and how Bareos prints it: `list` as fixed-width tables,
 * `llist` one field per line. Field names are Bareos's (lower case, as its JSON has them).
 */
import { withCommas } from '../../jobs/format.js';
import { table } from '../text.js';

export interface JobRecord {
  jobid: number;
  job: string;
  name: string;
  type: string;
  level: string;
  client: string | null;
  fileset: string | null;
  pool: string | null;
  jobstatus: string;
  schedtime: string;
  starttime: string;
  endtime: string;
  jobfiles: number;
  jobbytes: number;
  readbytes: number;
  joberrors: number;
  priorjobid: number | null;
}

/** A Media row as Bareos's listings name its columns (durations in seconds). */
export interface VolumeRecord {
  mediaid: number;
  volumename: string;
  volstatus: string;
  enabled: number;
  pool: string;
  mediatype: string;
  volbytes: number;
  volblocks: number;
  voljobs: number;
  volfiles: number;
  volmounts: number;
  volerrors: number;
  maxvolbytes: number;
  maxvoljobs: number;
  maxvolfiles: number;
  volretention: number;
  voluseduration: number;
  recycle: number;
  recyclecount: number;
  recyclepool: string;
  actiononpurge: number;
  slot: number;
  inchanger: number;
  storage: string;
  firstwritten: string;
  lastwritten: string;
  labeldate: string;
  initialwrite: string;
}

/** A Pool row as `list pools` shows it (durations in seconds). */
export interface PoolRecord {
  poolid: number;
  name: string;
  numvols: number;
  maxvols: number;
  pooltype: string;
  labelformat: string;
  maxvolbytes: number;
  maxvoljobs: number;
  maxvolfiles: number;
  volretention: number;
  voluseduration: number;
  autoprune: number;
  recycle: number;
  actiononpurge: number;
  recyclepool: string;
  scratchpool: string;
}

export interface ClientRecord {
  clientid: number | null;
  name: string;
  address: string;
  fdport: number;
}

/** A file's name as shown (displayPath), and its exact bytes. */
export interface FileName {
  path: string;
  path_b64: string;
  fileindex: number;
}

export interface Totals {
  jobs: number;
  files: number;
  bytes: number;
}

/** Where a cartridge is (`list locations`), and its last event. */
export interface LocationRecord {
  volumename: string;
  volstatus: string;
  pool: string;
  mediatype: string;
  location: string;
  slot: number;
  inchanger: number;
  storage: string;
  lastevent: string;
  lasteventtime: string;
}

/** One event of a cartridge's history (`list volumehistory volume=`). */
export interface VolumeEventRecord {
  time: string;
  event: string;
  location: string;
  jobid: number | null;
  text: string;
}

/** A JobMedia row (`list jobmedia`): addresses as Bareos's StartFile/StartBlock, EndFile/EndBlock. */
export interface JobMediaRecord {
  jobmediaid: number;
  jobid: number;
  volumename: string;
  firstindex: number;
  lastindex: number;
  startfile: number;
  startblock: number;
  endfile: number;
  endblock: number;
  volindex: number;
}

export type ListResult =
  | { jobs: JobRecord[] }
  /** llist jobid=N: the job, then its log. */
  | { jobs: JobRecord[]; joblog: string[] }
  | { joblog: string[] }
  | { volumes: VolumeRecord[] }
  | { pools: PoolRecord[] }
  | { clients: ClientRecord[] }
  | { jobid: number; filenames: FileName[] }
  | { jobtotals: Array<Totals & { name: string }>; total: Totals }
  | { backups: JobRecord[] }
  | { locations: LocationRecord[] }
  | { jobmedia: JobMediaRecord[] }
  | { volumename: string; history: VolumeEventRecord[] };

/** A long listing: every field on its own line, records separated by a blank line. */
function long(records: ReadonlyArray<object>): string {
  return records.map((r) => Object.entries(r).map(([k, v]) => `${k.padStart(16)}: ${v ?? ''}`).join('\n')).join('\n\n');
}

function filesText(r: { jobid: number; filenames: FileName[] }): string {
  return [...r.filenames.map((f) => f.path), `+${'-'.repeat(20)}+`, `${withCommas(r.filenames.length)} files in JobId ${r.jobid}`].join('\n');
}

function totalsText(r: { jobtotals: Array<Totals & { name: string }>; total: Totals }): string {
  const row = (t: Totals, name: string): Array<string | number> => [t.jobs, withCommas(t.files), withCommas(t.bytes), name];
  return table(['Jobs', 'Files', 'Bytes', 'Job'], [...r.jobtotals.map((t) => row(t, t.name)), row(r.total, 'TOTAL')]);
}

function render(r: ListResult, longForm: boolean): string {
  if ('filenames' in r) return filesText(r);
  if ('jobtotals' in r) return totalsText(r);
  if ('joblog' in r) return 'jobs' in r ? `${long(r.jobs)}\n\n${r.joblog.join('\n')}` : r.joblog.join('\n');
  if ('volumes' in r) {
    return longForm ? long(r.volumes) : table(['MediaId', 'VolumeName', 'VolStatus', 'Pool', 'VolBytes', 'VolFiles', 'VolJobs', 'LastWritten'],
      r.volumes.map((v) => [v.mediaid, v.volumename, v.volstatus, v.pool, withCommas(v.volbytes), withCommas(v.volfiles), v.voljobs, v.lastwritten]));
  }
  if ('locations' in r) {
    return longForm ? long(r.locations) : table(['VolumeName', 'VolStatus', 'Pool', 'Location', 'LastEvent', 'Time'],
      r.locations.map((l) => [l.volumename, l.volstatus, l.pool, l.location, l.lastevent, l.lasteventtime]));
  }
  if ('jobmedia' in r) {
    return longForm ? long(r.jobmedia) : table(['JobMediaId', 'JobId', 'VolumeName', 'FirstIndex', 'LastIndex', 'StartFile', 'StartBlock', 'EndFile', 'EndBlock'],
      r.jobmedia.map((m) => [m.jobmediaid, m.jobid, m.volumename, m.firstindex, m.lastindex, m.startfile, m.startblock, m.endfile, m.endblock]));
  }
  if ('history' in r) {
    return longForm ? long(r.history) : table(['Time', 'Event', 'Location', 'JobId', 'Text'],
      r.history.map((e) => [e.time, e.event, e.location, e.jobid ?? '', e.text]));
  }
  if ('pools' in r) return longForm ? long(r.pools) : table(['PoolId', 'Name', 'NumVols', 'MaxVols', 'PoolType', 'LabelFormat'], r.pools.map((p) => [p.poolid, p.name, p.numvols, p.maxvols, p.pooltype, p.labelformat]));
  if ('clients' in r) return longForm ? long(r.clients) : table(['ClientId', 'Name', 'Address', 'FDPort'], r.clients.map((c) => [c.clientid ?? '', c.name, c.address, c.fdport]));
  if ('backups' in r) {
    return longForm ? long(r.backups) : table(['JobId', 'Name', 'Level', 'StartTime', 'JobFiles', 'JobBytes', 'JobStatus'],
      r.backups.map((j) => [j.jobid, j.name, j.level, j.starttime, withCommas(j.jobfiles), withCommas(j.jobbytes), j.jobstatus]));
  }
  return longForm ? long(r.jobs) : table(['JobId', 'Name', 'StartTime', 'Type', 'Level', 'JobFiles', 'JobBytes', 'JobStatus'],
    r.jobs.map((j) => [j.jobid, j.name, j.starttime, j.type, j.level, withCommas(j.jobfiles), withCommas(j.jobbytes), j.jobstatus]));
}

/** `list`: tables. */
export const renderList = (r: ListResult): string => render(r, false);

/** `llist`: one field per line; `llist jobid=N` adds the job's log. */
export const renderLlist = (r: ListResult): string => render(r, true);
