import type Database from 'better-sqlite3';
import { BurrowError } from '@burrow/common/errors/index';
import type { Catalog } from '../catalog.js';
import { uniqueJobName } from '../jobname.js';
import { FINAL_JOB_STATUSES, JOB_STATUSES, type JobRow, type JobStatus, type LogRow } from '../types.js';

type JobOps = Pick<Catalog, 'createJob' | 'startJob' | 'setJobStatus' | 'finishJob' | 'getJob'
  | 'getJobByName' | 'listJobs' | 'lastSuccessfulJob' | 'markInterruptedJobs' | 'checkpointJob'
  | 'addLog' | 'getLog' | 'listLogsSince'>;

const FINAL_SQL = FINAL_JOB_STATUSES.map((s) => `'${s}'`).join(',');

export const JOB_SELECT = `SELECT J.JobId AS jobId, J.Job AS job, J.Name AS name, J.Type AS type,
  J.Level AS level, J.JobStatus AS status, J.ClientId AS clientId, C.Name AS clientName,
  J.FileSetId AS fileSetId, FS.Name AS fileSetName, J.PoolId AS poolId, P.Name AS poolName,
  J.StorageId AS storageId, J.PriorJobId AS priorJobId, J.SchedTime AS schedTime,
  J.StartTime AS startTime, J.EndTime AS endTime, J.Since AS since, J.JobFiles AS jobFiles,
  J.JobBytes AS jobBytes, J.ReadBytes AS readBytes, J.JobErrors AS jobErrors, J.PurgedFiles AS purgedFiles
  FROM Job J LEFT JOIN Client C ON C.ClientId = J.ClientId
  LEFT JOIN FileSet FS ON FS.FileSetId = J.FileSetId LEFT JOIN Pool P ON P.PoolId = J.PoolId`;

const LOG_SELECT = 'SELECT LogId AS logId, JobId AS jobId, Time AS time, LogText AS text FROM Log';

type RawJob = Omit<JobRow, 'purgedFiles'> & { purgedFiles: number };

export function toJobRow(raw: unknown): JobRow | undefined {
  if (raw === undefined) return undefined;
  const r = raw as RawJob;
  return { ...r, purgedFiles: r.purgedFiles !== 0 };
}

function checkStatus(status: string): JobStatus {
  if (!(JOB_STATUSES as readonly string[]).includes(status)) {
    throw new BurrowError('BAD_REQUEST', `unknown job status "${status}"`);
  }
  return status as JobStatus;
}

