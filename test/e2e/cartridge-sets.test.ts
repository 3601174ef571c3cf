/**
 * Cartridge sets per client (issue 13 section 3): a Pool with `Allowed Clients` takes
 * only those Clients' data, and no path writes a client's data into a pool not allowed
 * to it: the Job's own pool (a config error), the run command's pool= and client=, a
 * Schedule Run line's Pool= (refused at reload), `update volume pool=`, a move out of
 * the scratch pool, and a session order sent to the Storage daemon directly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@burrow/common/net/client';
import { Burrow } from '../harness/daemons.js';

test('a client limited to its pool cannot be written elsewhere by any path', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-sets-'));
  writeFileSync(join(src, 'a'), 'data of test-fd\n');
  const burrow = await Burrow.start({
    include: [src],
    poolDirectives: ['Allowed Clients = test-fd'],
    directorResources: `
Client { Name = other-fd; Address = 127.0.0.1; FDPort = @FDPORT@; Password = @CLIENTPASSWORD@ }
Pool { Name = Other; Pool Type = Backup; Label Format = "Oth-"; Allowed Clients = other-fd }
Pool { Name = Scratch; Pool Type = Scratch }
Job { Name = backup-other; Type = Backup; Level = Full; Client = other-fd; FileSet = TestSet; Storage = File; Pool = Other; Messages = Standard }`,
  });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const refusedRun = async (line: string, pool: string, client: string): Promise<void> => {
    const r = await burrow.console([line, 'list jobs']);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stdout, new RegExp(`refused: Pool "${pool}" takes data only of its Allowed Clients \\([\\w-]+\\), not of Client "${client}"`), r.stdout);
    assert.doesNotMatch(r.stdout, /Job queued/, r.stdout);
  };

  // The run command's pool= and client= are refused before any job exists.
  await refusedRun('run job=backup-test pool=Other yes', 'Other', 'test-fd');
  await refusedRun('run job=backup-other client=test-fd yes', 'Other', 'test-fd');

  // The Job's own pool takes its client's data.
  const ok = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.match(ok.stdout, /Termination:\s+Backup OK/, ok.stdout + burrow.logs());
  assert.match(ok.stdout, /Volume name\(s\):\s+Vol-0001\n/, ok.stdout);

  // A volume holding test-fd's data does not move into Other; into Scratch (any client) it may.
  const moved = await burrow.console(['update volume=Vol-0001 pool=Other']);
  assert.notEqual(moved.code, 0);
  assert.match(moved.stdout, /Volume "Vol-0001" holds data of Client "test-fd", which Pool "Other" does not take \(Allowed Clients: other-fd\)/, moved.stdout);
  const toScratch = await burrow.console(['update volume=Vol-0001 pool=Scratch']);
  assert.match(toScratch.stdout, /New Pool is: Scratch/, toScratch.stdout);

  // other-fd's job does not take that volume out of the scratch pool: it labels one of its own.
  const other = await burrow.console(['run job=backup-other yes', 'wait', 'messages', 'list volumes']);
  assert.match(other.stdout, /Termination:\s+Backup OK/, other.stdout + burrow.logs());
  assert.match(other.stdout, /Volume "Vol-0001" holds data of Client "test-fd", which Pool "Other" does not take .*: not taken from the scratch pool\./, other.stdout);
  assert.match(other.stdout, /Volume name\(s\):\s+Oth-0002\n/, other.stdout);
  assert.match(other.stdout, /\| Vol-0001\s+\| \w+\s+\| Scratch\s+\|/, other.stdout);

  // A Schedule Run line's Pool= override is refused when the configuration is loaded.
  const good = readFileSync(burrow.configs.dir, 'utf8');
  appendFileSync(burrow.configs.dir, `
Schedule { Name = Nightly; Run = Level=Full Pool=Other daily at 23:00 }
Job { Name = backup-nightly; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Schedule = Nightly; Messages = Standard }
`);
  const reloaded = await burrow.console(['reload']);
  assert.match(reloaded.stdout, /Pool "Other" takes data only of its Allowed Clients \(other-fd\), not of Client "test-fd"/, reloaded.stdout);
  // So is a Job whose own pool does not take its client.
  writeFileSync(burrow.configs.dir, good + `
Job { Name = backup-wrong; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Other; Messages = Standard }
`);
  const wrongJob = await burrow.console(['reload']);
  assert.match(wrongJob.stdout, /Job "backup-wrong": Pool: Pool "Other" takes data only of its Allowed Clients \(other-fd\), not of Client "test-fd"/, wrongJob.stdout);
  writeFileSync(burrow.configs.dir, good);

  // The Storage daemon checks the same on the order it is given, whoever chose the pool.
  const sd = await connect({
    host: '127.0.0.1', port: burrow.ports.sd, self: { role: 'director', name: 'test-dir' }, secret: burrow.passwords.storage,
    peer: { role: 'storage', name: 'File' }, describeTarget: 'Storage daemon "File"',
  });
  try {
    await sd.send('sdBackup', {
      jobId: 99, jobName: 'forged.99', client: 'test-fd', fileset: 'TestSet', level: 'Full', pool: 'Other', poolType: 'Backup',
      device: 'FileStorage', devices: ['FileStorage'], mediaType: 'File', storage: 'File', poolAllowedClients: ['other-fd'],
    });
    const reply = await sd.receive();
    assert.equal(reply.kind, 'error', JSON.stringify(reply));
    assert.match(String((reply.body as { message: string }).message), /Storage daemon \S+ refuses JobId 99: Pool "Other" takes data only of its Allowed Clients \(other-fd\), not of Client "test-fd"/);
  } finally {
    sd.close('done');
  }
  const volumes = await burrow.console(['list volumes']);
  assert.doesNotMatch(volumes.stdout, /Oth-0003|Vol-0003/, 'no volume was labelled for the refused order');
});
