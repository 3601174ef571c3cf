/**
 * A Job's level pools (Full / Incremental / Differential Backup Pool) decide where a
 * backup writes, after its level is decided, as Bareos does: an Incremental with no
 * Full is upgraded and goes to the Full pool, the next Incremental to the Incremental
 * pool, and the run command's pool= wins unless the level was upgraded. The job log
 * and the report name the pool and where it came from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';

test('Full, Incremental and Differential Backup Pool choose the pool a backup writes to', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-pools-'));
  writeFileSync(join(src, 'a'), 'a\n');
  const burrow = await Burrow.start({
    include: [src],
    jobDirectives: ['Full Backup Pool = FullPool', 'Incremental Backup Pool = IncPool', 'Differential Backup Pool = DiffPool'],
    directorResources: `
Pool { Name = FullPool; Pool Type = Backup; Label Format = "Full-" }
Pool { Name = IncPool; Pool Type = Backup; Label Format = "Incr-" }
Pool { Name = DiffPool; Pool Type = Backup; Label Format = "Diff-" }`,
  });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });

  const run = async (args: string): Promise<string> => {
    const r = await burrow.console([`run job=backup-test ${args} yes`, 'wait', 'messages']);
    assert.equal(r.code, 0, r.stdout + burrow.logs());
    return r.stdout;
  };

  // No Full yet: the Incremental is upgraded, and the Full pool is used. New volumes are
  // numbered from the highest MediaId, as Bareos's Label Format does (Full-0001, Incr-0002, ...).
  const upgraded = await run('level=Incremental');
  assert.match(upgraded, /No prior Full backup Job record found/);
  assert.match(upgraded, /Using Pool "FullPool" \(From Job FullPool override\)\./);
  assert.match(upgraded, /Pool:\s+"FullPool" \(From Job FullPool override\)\n/);
  assert.match(upgraded, /Volume name\(s\):\s+Full-0001\n/);

  writeFileSync(join(src, 'b'), 'b\n');
  const inc = await run('level=Incremental');
  assert.match(inc, /Pool:\s+"IncPool" \(From Job IncPool override\)\n/);
  assert.match(inc, /Volume name\(s\):\s+Incr-0002\n/);

  const diff = await run('level=Differential');
  assert.match(diff, /Pool:\s+"DiffPool" \(From Job DiffPool override\)\n/);
  assert.match(diff, /Volume name\(s\):\s+Diff-0003\n/);

  // The run command's pool= wins over the level pool.
  const given = await run('level=Full pool=Full');
  assert.match(given, /Pool:\s+"Full" \(From command line\)\n/);
  assert.match(given, /Volume name\(s\):\s+Vol-0004\n/);

  // The catalog agrees: each job's row names its pool, each volume is in its pool.
  const listed = await burrow.console(['list volumes', 'llist jobid=2']);
  for (const [volume, pool] of [['Full-0001', 'FullPool'], ['Incr-0002', 'IncPool'], ['Diff-0003', 'DiffPool'], ['Vol-0004', 'Full']]) {
    assert.match(listed.stdout, new RegExp(`\\| ${volume}\\s+\\| \\w+\\s+\\| ${pool}\\s+\\|`), listed.stdout);
  }
  assert.match(listed.stdout, /pool: IncPool\n/, listed.stdout);
});
