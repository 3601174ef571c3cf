/**
 * Fuzzing what a console sends (issue 14): command lines, parsed and run against a
 * real Director's parts (test-console.ts: its configuration, a SQLite catalog holding
 * a backup) — the commands that only read or change the catalog, since the others
 * reach daemons or write files. Any line: an answer or a clear refusal, never a crash
 * (an error that is not a BurrowError comes back as INTERNAL, "a bug in Burrow").
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { burrow } from '@burrow/common/proto/index';
import { openTestConsole, type TestConsole } from '@burrow/director/console/test-console';
import { execute } from '@burrow/director/console/session';
import { parseCommand } from '@burrow/director/console/args';
import { check, refusedClearly } from './budget.js';

const COMMANDS = ['list', 'llist', 'show', 'help', 'version', 'messages', '.api', '.jobs', '.clients', '.pools', '.bvfs_lsdirs', '.bvfs_lsfiles',
  '.bvfs_versions', '.bvfs_get_jobids', '.bvfs_update', '.bvfs_clear_cache', 'update', 'delete', 'purge', 'prune', 'query', 'sqlquery', 'use', 'wait', 'time'];
const WORDS = ['jobs', 'jobid', 'jobid=1', 'jobid=2', 'jobid=-1', 'jobid=99999999999999999999', 'volume', 'volume=Full-0001', 'volumes', 'pool', 'pool=Full',
  'pools', 'files', 'jobmedia', 'client=test-fd', 'path=/', 'path=/etc/', 'pathid=1', 'fileid=1', 'limit=2', 'offset=-3', 'yes', 'all', 'job=backup-test',
  'volstatus=Append', 'volstatus=Full', 'storage=File', 'json', 'on', 'off', 'level=Full', 'days=3', 'fileset', 'resources', 'catalog', '"', '=', ',', 'jobstatus=T'];

describe('fuzz: console commands', () => {
  let tc: TestConsole;
  before(async () => {
    tc = await openTestConsole();
    const c = tc.catalog;
    const clientId = await c.ensureClient('test-fd');
    const fileSetId = await c.ensureFileSet('TestSet', 'digest');
    const poolId = await c.ensurePool({ name: 'Full', labelFormat: 'Vol-' });
    const mediaId = await c.createMedia({ volumeName: 'Full-0001', poolId, mediaType: 'File', createTime: tc.clock.now() });
    const jobId = await c.createJob({ name: 'backup-test', type: 'B', level: 'F', clientId, fileSetId, poolId, schedTime: tc.clock.now() });
    await c.startJob(jobId, tc.clock.now());
    const paths = ['/etc/hosts', '/etc/passwd', '/home/u/a b', Buffer.from([0x2f, 0x74, 0xff])];
    await c.insertFiles(jobId, paths.map((p, i) => {
      const path = typeof p === 'string' ? Buffer.from(p) : p;
      const attributes = Buffer.from(burrow.FileAttributes.encode({ path, type: burrow.FileType.FT_REGULAR, mode: 0o644, size: 10 + i }).finish());
      return { fileIndex: i + 1, path, mediaId, addr: 103, type: burrow.FileType.FT_REGULAR, size: 10 + i, mtime: tc.clock.now(), attributes, digest: Buffer.alloc(32, i), digestAlgorithm: 3 };
    }));
    await c.addJobMedia({ jobId, mediaId, firstIndex: 1, lastIndex: paths.length, startAddr: 103, endAddr: 2000, volIndex: 1 });
    await c.finishJob(jobId, { status: 'T', endTime: tc.clock.now() + 1000, jobFiles: paths.length, jobBytes: 46 });
  });
  after(() => tc?.close());

  it('any line parses into a command or is refused as BAD_REQUEST', async (t) => {
    await check(t, fc.property(fc.string({ maxLength: 80 }), (line) => {
      refusedClearly(() => parseCommand(line), ['BAD_REQUEST']);
    }), 500);
  });

  it('any line of catalog commands gets an answer or a clear refusal, never INTERNAL', async (t) => {
    const line = fc.tuple(fc.constantFrom(...COMMANDS), fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 8 }).map((s) => s.replace(/\s/g, ''))), { maxLength: 5 }))
      .map(([cmd, args]) => [cmd, ...args].join(' '));
    await check(t, fc.asyncProperty(line, async (l) => {
      const ctx = tc.context();
      const r = await execute(ctx, l);
      // A question (`purge` asks what to purge, without yes): answered with the cancel mark.
      if (ctx.session.dialog) await execute(ctx, '.');
      const error = (r.result as { error?: { code?: string; message?: string } } | undefined)?.error;
      assert.notEqual(error?.code, 'INTERNAL', `"${l}": ${error?.message}`);
      if (!r.ok) assert.ok(r.text().trim().length > 0, `"${l}" was refused without a word`);
    }), 300);
  });
});
