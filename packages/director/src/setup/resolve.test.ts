import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDirectorConfig } from '@burrow/common/config/index';
import { findJob, resolveBackup } from './resolve.js';

test('a job\'s data is held to its Job\'s Maximum Bandwidth, else to its Client\'s Maximum Bandwidth Per Job', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-resolve-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'burrow-dir.conf');
  writeFileSync(file, `
Director { Name = d; Password = p; Working Directory = "${dir}"; Messages = M }
Client { Name = slow-fd; Address = 127.0.0.1; Password = p; Maximum Bandwidth Per Job = 300 kb/s }
Client { Name = free-fd; Address = 127.0.0.1; Password = p }
Storage { Name = File; Address = 127.0.0.1; Password = p; Device = FileStorage; Media Type = File }
Catalog { Name = MyCatalog; dbname = burrow }
Pool { Name = Full; Pool Type = Backup }
FileSet { Name = Set; Include { File = /nonexistent } }
Messages { Name = M; Catalog = all }
Job { Name = plain; Type = Backup; Client = slow-fd; FileSet = Set; Storage = File; Pool = Full; Messages = M }
Job { Name = own; Type = Backup; Client = slow-fd; FileSet = Set; Storage = File; Pool = Full; Messages = M; Maximum Bandwidth = 1000 kb/s }
`);
  const { config } = loadDirectorConfig(file);
  const limit = (job: string, client?: string): number => resolveBackup(config, findJob(config, job), { client }, (p) => p).maximumBandwidth;
  assert.equal(limit('plain'), 300_000, 'the Client\'s limit');
  assert.equal(limit('own'), 1_000_000, 'the Job\'s own limit wins, higher or not');
  assert.equal(limit('plain', 'free-fd'), 0, 'client=free-fd: its Client has none');
});
