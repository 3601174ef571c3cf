/**
 * The job queue at the Director's shutdown: a job submitted while shutdown() runs is
 * refused, including one whose submit began before and was still writing its catalog
 * row (it would otherwise be queued after the cancels, and shutdown would wait for it
 * to run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurrowError } from '@burrow/common/errors/index';
import { findResource } from '@burrow/common/config/index';
import { openTestConsole } from '../console/test-console.js';
import { scheduledPlan } from '../setup/resolve.js';

const shuttingDown = (err: unknown): boolean => err instanceof BurrowError && err.code === 'JOB_CANCELED' && /the Director is shutting down/.test(err.message);

test('a submit under way when shutdown begins is refused and its job ends canceled, never run', async () => {
  const t = await openTestConsole();
  try {
    const { queue, live } = t.services;
    const config = live.current.config;
    const job = findResource(config.jobs, 'backup-test');
    assert.ok(job);
    const plan = scheduledPlan(config, job, {}, (p) => p);
    const started: number[] = [];
    queue.events.on('started', (e) => started.push(e.jobId));
    // The submit decides the level and writes the Job row (awaits) before it queues the job.
    const submitted = queue.submit(plan);
    const shutdown = queue.shutdown();
    await assert.rejects(submitted, shuttingDown);
    await shutdown;
    assert.deepEqual(queue.list(), []);
    assert.deepEqual(started, [], 'the job never started');
    const rows = await t.catalog.listJobs();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.status, 'A');
    assert.match((await t.catalog.getLog(rows[0]?.jobId ?? 0)).map((l) => l.text).join('\n'), /The Director is shutting down\./);
    // One asked after shutdown began is refused before it writes anything.
    await assert.rejects(queue.submit(plan), shuttingDown);
    assert.equal((await t.catalog.listJobs()).length, 1);
  } finally {
    t.close();
  }
});
