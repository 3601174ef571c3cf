/**
 * `Monitor = yes` on the File and Storage daemons' Director resources, with the real
 * daemons: a second Director named like the tray monitor, holding only the monitor
 * passwords, gets `status client=` and `status storage=`, and its `estimate`, `run`,
 * `restore` and `label` fail with a clear error; the FD and SD log each refusal (who,
 * what); the normal Director goes on working.
 *
 * The monitor Director shares the catalog of the normal one (same working directory
 * and catalog name), as a rogue Director could hold any catalog: so its restore gets
 * as far as asking the daemons, which is what is tested.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { buildSampleTree } from '../harness/tree.js';

const MON_FD = 'monitor-fd-password';
const MON_SD = 'monitor-sd-password';
const MON_CONSOLE = 'monitor-console-password';

function monitorDirector(b: Burrow, src: string): string {
  const q = (s: string): string => JSON.stringify(s);
  return `
Director { Name = burrow-mon; DirAddress = 127.0.0.1; DirPort = 0; Password = ${q(MON_CONSOLE)}
  Working Directory = ${q(join(b.dir, 'dir'))}; Pid Directory = ${q(join(b.dir, 'mon'))}; Messages = Daemon }
Client { Name = test-fd; Address = 127.0.0.1; FDPort = ${b.ports.fd}; Password = ${q(MON_FD)}; Catalog = MyCatalog }
Storage { Name = File; Address = 127.0.0.1; SDPort = ${b.ports.sd}; Password = ${q(MON_SD)}; Device = FileStorage; Media Type = File }
Catalog { Name = MyCatalog; dbdriver = "sqlite3"; dbname = "bacula" }
Pool { Name = Full; Pool Type = Backup }
FileSet { Name = TestSet; Include { Options { Signature = SHA256 }
  File = ${q(src)} } }
Job { Name = backup-test; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard }
Job { Name = RestoreFiles; Type = Restore; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Standard; Where = ${q(join(b.dir, 'mon-restored'))} }
Messages { Name = Standard; Console = all; Catalog = all }
Messages { Name = Daemon; Console = all }
`;
}

test('a Monitor Director gets status from the FD and SD and is refused everything else', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-src-'));
  buildSampleTree(src);
  const burrow = await Burrow.start({
    include: [src], labelFormat: null,
    fdResources: `Director { Name = burrow-mon; Password = ${JSON.stringify(MON_FD)}; Monitor = yes }`,
    sdResources: `Director { Name = burrow-mon; Password = ${JSON.stringify(MON_SD)}; Monitor = yes }`,
  });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
  });
  const first = await burrow.console(['label storage=File volume=Vol-0001 pool=Full', 'run job=backup-test yes', 'wait', 'messages']);
  assert.match(first.stdout, /Termination:\s+Backup OK\n/, `${first.stdout}\n${burrow.logs()}`);

  const monConfig = join(burrow.dir, 'etc', 'mon-dir.conf');
  writeFileSync(monConfig, monitorDirector(burrow, src));
  const { port } = await burrow.spawnDaemon('mon', 'dir', monConfig);
  const monConsole = join(burrow.dir, 'etc', 'mon-bconsole.conf');
  writeFileSync(monConsole, `Director { Name = burrow-mon; Address = 127.0.0.1; DIRport = ${port}; Password = ${JSON.stringify(MON_CONSOLE)} }\n`);
  const mon = (lines: string[]) => burrow.console(lines, monConsole);

  const status = await mon(['status client=test-fd', 'status storage=File']);
  assert.equal(status.code, 0, `${status.stdout}\n${burrow.logs()}`);
  assert.match(status.stdout, /test-fd Version: 0\.1\.0/);
  assert.match(status.stdout, /test-sd Version/);

  const estimate = await mon(['estimate job=backup-test']);
  assert.notEqual(estimate.code, 0, estimate.stdout);
  assert.match(estimate.stdout, /Director "burrow-mon" has Monitor = yes: it may ask for status only, not for an estimate/);

  const run = await mon(['run job=backup-test yes', 'wait', 'messages']);
  assert.match(run.stdout, /it may ask for status only, not for a backup session/, run.stdout);
  assert.match(run.stdout, /Termination:\s+\*\*\* Backup Error \*\*\*/);

  const restore = await mon([`restore client=test-fd select current all done yes where=${join(burrow.dir, 'mon-restored')}`, 'wait', 'messages']);
  assert.match(restore.stdout, /it may ask for status only, not for a restore session/, restore.stdout);
  assert.match(restore.stdout, /Termination:\s+\*\*\* Restore Error \*\*\*/);
  assert.equal(existsSync(join(burrow.dir, 'mon-restored')), false, 'nothing was restored');

  const label = await mon(['label storage=File volume=MonVol pool=Full']);
  assert.notEqual(label.code, 0, label.stdout);
  assert.match(label.stdout, /it may ask for status only, not for a label/);
  assert.equal(existsSync(join(burrow.volumes, 'MonVol')), false, 'no volume was labelled');

  // Each refusal is in the refusing daemon's log, with who asked for what.
  const fdLog = burrow.output('fd');
  const sdLog = burrow.output('sd');
  assert.match(fdLog, /refused an estimate for Monitor Director \\"burrow-mon\\" from 127\.0\.0\.1/);
  for (const what of ['a backup session', 'a restore session', 'a label']) {
    assert.match(sdLog, new RegExp(`refused ${what} for Monitor Director \\\\"burrow-mon\\\\" from 127\\.0\\.0\\.1`));
  }

  // The normal Director is unaffected.
  const normal = await burrow.console(['status client=test-fd', 'estimate job=backup-test', 'run job=backup-test level=Full yes', 'wait', 'messages']);
  assert.equal(normal.code, 0, `${normal.stdout}\n${burrow.logs()}`);
  assert.match(normal.stdout, /Termination:\s+Backup OK\n/);
});
