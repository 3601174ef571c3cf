/**
 * Runbook level 4, the backup server lost (docs/recovery/4-server-lost.md), end to
 * end: backups, the BackupCatalog job (a dump of the live catalog and the daemons'
 * configurations, its bootstrap written away from the server), and one more
 * Incremental after it; then the Director's working directory (catalog, job log) and
 * its configuration are deleted. From the volumes and that bootstrap alone: bextract
 * gives back the dump and the configuration, load_catalog_backup makes the dump a
 * catalog, bscan adds the job written after the catalog backup, the Director starts
 * on it, and every job restores byte-identical to its restore before the loss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertRestoresAsBefore, expectingConsole, restoreBefore, runTool, tidyUp } from '../harness/recovery.js';
import { Burrow, runProcess } from '../harness/daemons.js';
import { buildSampleTree } from '../harness/tree.js';
import { BIN, SCRIPTDIR } from '../harness/paths.js';


test('level 4: the server lost; bextract, load_catalog_backup and bscan bring the Director back on its catalog', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-lvl4-'));
  buildSampleTree(src);
  const out = mkdtempSync(join(tmpdir(), 'burrow-lvl4-out-'));
  // What the administrator keeps away from the server: the catalog backup's bootstrap (mailed, in real life).
  const safe = join(out, 'safe');
  mkdirSync(safe);
  const burrow = await Burrow.start({
    include: [src], labelFormat: 'Srv-',
    directorResources: `
FileSet { Name = "Catalog"
  Include { Options { Signature = MD5 }
    File = "@WORKDIR@/bacula.sql"
    File = "@ETCDIR@" } }
Job { Name = "BackupCatalog"; Type = Backup; Level = Full; Client = test-fd; FileSet = "Catalog"; Storage = File; Pool = Full; Messages = Standard
  RunBeforeJob = "${SCRIPTDIR}/make_catalog_backup MyCatalog"
  RunAfterJob  = "${SCRIPTDIR}/delete_catalog_backup"
  Write Bootstrap = "${safe}/%n.bsr"
  Priority = 11 }`,
  });
  tidyUp(t, burrow, [src, out]);
  const ok = expectingConsole(burrow);
  const backupOk = /Termination:\s+Backup OK\n/;
  await ok(['run job=backup-test level=Full yes'], backupOk);
  writeFileSync(join(src, 'docs', 'second.txt'), 'after the Full\n');
  await ok(['run job=backup-test level=Incremental yes'], backupOk);
  await ok(['run job=BackupCatalog yes'], backupOk);
  writeFileSync(join(src, 'docs', 'hello.txt'), 'written after the catalog backup\n');
  await ok(['run job=backup-test level=Incremental yes'], backupOk);
  const jobs = [1, 2, 4];
  await restoreBefore(ok, out, jobs);
  const bsr = join(safe, 'BackupCatalog.bsr');
  assert.ok(existsSync(bsr), 'the catalog backup wrote its bootstrap');

  // The loss: the Director, its working directory (catalog, logs) and its configuration gone.
  await burrow.stopNamed('dir');
  const work = burrow.directorWorkDir;
  rmSync(work, { recursive: true, force: true });
  rmSync(burrow.configs.dir);

  // 1. bextract the catalog backup with its bootstrap: the dump and the configuration.
  const recovered = join(out, 'recovered');
  const extracted = runTool(BIN.bextract, ['-b', bsr, burrow.volumes, recovered]);
  assert.equal(extracted.code, 0, `${extracted.stdout}\n${extracted.stderr}`);
  // 2. The configuration back in its place, the working directory made again.
  copyFileSync(join(recovered, burrow.configs.dir), burrow.configs.dir);
  mkdirSync(work);
  // 3. The dump made a catalog.
  const load = await runProcess(join(SCRIPTDIR, 'load_catalog_backup'), ['-c', burrow.configs.dir, 'MyCatalog', join(recovered, work, 'bacula.sql')], '', 30_000);
  assert.equal(load.code, 0, `${load.stdout}\n${load.stderr}`);
  // 4. What was written after the catalog backup, scanned in (the jobs the dump has are skipped).
  const volumes = readdirSync(burrow.volumes).filter((n) => n.startsWith('Srv-')).sort();
  const scan = runTool(BIN.bscan, ['-s', '-m', '-c', burrow.configs.dir, '-V', volumes.join('|'), burrow.volumes]);
  assert.equal(scan.code, 0, `${scan.stdout}\n${scan.stderr}`);
  assert.match(scan.stdout, /\s+1 Job\n/, scan.stdout);
  // 5. The Director starts on it; every job restores as before.
  await burrow.spawnDaemon('dir', 'dir', burrow.configs.dir);
  const listed = await burrow.console(['list jobs']);
  assert.match(listed.stdout, /\| 3\s+\| BackupCatalog\s+\|.*\| f\s+\|\n/, 'the catalog backup was running when dumped: cut off');
  await assertRestoresAsBefore(ok, { out, src, jobs });
});
