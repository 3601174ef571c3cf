/**
 * The Director's HTTP API on the real daemons (issue 16), served over HTTPS with the
 * test certificate: the OpenAPI document lists every command with its argument schema;
 * a login gets a token, a wrong password, a missing or bad token are refused, a
 * malformed body gets a 400 naming the field, logins are rate-limited; the default
 * console labels, runs, waits, lists and restores through the same commands bconsole
 * uses, and each change is logged with who made it; the restricted console alice sees
 * and changes only what her ACLs allow. Live events over WebSocket follow a job that
 * waits for the operator through its progress to its end, for those who may see it, and
 * the drives: a job's reserved, its volume mounted during the job, freed, and the
 * operator's unmount, mount and release, never on a Storage outside the console's ACLs;
 * and a volume's state (made, written, Used at its Maximum Volume Jobs) outside them neither.
 * Every command's endpoint refuses an unknown keyword (400) and, for alice, a command
 * outside her CommandACL (403); rerun runs a backup again as it ran.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow, runProcess, waitFor } from '../harness/daemons.js';
import { BIN } from '../harness/paths.js';
import { freePort } from '../harness/ports.js';
import { aliceResources } from '../harness/alice.js';
import { ApiClient, follow, TEST_CERTIFICATE, TEST_KEY } from '../harness/http-api.js';
import { compareTrees } from '../harness/tree.js';

const ADMIN = '*UserAgent*';

describe('the HTTP API', () => {
  let src: string;
  let burrow: Burrow;
  let api: ApiClient;
  let base: { port: number; https: boolean };
  let admin: string;
  let otherVolumes: string;
  const allowedWhere = join(tmpdir(), `burrow-http-restores-${process.pid}`);
  // The Director's log reaches us through a pipe, a moment after the request is answered.
  const untilSaid = (line: RegExp): Promise<void> => waitFor(() => line.test(burrow.output('dir')), 10_000, () => `no ${line} in:\n${burrow.output('dir')}`);

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-http-'));
    writeFileSync(join(src, 'a.txt'), 'alpha\n'.repeat(100));
    writeFileSync(join(src, 'b.txt'), 'beta\n'.repeat(50));
    otherVolumes = mkdtempSync(join(tmpdir(), 'burrow-http-other-'));
    const port = await freePort();
    burrow = await Burrow.start({
      include: [src],
      directorDirectives: [`Http Port = ${port}`, `Http Certificate = "${TEST_CERTIFICATE}"`, `Http Key = "${TEST_KEY}"`],
      directorResources: `${aliceResources(allowedWhere, ['list', 'llist', 'run', 'wait', 'status', 'show', 'restore', 'messages'])}
Pool { Name = Empty; Pool Type = Backup }
Pool { Name = Never; Pool Type = Backup }
Job { Name = wait-empty; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Empty; Messages = Standard }
Job { Name = wait-never; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Never; Messages = Standard }
Storage { Name = Other; Address = 127.0.0.1; SDPort = @SDPORT@; Password = @SDPASSWORD@; Device = OtherStorage; Media Type = Other }
Pool { Name = Elsewhere; Pool Type = Backup; Label Format = "Else-"; Maximum Volume Jobs = 1 }
Job { Name = other-backup; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = Other; Pool = Elsewhere; Messages = Standard }`,
      sdResources: `Device { Name = OtherStorage; Media Type = Other; Archive Device = "${otherVolumes}"; Label Media = yes; Random Access = yes }`,
    });
    base = { port, https: true };
    api = new ApiClient(base);
    admin = await api.login(ADMIN, burrow.passwords.console);
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
    rmSync(allowedWhere, { recursive: true, force: true });
    rmSync(otherVolumes, { recursive: true, force: true });
  });

  it('describes every command in its OpenAPI document', async () => {
    const r = await api.call('GET', '/api/v1/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi, '3.1.0');
    const help = await api.command(admin, 'help');
    const names = (help.body.result.commands as Array<{ name: string }>).map((c) => c.name);
    assert.ok(names.length > 20, JSON.stringify(help.body));
    for (const name of names) assert.ok(r.body.paths[`/api/v1/commands/${name}`]?.post, `${name} in the OpenAPI document`);
    const run = r.body.paths['/api/v1/commands/run'].post.requestBody.content['application/json'].schema;
    assert.equal(run.additionalProperties, false);
    assert.ok(run.properties.job && run.properties.yes, JSON.stringify(run));
    assert.ok(r.body.paths['/api/v1/login'].post.requestBody.content['application/json'].schema.properties.password);
  });

  it('refuses a wrong password, a missing or bad token, and malformed bodies by field', async () => {
    const wrong = await api.call('POST', '/api/v1/login', { body: { console: ADMIN, password: 'nope' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'AUTH_FAILED');
    assert.equal((await api.call('POST', '/api/v1/login', { body: { console: 'nobody', password: 'x' } })).status, 401);
    assert.equal((await api.call('POST', '/api/v1/commands/list', { body: { what: 'jobs' } })).status, 401);
    assert.equal((await api.command('not-a-token', 'list', { what: 'jobs' })).status, 401);

    const noName = await api.call('POST', '/api/v1/login', { body: { password: 'x' } });
    assert.equal(noName.status, 400);
    assert.match(noName.body.error.message, /field "console"/);
    const extra = await api.call('POST', '/api/v1/login', { body: { console: ADMIN, password: 'x', admin: true } });
    assert.equal(extra.status, 400);
    assert.match(extra.body.error.message, /"admin"/);
    const notJson = await api.call('POST', '/api/v1/login', { raw: '{"console": ' });
    assert.equal(notJson.status, 400);

    const badJobId = await api.command(admin, 'llist', { jobid: 'abc' });
    assert.equal(badJobId.status, 400);
    assert.match(badJobId.body.error.message, /jobid/);
    const unknown = await api.command(admin, 'list', { what: 'jobs', color: 'red' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /"color"/);
    const notObject = await api.call('POST', '/api/v1/commands/list', { token: admin, body: ['jobs'] });
    assert.equal(notObject.status, 400);
  });

  it('labels, backs up, lists and restores as the default console, logging each change with who made it', async () => {
    const label = await api.command(admin, 'label', { storage: 'File', volume: 'Http-0001', pool: 'Full' });
    assert.equal(label.status, 200, JSON.stringify(label.body));
    assert.equal(label.body.ok, true);
    // A storage's drives as data, numbered as mount/unmount/release take drive=.
    const storage = await api.command(admin, 'status', { storage: 'File' });
    assert.equal(storage.status, 200, JSON.stringify(storage.body));
    assert.equal(storage.body.result.autochanger, false);
    assert.deepEqual(storage.body.result.drives.map((d: { drive: number; state: string }) => [d.drive, d.state]), [[0, 'idle']]);
    const run = await api.command(admin, 'run', { job: 'backup-test', yes: true });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    const jobId = run.body.result.jobid as number;
    assert.ok(jobId > 0, JSON.stringify(run.body));
    const wait = await api.command(admin, 'wait', { jobid: jobId });
    assert.equal(wait.body.ok, true, JSON.stringify(wait.body) + burrow.logs());
    const jobs = await api.command(admin, 'list', { what: 'jobs' });
    const row = (jobs.body.result.jobs as Array<{ jobid: number; jobstatus: string; jobfiles: number }>).find((j) => j.jobid === jobId);
    assert.equal(row?.jobstatus, 'T', JSON.stringify(jobs.body));

    const where = join(burrow.dir, 'http-restored');
    const restore = await api.command(admin, 'restore', { client: 'test-fd', jobid: jobId, all: true, yes: true, where });
    assert.equal(restore.status, 200, JSON.stringify(restore.body));
    const conversation = await api.command(admin, 'restore', { client: 'test-fd', jobid: jobId });
    assert.equal(conversation.status, 400);
    assert.match(conversation.body.error.message, /over HTTP give every answer as arguments/);
    await api.command(admin, 'wait', {});
    assert.deepEqual(compareTrees(src, join(where, src)), []);

    await untilSaid(/Console \\"\*UserAgent\*\\" from 127\.0\.0\.1 \(HTTP API\): label \{\\"storage\\":\\"File\\",\\"volume\\":\\"Http-0001\\",\\"pool\\":\\"Full\\"\}: ok/);
    await untilSaid(/Console \\"\*UserAgent\*\\" from 127\.0\.0\.1 \(HTTP API\): run \{\\"job\\":\\"backup-test\\",\\"yes\\":true\}: ok/);
    // Looking is not a change: a list is not logged.
    assert.doesNotMatch(burrow.output('dir'), /\(HTTP API\): list/);
  });

  it('gives a restricted console only what its ACLs allow', async () => {
    const alice = await api.login('alice', 'alice-secret');
    const run = await api.command(alice, 'run', { job: 'alice-backup', yes: true });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    const own = run.body.result.jobid as number;
    await api.command(alice, 'wait', { jobid: own });

    const jobs = await api.command(alice, 'list', { what: 'jobs' });
    assert.deepEqual((jobs.body.result.jobs as Array<{ jobid: number }>).map((j) => j.jobid), [own]);
    const theirs = await api.command(alice, 'llist', { jobid: 1 });
    assert.equal(theirs.status, 404);
    assert.match(theirs.body.error.message, /JobId 1 does not exist/);
    const notHers = await api.command(alice, 'run', { job: 'backup-test', yes: true });
    assert.equal(notHers.status, 404);
    assert.match(notHers.body.error.message, /Job "backup-test" is not defined/);
    const label = await api.command(alice, 'label', { storage: 'File', volume: 'Sneaky', pool: 'Full' });
    assert.equal(label.status, 403);
    assert.equal(label.body.error.code, 'NOT_ALLOWED');
    const elsewhere = await api.command(alice, 'restore', { client: 'alice-fd', jobid: own, all: true, yes: true, where: join(tmpdir(), 'elsewhere') });
    assert.ok(elsewhere.status >= 400, JSON.stringify(elsewhere.body));
    await untilSaid(/Console \\"alice\\" from 127\.0\.0\.1 \(HTTP API\): label .*: refused: label: is an invalid command or not permitted/);

    const logout = await api.call('POST', '/api/v1/logout', { token: alice });
    assert.equal(logout.status, 204);
    assert.equal((await api.command(alice, 'list', { what: 'jobs' })).status, 401);
  });

  it('tells live events of a job waiting for the operator, its progress and its end, to those who may see it', async () => {
    const adminEvents = await follow(base, admin);
    const alice = await api.login('alice', 'alice-secret');
    const aliceEvents = await follow(base, alice);
    await assert.rejects(follow(base, 'forged'), /upgrade refused: 401/);
    try {
      const run = await api.command(admin, 'run', { job: 'wait-empty', yes: true });
      const jobId = run.body.result.jobid as number;
      const waiting = await adminEvents.until((e) => e.type === 'waiting' && e.jobId === jobId);
      assert.equal(waiting.status, 'm');
      assert.match(waiting.detail, /Pool "Empty"/);
      const label = await api.command(admin, 'label', { storage: 'File', volume: 'Empty-0001', pool: 'Empty' });
      assert.equal(label.body.ok, true, JSON.stringify(label.body));
      const ended = await adminEvents.until((e) => e.type === 'ended' && e.jobId === jobId);
      assert.equal(ended.status, 'T');

      const mine = adminEvents.events.filter((e) => e.jobId === jobId || e.type === 'media');
      // The label's event and the job's resumption race each other: the order is the job's alone.
      // The drive's events are the next test's.
      const order = mine.map((e) => e.type).filter((t, i, all) => t !== 'media' && t !== 'drive' && t !== all[i - 1]);
      assert.deepEqual(order, ['queued', 'started', 'waiting', 'resumed', 'progress', 'ended'], JSON.stringify(mine));
      assert.deepEqual(mine.find((e) => e.type === 'media'), { type: 'media', command: 'label', console: '*UserAgent*', storage: 'File', pool: 'Empty', volume: 'Empty-0001', ok: true });
      const progress = mine.filter((e) => e.type === 'progress').at(-1);
      const row = (await api.command(admin, 'llist', { jobid: jobId })).body.result.jobs[0];
      assert.equal(progress?.files, row.jobfiles, JSON.stringify(row));
      // Directories come after their contents: the last file stored is the top folder itself.
      assert.equal(progress?.file, src);
      assert.ok(progress?.bytes > 0 && progress?.bytesPerSecond > 0);

      // Alice's ACLs know neither the job nor the pool Empty.
      assert.deepEqual(aliceEvents.events.filter((e) => e.jobId === jobId || e.type === 'media'), []);
    } finally {
      adminEvents.close();
      aliceEvents.close();
    }
  });

  it('filters the job list by client, status, level, type and time, within the ACLs', async () => {
    // Jobs so far: 1 backup-test (B, T), 2 its restore (R, T), 3 alice-backup (B, T), 4 wait-empty (B, T); 5 is canceled.
    const run = await api.command(admin, 'run', { job: 'wait-never', yes: true });
    const canceled = run.body.result.jobid as number;
    assert.equal((await api.command(admin, 'cancel', { jobid: canceled })).body.ok, true);
    await api.command(admin, 'wait', { jobid: canceled });
    const ids = async (token: string, filters: Record<string, unknown>): Promise<number[]> => {
      const r = await api.command(token, 'list', { what: 'jobs', ...filters });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return (r.body.result.jobs as Array<{ jobid: number }>).map((j) => j.jobid);
    };
    assert.deepEqual(await ids(admin, { jobtype: 'R' }), [2]);
    assert.deepEqual(await ids(admin, { jobstatus: 'A' }), [canceled]);
    assert.deepEqual(await ids(admin, { jobstatus: 'E,f,A' }), [canceled]);
    assert.deepEqual(await ids(admin, { client: 'test-fd', jobtype: 'B', jobstatus: 'T,W' }), [1, 4]);
    assert.deepEqual(await ids(admin, { joblevel: 'Full', jobstatus: 'T' }), [1, 3, 4]);
    assert.deepEqual(await ids(admin, { jobstatus: 'T', limit: 2 }), [3, 4], 'the limit counts the jobs that pass');
    assert.deepEqual(await ids(admin, { days: 1 }), [1, 2, 3, 4, canceled]);
    assert.deepEqual(await ids(admin, { since: '2001-01-01 00:00:00', jobtype: 'R' }), [2]);
    assert.deepEqual(await ids(admin, { since: '2999-01-01 00:00:00' }), []);
    assert.deepEqual(await ids(admin, { hours: 0 }), []);
    const alice = await api.login('alice', 'alice-secret');
    assert.deepEqual(await ids(alice, { jobtype: 'B', jobstatus: 'T' }), [3]);
    for (const [key, value] of [['jobstatus', 'X'], ['jobtype', 'Q'], ['joblevel', 'Z'], ['since', 'yesterday'], ['days', 'two']] as const) {
      const bad = await api.command(admin, 'list', { what: 'jobs', [key]: value });
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.match(bad.body.error.message, new RegExp(key === 'since' ? 'not a date' : key), JSON.stringify(bad.body));
    }
    // A restore's point in time by date (the wizard's "before a date").
    const before = async (date: string): Promise<unknown> => (await api.command(admin, '.bvfs_get_jobids', { client: 'test-fd', before: date })).body.result.jobids;
    assert.deepEqual(await before('2001-01-01 00:00:00'), []);
    assert.deepEqual(await before('2999-01-01 00:00:00'), [4]);
  });

  it('limits the pace of logins', async () => {
    const tries = [];
    for (let i = 0; i < 12; i++) tries.push((await api.call('POST', '/api/v1/login', { body: { console: 'guessed', password: `guess-${i}` } })).status);
    assert.deepEqual(tries.slice(0, 10), Array(10).fill(401));
    assert.deepEqual(tries.slice(10), [429, 429]);
    // Another console's login is not held up by the guesser.
    assert.ok(await api.login(ADMIN, burrow.passwords.console));
  });

  it('serves plain HTTP only on loopback', async () => {
    const conf = join(burrow.dir, 'etc', 'open-dir.conf');
    writeFileSync(conf, `Director { Name = open-dir; Password = x; DirPort = ${await freePort()}; Working Directory = "${burrow.directorWorkDir}"; Pid Directory = "${burrow.directorWorkDir}"
  Http Port = 9180; Http Address = 0.0.0.0 }
Catalog { Name = MyCatalog; dbdriver = "sqlite3"; dbname = "bacula" }
Messages { Name = Standard; Console = all }
`);
    const r = await runProcess(process.execPath, [BIN.dir, '-t', '-c', conf], '', 20_000);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /Http Address.*plain HTTP is served only on loopback/);
  });
  it('tells drive and volume events: a job\'s drive, the volume it mounts and what becomes of it, the operator\'s commands, within the ACLs', async () => {
    const adminEvents = await follow(base, admin);
    const alice = await api.login('alice', 'alice-secret');
    const aliceEvents = await follow(base, alice);
    try {
      // Alice's own job writes on File (her Storage, her Pool): she follows its drive.
      const run = await api.command(alice, 'run', { job: 'alice-backup', yes: true });
      const own = run.body.result.jobid as number;
      assert.ok(own > 0, JSON.stringify(run.body));
      for (const events of [aliceEvents, adminEvents]) {
        await events.until((e) => e.type === 'ended' && e.jobId === own);
        const seen = events.events.filter((e) => e.jobId === own && ['started', 'drive', 'ended'].includes(e.type));
        assert.deepEqual(seen.map((e) => (e.type === 'drive' ? e.change : e.type)), ['started', 'reserved', 'mounted', 'freed', 'ended'], JSON.stringify(seen));
        // The volume the job wrote on, as the catalog has it.
        const written = (await api.command(admin, 'list', { what: 'volumes', pool: 'Full' })).body.result.volumes as Array<{ volumename: string }>;
        assert.deepEqual(seen.find((e) => e.change === 'mounted'),
          { type: 'drive', storage: 'File', device: 'FileStorage', mode: 'append', pool: 'Full', change: 'mounted', volume: written[0]?.volumename, jobId: own });
      }

      // A job on Other, and the operator's release, unmount and mount of its drive: the default console follows them all.
      const other = (await api.command(admin, 'run', { job: 'other-backup', yes: true })).body.result.jobid as number;
      await adminEvents.until((e) => e.type === 'ended' && e.jobId === other);
      const job = adminEvents.events.filter((e) => e.type === 'drive' && e.jobId === other);
      assert.deepEqual(job.map((e) => e.change), ['reserved', 'mounted', 'freed'], JSON.stringify(job));
      // Its pool had no volume: the Storage daemon labelled one as it mounted it.
      assert.equal(job[1]?.labelled, true, JSON.stringify(job));
      assert.match(job[1]?.volume, /^Else-/);
      // The same volume's state as volume events: made, written by the job, then Used (one job per volume).
      const states = adminEvents.events.filter((e) => e.type === 'volume' && e.volume === job[1]?.volume);
      assert.deepEqual(states.map((e) => [e.status, e.jobs, e.pool, e.storage]), [
        ['Append', 0, 'Elsewhere', 'Other'], ['Append', 1, 'Elsewhere', 'Other'], ['Used', 1, 'Elsewhere', 'Other'],
      ], JSON.stringify(states));
      assert.ok(states[1]!.bytes > states[0]!.bytes, 'the job\'s bytes are told');
      for (const command of ['release', 'unmount', 'mount']) {
        const r = await api.command(admin, command, { storage: 'Other' });
        assert.ok(r.body.result.code < 3900, JSON.stringify(r.body));
      }
      const refused = await api.command(admin, 'release', { storage: 'Other' });
      assert.ok(refused.body.result.code >= 3900, JSON.stringify(refused.body));
      // The last one, after the refusal, marks the end of what the follower is told.
      assert.ok((await api.command(admin, 'unmount', { storage: 'Other' })).body.result.code < 3900);
      const commands = (): Array<Record<string, unknown>> => adminEvents.events.filter((e) => e.type === 'drive' && e.jobId === undefined && e.storage === 'Other');
      await adminEvents.until(() => commands().length >= 4);
      assert.deepEqual(commands(), [
        { type: 'drive', storage: 'Other', drive: 0, change: 'released' },
        { type: 'drive', storage: 'Other', drive: 0, change: 'unmounted' },
        { type: 'drive', storage: 'Other', drive: 0, change: 'mounted' },
        { type: 'drive', storage: 'Other', drive: 0, change: 'unmounted' },
      ], 'a refused release changes nothing');
      // Alice's ACLs know neither the Storage Other nor the job: not one of its events reaches her.
      assert.deepEqual(aliceEvents.events.filter((e) => e.storage === 'Other' || e.pool === 'Elsewhere' || e.jobId === other), []);
    } finally {
      adminEvents.close();
      aliceEvents.close();
    }
  });
  it('refuses a bad keyword at every command\'s endpoint, and one outside the CommandACL; reruns a backup', async () => {
    const alice = await api.login('alice', 'alice-secret');
    // Her CommandACL's, and what every console has (.api, help).
    const hers = new Set(['list', 'llist', 'run', 'wait', 'status', 'show', 'restore', 'messages', '.api', 'help']);
    const names = ((await api.command(admin, 'help')).body.result.commands as Array<{ name: string }>).map((c) => c.name);
    for (const name of names) {
      const bad = await api.command(admin, name, { zz_unknown: 1 });
      assert.equal(bad.status, 400, `${name}: ${JSON.stringify(bad.body)}`);
      assert.match(bad.body.error.message, /zz_unknown/, name);
      if (hers.has(name)) continue;
      const refused = await api.command(alice, name, {});
      assert.equal(refused.status, 403, `${name}: ${JSON.stringify(refused.body)}`);
    }
    // rerun: JobId 1 was backup-test's Full, into Full.
    const rerun = await api.command(admin, 'rerun', { jobid: 1, yes: true });
    assert.equal(rerun.status, 200, JSON.stringify(rerun.body));
    assert.equal(rerun.body.result.level, 'Full');
    const again = rerun.body.result.jobid as number;
    await api.command(admin, 'wait', { jobid: again });
    const row = (await api.command(admin, 'llist', { jobid: again })).body.result.jobs[0];
    assert.deepEqual([row.name, row.level, row.jobstatus, row.client, row.pool], ['backup-test', 'F', 'T', 'test-fd', 'Full'], JSON.stringify(row));
  });
});
