/**
 * The `.bvfs_*` browsing calls a GUI uses, in `.api json` mode through the real
 * bconsole: the jobs of a point in time, directory and file listings of that state,
 * the versions of one file, a selection restored with `restore file=?b2NNN`; and a
 * restricted console that learns nothing of another client through them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { aliceConsoleConfig, aliceResources } from '../harness/alice.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Entry { type: string; pathid: number; fileid: number | null; jobid: number; name: string; name_b64: string; path: string; size: number }
interface Answer { result?: Record<string, unknown>; error?: { message: string } }

function answers(stdout: string): Answer[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Answer);
}

function result<T>(a: Answer | undefined, key: string): T {
  assert.ok(a?.result, `no result: ${JSON.stringify(a)}`);
  return a.result[key] as T;
}

test('.bvfs_*: browse a job set, versions of a file, restore a selection, ACLs', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-bvfs-'));
  mkdirSync(join(src, 'a', 'sub'), { recursive: true });
  mkdirSync(join(src, 'b'));
  writeFileSync(join(src, 'a', 'one.txt'), 'one, first\n');
  writeFileSync(join(src, 'a', 'sub', 'deep.txt'), 'deep\n');
  writeFileSync(join(src, 'b', 'two.txt'), 'two\n');
  // A name that is not UTF-8: the listing gives its bytes back exactly.
  const latin1 = Buffer.from('caf\xe9', 'latin1');
  writeFileSync(Buffer.concat([Buffer.from(join(src, 'a') + '/'), latin1]), 'latin1\n');
  const allowedWhere = join(tmpdir(), `burrow-bvfs-restores-${process.pid}`);
  const burrow = await Burrow.start({
    include: [src],
    directorResources: aliceResources(allowedWhere, ['.bvfs_get_jobids', '.bvfs_update', '.bvfs_lsdirs', '.bvfs_lsfiles', '.bvfs_versions', '.bvfs_restore', 'restore', 'wait']),
  });
  t.after(async () => {
    await burrow.stop();
    rmSync(src, { recursive: true, force: true });
    rmSync(allowedWhere, { recursive: true, force: true });
  });

  const full = await burrow.console(['run job=backup-test level=Full yes', 'wait']);
  assert.equal(full.code, 0, full.stdout + burrow.logs());
  await sleep(1100);
  writeFileSync(join(src, 'a', 'one.txt'), 'one, second version\n');
  const rest = await burrow.console(['run job=backup-test level=Incremental yes', 'wait', 'run job=alice-backup yes', 'wait']);
  assert.equal(rest.code, 0, rest.stdout + burrow.logs());

  // Jobs 1 (Full) and 2 (Incremental) of test-fd; 3 of alice-fd.
  const browse = await burrow.console(['.api json', '.bvfs_get_jobids client=test-fd', '.bvfs_get_jobids jobid=1', '.bvfs_get_jobids jobid=2 all',
    '.bvfs_update jobid=1,2', `.bvfs_lsdirs jobid=1,2 path=${src}/`, `.bvfs_lsfiles jobid=1,2 path=${src}/a/`, `.bvfs_lsfiles jobid=1,2 path=${src}/a/ offset=1 limit=1`]);
  assert.equal(browse.code, 0, browse.stdout);
  const [, chain, first, all, , dirs, files, paged] = answers(browse.stdout);
  assert.deepEqual(result(chain, 'jobids'), [1, 2]);
  assert.deepEqual(result(first, 'jobids'), [1]);
  assert.deepEqual(result(all, 'jobids'), [1, 2]);
  const dirList = result<Entry[]>(dirs, 'directories');
  assert.deepEqual(dirList.map((d) => d.name), ['.', '..', 'a', 'b']);
  assert.ok(dirList.every((d) => d.type === 'D'));
  const dirA = dirList.find((d) => d.name === 'a') as Entry;
  assert.equal(dirA.path, `${src}/a`);
  const fileList = result<Entry[]>(files, 'files');
  assert.deepEqual(fileList.map((f) => Buffer.from(f.name_b64, 'base64')), [latin1, Buffer.from('one.txt')]);
  const one = fileList[1] as Entry;
  assert.equal(one.jobid, 2, 'the newest version of one.txt is the Incremental\'s');
  assert.equal(one.size, 'one, second version\n'.length);
  assert.equal((fileList[0] as Entry).jobid, 1);
  assert.deepEqual(result<Entry[]>(paged, 'files').map((f) => f.name), ['one.txt']);

  // A second session: the pathid and fileid of the same job set mean the same entries.
  const restored = join(allowedWhere, 'admin');
  const more = await burrow.console(['.api json', `.bvfs_lsdirs jobid=1,2 pathid=${dirA.pathid}`,
    `.bvfs_versions client=test-fd jobid=1,2 pathid=${dirA.pathid} fname=one.txt`,
    `.bvfs_restore jobid=1,2 fileid=${one.fileid} dirid=${(dirList.find((d) => d.name === 'b') as Entry).pathid} path=b21`,
    `restore file=?b21 client=test-fd where=${restored} yes`, 'wait', '.bvfs_lsdirs jobid=1,2 pathid=99999']);
  const [, subdirs, versions, chosen, queued, , badPath] = answers(more.stdout);
  assert.deepEqual(result<Entry[]>(subdirs, 'directories').map((d) => d.name), ['.', '..', 'sub']);
  const v = result<Array<{ jobid: number; size: number; level: string; volumename: string }>>(versions, 'versions');
  assert.deepEqual(v.map((x) => [x.jobid, x.level, x.size]), [[1, 'F', 'one, first\n'.length], [2, 'I', 'one, second version\n'.length]]);
  assert.ok(v.every((x) => x.volumename), 'each version names its volume');
  assert.equal(result(chosen, 'entries'), 3, 'one.txt, b and b/two.txt');
  assert.equal(result(queued, 'files'), 3);
  assert.match(badPath?.error?.message ?? '', /pathid 99999 is not a directory/);
  assert.equal(readFileSync(join(restored, src, 'a', 'one.txt'), 'utf8'), 'one, second version\n');
  assert.equal(readFileSync(join(restored, src, 'b', 'two.txt'), 'utf8'), 'two\n');
  assert.deepEqual(readdirSync(join(restored, src, 'a')), ['one.txt']);

  // A restricted console: another client's jobs, directories and versions do not exist for it.
  const aliceConf = aliceConsoleConfig(burrow);
  const alice = await burrow.console(['.api json', '.bvfs_get_jobids client=test-fd', '.bvfs_get_jobids jobid=2', `.bvfs_lsdirs jobid=1,2 path=${src}/`,
    `.bvfs_lsfiles jobid=1 path=${src}/a/`, `.bvfs_versions client=test-fd path=${src}/a/ fname=one.txt`, '.bvfs_restore jobid=1 fileid=1 path=b22',
    '.bvfs_get_jobids client=alice-fd', `.bvfs_versions client=alice-fd path=${src}/a/ fname=one.txt`, `.bvfs_lsfiles jobid=3 path=${src}/a/`], aliceConf);
  const [, c1, j2, d12, f1, v1, r1, mine, myVersions, myFiles] = answers(alice.stdout);
  for (const refused of [c1, j2, d12, f1, v1, r1]) {
    assert.ok(refused?.error, JSON.stringify(refused));
    assert.match(refused.error.message, /Client "test-fd" is not defined|JobId [12] does not exist/);
  }
  assert.deepEqual(result(mine, 'jobids'), [3]);
  assert.deepEqual(result<Array<{ jobid: number }>>(myVersions, 'versions').map((x) => x.jobid), [3], 'only alice-fd\'s backups');
  assert.deepEqual(result<Entry[]>(myFiles, 'files').map((f) => f.jobid), [3, 3]);
  assert.doesNotMatch(alice.stdout, /backup-test|"jobid":[12]\b/);
});
