/**
 * Prometheus metrics on the real daemons (issue 16): each daemon with a Metrics Port
 * serves /metrics; during a backup that waits for a volume the Director counts it
 * waiting, the Storage daemon its session and the drive waiting; after it and a restore,
 * the job counters, bytes and files agree with the catalog's Job and Media rows.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogFiles, openSqliteCatalog } from '@burrow/director/catalog/index';
import { Burrow } from '../harness/daemons.js';
import { buildSampleTree } from '../harness/tree.js';
import { metricsPort, sample, scrape } from '../harness/metrics.js';

describe('metrics of the three daemons', () => {
  let src: string;
  let burrow: Burrow;
  const port = { dir: 0, sd: 0, fd: 0 };
  // Port 0: each daemon's system-picked port is read from its log line.
  const metrics = ['Metrics Port = 0', 'Metrics Address = 127.0.0.1'];
  const catalogRows = async <T>(read: (c: ReturnType<typeof openSqliteCatalog>) => T | Promise<T>): Promise<T> => {
    const c = openSqliteCatalog(catalogFiles(burrow.directorWorkDir, 'bacula').database);
    try {
      return await read(c);
    } finally {
      c.close();
    }
  };

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-metrics-'));
    buildSampleTree(src);
    burrow = await Burrow.start({
      include: [src], labelFormat: null,
      directorDirectives: metrics, sdDirectives: metrics, fdDirectives: metrics,
    });
    for (const name of ['dir', 'sd', 'fd'] as const) port[name] = await metricsPort(burrow, name);
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  it('serves process metrics and nothing but /metrics', async () => {
    for (const p of [port.dir, port.sd, port.fd]) {
      const s = await scrape(p);
      assert.ok(sample(s, 'process_cpu_seconds_total') > 0);
      assert.ok(sample(s, 'nodejs_heap_size_used_bytes') > 0);
      const other = await fetch(`http://127.0.0.1:${p}/`);
      assert.equal(other.status, 404);
    }
    const dir = await scrape(port.dir);
    assert.equal(sample(dir, 'burrow_dir_jobs_running'), 0);
    assert.equal(sample(dir, 'burrow_dir_pool_bytes{pool="Full"}'), 0);
    const sd = await scrape(port.sd);
    assert.equal(sample(sd, 'burrow_sd_drive_state{drive="FileStorage",device="FileStorage",state="idle"}'), 1);
  });

  it('counts a job while it waits for a volume, and agrees with the catalog once it ends', async () => {
    const run = await burrow.console(['run job=backup-test yes']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    await burrow.untilLogged(/Cannot find any appendable volumes\./);

    const dirDuring = await scrape(port.dir);
    assert.equal(sample(dirDuring, 'burrow_dir_jobs_waiting'), 1);
    assert.equal(sample(dirDuring, 'burrow_dir_jobs_running'), 0);
    assert.equal(sample(dirDuring, 'burrow_dir_job_queue_length'), 0);
    const sdDuring = await scrape(port.sd);
    assert.equal(sample(sdDuring, 'burrow_sd_sessions{mode="append"}'), 1);
    assert.equal(sample(sdDuring, 'burrow_sd_drive_state{drive="FileStorage",device="FileStorage",state="waiting"}'), 1);
    assert.equal(sample(sdDuring, 'burrow_sd_drive_state{drive="FileStorage",device="FileStorage",state="idle"}'), 0);

    const label = await burrow.console(['label storage=File volume=Vol-M pool=Full', 'wait jobid=1']);
    assert.match(label.stdout, /3000 OK label\./, label.stdout);
    const job = await catalogRows((c) => c.getJob(1));
    assert.equal(job?.status, 'T', burrow.jobLog());
    const volume = await catalogRows(async (c) => (await c.listMedia()).find((m) => m.volumeName === 'Vol-M'));
    assert.ok(job && volume && job.jobFiles > 0 && job.jobBytes > 0);

    const dir = await scrape(port.dir);
    assert.equal(sample(dir, 'burrow_dir_jobs_total{type="B",level="F",status="T"}'), 1);
    assert.equal(sample(dir, 'burrow_dir_job_bytes_sum{type="B",level="F"}'), job.jobBytes);
    assert.equal(sample(dir, 'burrow_dir_job_files_sum{type="B",level="F"}'), job.jobFiles);
    assert.equal(sample(dir, 'burrow_dir_job_duration_seconds_count{type="B",level="F"}'), 1);
    assert.equal(sample(dir, 'burrow_dir_job_duration_seconds_sum{type="B",level="F"}'), ((job.endTime ?? 0) - (job.startTime ?? 0)) / 1000);
    assert.equal(sample(dir, 'burrow_dir_jobs_waiting'), 0);
    assert.equal(sample(dir, 'burrow_dir_pool_volumes{pool="Full",status="Append"}'), 1);
    assert.equal(sample(dir, 'burrow_dir_pool_bytes{pool="Full"}'), volume.volBytes);
    assert.ok(sample(dir, 'burrow_dir_catalog_batch_seconds_count') >= 1);

    const fd = await scrape(port.fd);
    assert.equal(sample(fd, 'burrow_fd_jobs_total{type="backup",status="T"}'), 1);
    assert.equal(sample(fd, 'burrow_fd_read_bytes_total'), job.readBytes);
    assert.equal(sample(fd, 'burrow_fd_files_total{type="backup"}'), job.jobFiles);
    assert.equal(sample(fd, 'burrow_fd_jobs_running'), 0);

    const sd = await scrape(port.sd);
    assert.equal(sample(sd, 'burrow_sd_sessions_total{mode="append"}'), 1);
    assert.equal(sample(sd, 'burrow_sd_sessions{mode="append"}'), 0);
    // The catalog's JobBytes is what the Storage daemon wrote (records' data, headers not counted).
    assert.equal(sample(sd, 'burrow_sd_written_bytes_total'), job.jobBytes);
    assert.equal(sample(sd, 'burrow_sd_drive_state{drive="FileStorage",device="FileStorage",state="idle"}'), 1);
  });

  it('counts a restore on each daemon', async () => {
    const where = join(burrow.dir, 'restored');
    const restore = await burrow.console([`restore client=test-fd jobid=1 all yes where=${where}`, 'wait']);
    assert.equal(restore.code, 0, restore.stdout);
    const job = await catalogRows(async (c) => (await c.listJobs({ type: 'R' }))[0]);
    assert.equal(job?.status, 'T', burrow.jobLog());
    assert.ok(job);

    const dir = await scrape(port.dir);
    assert.equal(sample(dir, 'burrow_dir_jobs_total{type="R",level="",status="T"}'), 1);
    assert.equal(sample(dir, 'burrow_dir_job_bytes_sum{type="R",level=""}'), job.jobBytes);
    const fd = await scrape(port.fd);
    assert.equal(sample(fd, 'burrow_fd_jobs_total{type="restore",status="T"}'), 1);
    assert.equal(sample(fd, 'burrow_fd_written_bytes_total'), job.jobBytes);
    assert.equal(sample(fd, 'burrow_fd_files_total{type="restore"}'), job.jobFiles);
    const sd = await scrape(port.sd);
    assert.equal(sample(sd, 'burrow_sd_sessions_total{mode="read"}'), 1);
    assert.equal(sample(sd, 'burrow_sd_read_bytes_total'), sample(sd, 'burrow_sd_written_bytes_total'));
  });
});
