import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobResource } from '@burrow/common/config/index';
import { createLogger } from '@burrow/common/log/index';
import { ManualClock } from '../time/clock.js';
import { parseRun } from './run-spec.js';
import { Scheduler, type ScheduleEntry } from './scheduler.js';

const log = createLogger({ name: 'test', level: 'silent', pretty: false });
const job = { name: 'nightly' } as unknown as JobResource;
const entry = (line: string): ScheduleEntry => ({ run: parseRun(line), item: { job, schedule: 'WeeklyCycle' } });

test('jobs fire at the times the Run lines give, as the clock moves', async () => {
  const clock = new ManualClock(new Date('2026-03-01T22:00').getTime());
  const fired: string[] = [];
  const scheduler = new Scheduler([entry('Level=Full 1st sun at 23:05'), entry('Level=Incremental mon-sat at 23:05')], clock, (f) => {
    fired.push(`${new Date(clock.now()).toISOString()} ${f.run.overrides.level} ${new Date(f.time).getDate()}`);
  }, log);
  const stop = new AbortController();
  const running = scheduler.run(stop.signal);
  assert.deepEqual(scheduler.upcoming(1).map((f) => f.run.overrides.level), ['Full']);
  await clock.advanceTo(new Date('2026-03-03T23:59').getTime());
  stop.abort();
  await running;
  assert.deepEqual(fired.map((f) => f.split(' ').slice(1).join(' ')), ['Full 1', 'Incremental 2', 'Incremental 3']);
  // Each job fired at its minute, not late.
  for (const f of fired) assert.match(f, /T\d\d:05:00\.000Z|T\d\d:05/);
});

test('a run fires once at its minute, however often the loop wakes', async () => {
  const start = new Date('2026-03-02T23:00').getTime();
  const clock = new ManualClock(start);
  let count = 0;
  const scheduler = new Scheduler([entry('daily at 23:05')], clock, () => { count++; }, log);
  const stop = new AbortController();
  const running = scheduler.run(stop.signal);
  await clock.advanceTo(start + 10 * 60_000);
  assert.equal(count, 1);
  stop.abort();
  await running;
});

test('new entries (a reload) take effect at once, and the old ones stop firing', async () => {
  const start = new Date('2026-03-02T22:00').getTime();
  const clock = new ManualClock(start);
  const fired: string[] = [];
  const scheduler = new Scheduler([entry('daily at 23:05')], clock, (f) => { fired.push(f.run.overrides.level ?? 'default'); }, log);
  const stop = new AbortController();
  const running = scheduler.run(stop.signal);
  await clock.advanceTo(start + 30 * 60_000);
  scheduler.replaceEntries([entry('Level=Full daily at 22:45')]);
  await clock.advanceTo(start + 3 * 3_600_000);
  stop.abort();
  await running;
  assert.deepEqual(fired, ['Full'], 'the replaced 23:05 run did not fire; the new 22:45 run did');
});

test('a scheduler that starts with no entries fires the ones it is given later', async () => {
  const start = new Date('2026-03-02T22:00').getTime();
  const clock = new ManualClock(start);
  let count = 0;
  const scheduler = new Scheduler([], clock, () => { count++; }, log);
  const stop = new AbortController();
  const running = scheduler.run(stop.signal);
  scheduler.replaceEntries([entry('daily at 22:10')]);
  await clock.advanceTo(start + 20 * 60_000);
  stop.abort();
  await running;
  assert.equal(count, 1);
});