/** Jobs from creation to their final status, and each job's log. */
export function jobOps(db: Database.Database, now: () => number): JobOps {
  const stmt = {
    add: db.prepare(`INSERT INTO Job (JobId, Job, Name, Type, Level, ClientId, FileSetId, PoolId,
        StorageId, PriorJobId, SchedTime)
      VALUES (@jobId, @job, @name, @type, @level, @clientId, @fileSetId, @poolId, @storageId,
        @priorJobId, @schedTime)`),
    rename: db.prepare('UPDATE Job SET Job = ? WHERE JobId = ?'),
    start: db.prepare(`UPDATE Job SET JobStatus = 'R', StartTime = ?
      WHERE JobId = ? AND JobStatus NOT IN (${FINAL_SQL})`),
    status: db.prepare(`UPDATE Job SET JobStatus = ? WHERE JobId = ? AND JobStatus NOT IN (${FINAL_SQL})`),
    finish: db.prepare(`UPDATE Job SET JobStatus = @status, EndTime = @endTime, JobFiles = @jobFiles,
        JobBytes = @jobBytes, ReadBytes = @readBytes, JobErrors = @jobErrors,
        Since = COALESCE(@since, Since)
      WHERE JobId = @jobId AND JobStatus NOT IN (${FINAL_SQL})`),
    byId: db.prepare(`${JOB_SELECT} WHERE J.JobId = ?`),
    byName: db.prepare(`${JOB_SELECT} WHERE J.Job = ?`),
    list: db.prepare(`${JOB_SELECT} WHERE (@client IS NULL OR C.Name = @client)
      AND (@name IS NULL OR J.Name = @name) AND (@type IS NULL OR J.Type = @type)
      ORDER BY J.JobId DESC LIMIT @limit`),
    // `levels` is a string of level letters; instr() keeps this one prepared statement.
    // Backup and verify levels are distinct letters, so the levels also say the type.
    lastGood: db.prepare(`${JOB_SELECT} WHERE J.ClientId = @clientId
      AND J.FileSetId = @fileSetId AND J.JobStatus IN ('T','W')
      AND (@name IS NULL OR J.Name = @name) AND instr(@levels, J.Level) > 0
      ORDER BY J.StartTime DESC, J.JobId DESC LIMIT 1`),
    alive: db.prepare(`SELECT JobId AS jobId, Job AS job, JobStatus AS status, Type AS type, JobFiles AS saved
      FROM Job WHERE JobStatus NOT IN (${FINAL_SQL}) ORDER BY JobId`),
    checkpoint: db.prepare(`UPDATE Job SET JobFiles = ? WHERE JobId = ? AND JobStatus NOT IN (${FINAL_SQL})`),
    kill: db.prepare(`UPDATE Job SET JobStatus = 'f', EndTime = ? WHERE JobId = ?`),
    dropAfter: db.prepare('DELETE FROM File WHERE JobId = ? AND FileIndex > ?'),
    incomplete: db.prepare(`UPDATE Job SET JobStatus = 'I', EndTime = ? WHERE JobId = ?`),
    log: db.prepare('INSERT INTO Log (JobId, Time, LogText) VALUES (?, ?, ?)'),
    logOf: db.prepare(`${LOG_SELECT} WHERE JobId = ? ORDER BY LogId`),
    logSince: db.prepare(`${LOG_SELECT} WHERE LogId > ? ORDER BY LogId LIMIT ?`),
  };

  /** An update that matched nothing: say whether the job is missing or already over. */
  const explain = (jobId: number, what: string): never => {
    const job = toJobRow(stmt.byId.get(jobId));
    if (job === undefined) throw new BurrowError('NOT_FOUND', `no job with JobId ${jobId} in the catalog`);
    throw new BurrowError('CATALOG', `cannot ${what} job ${jobId}: it already ended with status ${job.status}`);
  };

  const createJob = db.transaction((input: Parameters<Catalog['createJob']>[0]): number => {
    const params = {
      jobId: input.jobId ?? null,
      job: input.job ?? `${input.name}.pending`,
      name: input.name, type: input.type, level: input.level,
      clientId: input.clientId, fileSetId: input.fileSetId, poolId: input.poolId,
      storageId: input.storageId ?? null, priorJobId: input.priorJobId ?? null,
      schedTime: input.schedTime,
    };
    const jobId = Number(stmt.add.run(params).lastInsertRowid);
    if (input.job === undefined) stmt.rename.run(uniqueJobName(input.name, input.schedTime, jobId), jobId);
    return jobId;
  });

  const markInterrupted = db.transaction((at: number): number[] => {
    const alive = stmt.alive.all() as { jobId: number; job: string; status: string; type: string; saved: number }[];
    for (const j of alive) {
      // A running backup's JobFiles is set only by its checkpoints (checkpointJob).
      const kept = j.type === 'B' ? j.saved : 0;
      if (kept > 0) {
        stmt.dropAfter.run(j.jobId, kept);
        stmt.incomplete.run(at, j.jobId);
        stmt.log.run(j.jobId, at, `${j.job}: Error: the job was still in state '${j.status}' when the Director stopped; ` +
          `marked Incomplete (I): its files up to FileIndex ${kept}, saved by its last checkpoint, stay in the catalog.`);
        continue;
      }
      stmt.kill.run(at, j.jobId);
      stmt.log.run(j.jobId, at, `${j.job}: Fatal error: the job was still in state ` +
        `'${j.status}' when the Director stopped; marked failed (f).`);
    }
    return alive.map((j) => j.jobId);
  });

  // Asynchronous by the interface; here each runs when it is called, so writes keep their order.
  return {
    createJob: async (input) => createJob.immediate(input),
    async startJob(jobId, startTime) {
      if (stmt.start.run(startTime, jobId).changes === 0) explain(jobId, 'start');
    },
    async setJobStatus(jobId, status) {
      const s = checkStatus(status);
      if ((FINAL_JOB_STATUSES as readonly string[]).includes(s)) {
        throw new BurrowError('BAD_REQUEST', `status ${s} is final: end the job with finishJob`);
      }
      if (stmt.status.run(s, jobId).changes === 0) explain(jobId, 'change the status of');
    },
    async finishJob(jobId, end) {
      const status = checkStatus(end.status);
      if (!(FINAL_JOB_STATUSES as readonly string[]).includes(status)) {
        throw new BurrowError('BAD_REQUEST', `status ${status} is not a final job status`);
      }
      const info = stmt.finish.run({
        jobId, status, endTime: end.endTime, jobFiles: end.jobFiles, jobBytes: end.jobBytes,
        readBytes: end.readBytes ?? 0, jobErrors: end.jobErrors ?? 0, since: end.since ?? null,
      });
      if (info.changes === 0) explain(jobId, 'finish');
    },
    getJob: async (jobId) => toJobRow(stmt.byId.get(jobId)),
    getJobByName: async (job) => toJobRow(stmt.byName.get(job)),
    async listJobs(query = {}) {
      const rows = stmt.list.all({
        client: query.client ?? null, name: query.name ?? null, type: query.type ?? null,
        limit: query.limit ?? -1,
      }).map((r) => toJobRow(r) as JobRow);
      return rows.reverse();
    },
    lastSuccessfulJob: async (q) => toJobRow(stmt.lastGood.get({
      clientId: q.clientId, fileSetId: q.fileSetId, name: q.name ?? null,
      levels: (q.levels ?? ['F', 'I', 'D']).join(''),
    })),
    markInterruptedJobs: async (at = now()) => markInterrupted.immediate(at),
    async checkpointJob(jobId, savedFiles) {
      stmt.checkpoint.run(savedFiles, jobId);
    },
    addLog: async (jobId, time, text) => Number(stmt.log.run(jobId, time, text).lastInsertRowid),
    getLog: async (jobId) => stmt.logOf.all(jobId) as LogRow[],
    listLogsSince: async (logId, limit = 10_000) => stmt.logSince.all(logId, limit) as LogRow[],
  };
}
