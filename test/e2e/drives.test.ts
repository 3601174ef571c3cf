/**
 * Drives and reservations on the real daemons (issue 11, section 1): a Device with
 * Count = 2 and Maximum Concurrent Jobs = 1 runs two backups of one pool at once on
 * two drives, each on a volume of its own; a restore gets the drive one of them freed
 * while the other still writes; `status storage` shows who holds which drive; and the
 * SD answers the operator's unmount, mount and release of a drive (the Director's
 * console commands for them come with M3; here the test speaks to the SD as the
 * Director does). The backups are held open by FIFOs in their FileSets (ReadFifo), so
 * the overlap is certain without any timing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@burrow/common/net/client';
import { Burrow } from '../harness/daemons.js';
import { compareTrees } from '../harness/tree.js';

/** A FileSet and a backup Job over `dir`, which holds a FIFO the job reads last. */
function jobOver(name: string, dir: string): string {
  return `
FileSet { Name = Set-${name}
  Include { Options { Signature = SHA256; ReadFifo = yes }
    File = ${JSON.stringify(join(dir, 'files'))}
    File = ${JSON.stringify(join(dir, 'fifo'))} } }
Job { Name = backup-${name}; Type = Backup; Level = Full; Client = test-fd; FileSet = Set-${name}; Storage = File; Pool = Full; Messages = Standard }
`;
}

function makeSource(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'files', 'sub'), { recursive: true });
  // Some 2.4 MB: two 1 MiB blocks reach the volume before the job blocks on its FIFO.
  for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'files', 'sub', `f${i}.txt`), `${name} file ${i}\n`.repeat(12_000 * (i + 1)));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  return dir;
}

