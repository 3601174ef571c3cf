/**
 * Setting a tape volume's next write position (issue 13 section 3, afbackup's `cartis`)
 * on a virtual tape with the real daemons: `update volume=X nextwrite=F:B` lists the
 * jobs it would destroy and refuses while they are within retention; `force` without
 * `yes` changes nothing; a point past the data is refused by the Storage daemon on the
 * tape itself, the catalog untouched; with `force yes` a volume in Error is repaired:
 * the later job is purged, the tape ends there, the next backup appends at that very
 * point, and every kept job restores exactly.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { compareTrees } from '../harness/tree.js';
import { TAPE_DIRECTOR_RESOURCES, vtapeDevice } from '../harness/changer.js';
import { apiResult } from '../harness/checks.js';

describe('the next write position of a tape volume', () => {
  let src: string;
  let copies: string;
  let tapes: string;
  let burrow: Burrow;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-nextwrite-src-'));
    copies = mkdtempSync(join(tmpdir(), 'burrow-nextwrite-copies-'));
    tapes = mkdtempSync(join(tmpdir(), 'burrow-nextwrite-'));
    writeFileSync(join(tapes, 'drive0'), '');
    burrow = await Burrow.start({
      include: [src],
      daemonMessages: [`Append = ${JSON.stringify(join(tapes, 'daemon.log'))} = all`],
      sdResources: vtapeDevice({ name: 'Tape0', archiveDevice: join(tapes, 'drive0'), capacity: '50M', more: 'Maximum File Size = 128k' }),
      directorResources: TAPE_DIRECTOR_RESOURCES,
    });
  });
  after(async () => {
    await burrow?.stop();
    for (const d of [src, copies, tapes]) rmSync(d, { recursive: true, force: true });
  });

  /** A Full backup of the tree with one more file (the tree kept in copies/<n>); its job log. */
  const backup = async (n: number): Promise<string> => {
    writeFileSync(join(src, `data-${n}.bin`), randomBytes(150_000));
    writeFileSync(join(src, 'changing.txt'), `version ${n}\n`);
    cpSync(src, join(copies, String(n)), { recursive: true });
    const r = await burrow.console(['run job=backup-tape yes', 'wait', 'messages']);
    assert.match(r.stdout, /Termination:\s+Backup OK\n/, r.stdout + burrow.logs());
    return r.stdout;
  };
  /** Restores the job; its tree is returned as where it was restored to. */
  const restore = async (jobid: number): Promise<string> => {
    const where = join(burrow.dir, `restored-${jobid}`);
    const r = await burrow.console([`restore client=test-fd jobid=${jobid} storage=Tape all yes where=${where}`, 'wait', 'messages']);
    assert.match(r.stdout, /Termination:\s+Restore OK\n/, r.stdout + burrow.logs());
    return join(where, src);
  };
  const volume = async (): Promise<Record<string, unknown>> =>
    (await apiResult<{ volumes: Array<Record<string, unknown>> }>(burrow, 'list volume=TAPE-0001')).volumes[0] ?? {};

  it('refuses without force, changes nothing without yes, repairs a volume in Error, and the next backup appends there', async () => {
    assert.equal((await burrow.console(['label storage=Tape volume=TAPE-0001 pool=Tapes'])).code, 0, burrow.logs());
    await backup(1);
    const second = await backup(2);
    // Where job 2 began: the end of job 1's data, the start of a tape file.
    const at = Number(/Volume "TAPE-0001" previously written, moving to end of data at (\d+)\./.exec(second)?.[1]);
    const position = `${Math.floor(at / 2 ** 32)}:${at % 2 ** 32}`;
    assert.match(position, /^[1-9]\d*:0$/, second);
    const tapeBefore = readFileSync(join(tapes, 'drive0'));

    const refused = await burrow.console([`update volume=TAPE-0001 nextwrite=${position}`]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stdout, new RegExp(`JobId 2 \\(backup-tape\\.\\S+, ended [^,]+, still within the Volume Retention\\) has data at or after ${position}: it will be purged\\.`), refused.stdout);
    assert.match(refused.stdout, /Refused: 1 of these jobs are still within the Volume Retention; add force to destroy them\./);
    assert.doesNotMatch(refused.stdout, /JobId 1 /, 'job 1 ends before the point');
    const dry = await burrow.console([`update volume=TAPE-0001 nextwrite=${position} force`]);
    assert.match(dry.stdout, /Nothing changed: add yes to set the next write position\./, dry.stdout);

    const past = await burrow.console(['update volume=TAPE-0001 nextwrite=999:0 force yes']);
    assert.notEqual(past.code, 0);
    assert.match(past.stdout, /the next write cannot be set to 999:0: the data on the tape ends before it/, past.stdout + burrow.logs());
    const middle = await burrow.console(['update volume=TAPE-0001 nextwrite=0:0 force yes']);
    assert.match(middle.stdout, /that is the volume label, which stays/, middle.stdout);
    assert.ok(readFileSync(join(tapes, 'drive0')).equals(tapeBefore), 'a refused point leaves the tape as it was');
    assert.match((await burrow.console(['list jobs'])).stdout, /\| 2 +\| backup-tape/, 'and the catalog');

    // The catalog and the tape disagree: the volume is in Error, and this repairs it.
    await burrow.console(['update volume=TAPE-0001 volstatus=Error']);
    const set = await burrow.console([`update volume=TAPE-0001 nextwrite=${position} force yes`, 'list jobs', 'list volumehistory volume=TAPE-0001']);
    assert.equal(set.code, 0, set.stdout + burrow.logs());
    assert.match(set.stdout, /3000 OK nextwrite Volume="TAPE-0001" Device="Tape0"/, set.stdout);
    assert.match(set.stdout, /Purging the following 1 JobIds, whose data on Volume "TAPE-0001" was at or after \d+:0: 2/);
    assert.match(set.stdout, /VolStatus=Append \(was Error\)/);
    const logged = readFileSync(join(tapes, 'daemon.log'), 'utf8');
    assert.match(logged, new RegExp(`test-dir: Volume "TAPE-0001": next write position set to ${position} by console "\\S+" \\(forced\\); purged JobIds: 2\\.`), logged);
    assert.doesNotMatch(set.stdout, /\| 2 +\| backup-tape/, 'job 2 is purged');
    assert.match(set.stdout, /\| repositioned\s+\| /);
    const repaired = await volume();
    assert.equal(repaired.volstatus, 'Append');
    assert.equal(repaired.voljobs, 1);
    assert.ok(readFileSync(join(tapes, 'drive0')).length < tapeBefore.length, 'the tape ends earlier');

    const third = await backup(3);
    assert.match(third, new RegExp(`Volume "TAPE-0001" previously written, moving to end of data at ${at}\\.`), 'the next backup appends at the point set');
    // The last job restores exactly; the first one with its own files as they were then.
    assert.deepEqual(compareTrees(src, await restore(3)), []);
    const first = await restore(1);
    assert.deepEqual(readdirSync(first).sort(), ['changing.txt', 'data-1.bin']);
    for (const name of ['changing.txt', 'data-1.bin']) assert.deepEqual(readFileSync(join(first, name)), readFileSync(join(copies, '1', name)), name);
  });
});