describe('a Device with Count = 2', () => {
  let src: string;
  let burrow: Burrow;
  /** What the first test left: backup-b's drive and volume. */
  let drive2 = '';
  let volumeOf2 = '';
  const dirLog = (): string => burrow.jobLog();
  const until = (what: RegExp): Promise<void> => burrow.untilLogged(what);

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-drives-'));
    const [a, b] = [makeSource(src, 'a'), makeSource(src, 'b')];
    burrow = await Burrow.start({
      include: [join(a, 'files')],
      deviceDirectives: ['Count = 2', 'Maximum Concurrent Jobs = 1'],
      storageDirectives: ['Maximum Concurrent Jobs = 4'],
      clientDirectives: ['Maximum Concurrent Jobs = 4'],
      directorResources: jobOver('a', a) + jobOver('b', b),
    });
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  it('runs two backups of one pool at once on two drives, and a restore beside the one still writing', async () => {
    const started = await burrow.console(['run job=backup-a yes', 'run job=backup-b yes']);
    assert.equal(started.code, 0, started.stdout + started.stderr);
    await until(/JobId 1: Using Device "FileStorage000[12]" to write\./);
    await until(/JobId 2: Using Device "FileStorage000[12]" to write\./);
    await until(/JobId 1: Labeled new Volume/);
    await until(/JobId 2: Labeled new Volume/);
    const driveOf = (jobId: number): string => new RegExp(`JobId ${jobId}: Using Device "(\\w+)" to write`).exec(dirLog())?.[1] ?? '';
    const [da, db] = [driveOf(1), driveOf(2)];
    assert.deepEqual([da, db].sort(), ['FileStorage0001', 'FileStorage0002'], 'two drives, one each (never 0000, Autoselect = no)');

    const status = await burrow.console(['status storage=File']);
    assert.match(status.stdout, new RegExp(`Writing: Full Backup job backup-a\\S* JobId=1 Volume="\\S*"\\n {4}pool="Full" device="${da}" \\(\\S+\\)`));
    assert.match(status.stdout, new RegExp(`Writing: Full Backup job backup-b\\S* JobId=2 Volume="\\S*"\\n {4}pool="Full" device="${db}" \\(\\S+\\)`));
    assert.match(status.stdout, /Autochanger "FileStorage" with devices:\n {3}"FileStorage0000" \(\S+\)\n {3}"FileStorage0001" \(\S+\)\n {3}"FileStorage0002" \(\S+\)/);
    assert.match(status.stdout, /Reserved by: JobId=1 \(writing\)/);
    assert.match(status.stdout, /Reserved by: JobId=2 \(writing\)/);
    assert.match(status.stdout, /Autoselect=no: used only when named itself/);

    // Job a ends; job b still waits on its FIFO, holding its drive.
    await writeFile(join(src, 'a', 'fifo'), 'the end of a\n');
    const a = await burrow.console(['wait jobid=1', 'llist jobid=2']);
    assert.match(a.stdout, /JobStatus=OK \(T\)/, a.stdout + burrow.logs());
    assert.match(a.stdout, /jobstatus: R\n/);

    const where = join(burrow.dir, 'restored');
    const restore = await burrow.console([`restore client=test-fd jobid=1 all yes where=${where}`, 'wait jobid=3', 'llist jobid=2']);
    assert.match(restore.stdout, /JobStatus=OK \(T\)/, restore.stdout + burrow.logs());
    assert.match(restore.stdout, /jobstatus: R\n/, 'the restore ended while backup-b still ran');
    assert.match(dirLog(), new RegExp(`JobId 3: Using Device "${da}" to read\\.`), 'the drive backup-a gave back');
    assert.deepEqual(compareTrees(join(src, 'a', 'files'), join(where, src, 'a', 'files')), []);

    await writeFile(join(src, 'b', 'fifo'), 'the end of b\n');
    const b = await burrow.console(['wait jobid=2', 'list volumes']);
    assert.match(b.stdout, /JobStatus=OK \(T\)/, b.stdout + burrow.logs());
    // Maximum Concurrent Jobs = 1: each drive wrote a volume of its own.
    const labelled = (jobId: number, drive: string): string => new RegExp(`JobId ${jobId}: Labeled new Volume "(Vol-000[12])" on Device "${drive}"`).exec(dirLog())?.[1] ?? '';
    assert.deepEqual([labelled(1, da), labelled(2, db)].sort(), ['Vol-0001', 'Vol-0002'], dirLog());
    volumeOf2 = labelled(2, db);
    drive2 = db;
  });

  it('answers the operator\'s unmount, mount and release of a drive, and shows its state', async () => {
    const sd = async (kind: 'sdDrive' | 'statusRequest', body: object): Promise<{ code?: number; text: string; json?: string }> => {
      const channel = await connect({
        host: '127.0.0.1', port: burrow.ports.sd, self: { role: 'director', name: 'test-dir' }, secret: burrow.passwords.storage,
        peer: { role: 'storage', name: 'File' }, describeTarget: 'Storage daemon "File"',
      });
      try {
        await channel.send(kind, body);
        if (kind === 'statusRequest') return await channel.expect('statusReply');
        const { code, text } = await channel.expect('sdDriveReply');
        return { code, text };
      } finally {
        channel.close('done');
      }
    };
    const drive = (action: string, name: string) => sd('sdDrive', { action, device: 'FileStorage', drive: Number(name.slice(-4)) });
    const other = drive2 === 'FileStorage0001' ? 'FileStorage0002' : 'FileStorage0001';
    const dev = (name: string): string => `Device "${name}" (${burrow.volumes})`;

    assert.deepEqual(await drive('unmount', other), { code: 3002, text: `3002 ${dev(other)} unmounted.` });
    assert.deepEqual(await drive('unmount', other), { code: 3901, text: `3901 ${dev(other)} is already unmounted.` });
    const json = JSON.parse((await sd('statusRequest', {})).json ?? '{}') as { drives: Array<{ name: string; state: string; volume: { name: string } | null }> };
    const states = Object.fromEntries(json.drives.map((d) => [d.name, [d.state, d.volume?.name ?? null]]));
    assert.deepEqual(states, { FileStorage0000: ['idle', null], [other]: ['unmounted', null], [drive2]: ['idle', volumeOf2] }, 'a drive keeps its last volume mounted');

    // The unmounted drive is passed over; the job takes the other, and the volume mounted there.
    writeFileSync(join(src, 'b', 'files', 'later.txt'), 'written after the first backups\n');
    const run = burrow.console(['run job=backup-b yes', 'wait', 'messages']);
    await writeFile(join(src, 'b', 'fifo'), 'again\n');
    const ran = await run;
    assert.match(ran.stdout, new RegExp(`Using Device "${drive2}" to write\\.`), ran.stdout);
    assert.match(ran.stdout, new RegExp(`Volume "${volumeOf2}" previously written, moving to end of data`), ran.stdout);
    assert.match(ran.stdout, /Termination:\s+Backup OK/, ran.stdout + burrow.logs());

    assert.deepEqual(await drive('mount', other), { code: 3002, text: `3002 ${dev(other)} is mounted.` });
    assert.deepEqual(await drive('mount', drive2), { code: 3001, text: `3001 ${dev(drive2)} is mounted with Volume "${volumeOf2}"` });
    assert.deepEqual(await drive('release', drive2), { code: 3022, text: `3022 ${dev(drive2)} released.` });
    assert.deepEqual(await drive('release', drive2), { code: 3921, text: `3921 ${dev(drive2)} already released.` });
    assert.deepEqual(await drive('mount', drive2), { code: 3906, text: `3906 File device "${drive2}" (${burrow.volumes}) is always mounted.` });
    assert.deepEqual(await sd('sdDrive', { action: 'mount', device: 'FileStorage', drive: 7 }), { code: 3999, text: '3999 Drive number "7" for device "FileStorage" not found.' });
  });
});
