/**
 * Data spooling on the real daemons (issue 13, section 4): two slow clients (their Jobs
 * under a Maximum Bandwidth) back up at once to one virtual tape drive with Spool Data;
 * each job's data waits in the Device's Spool Directory and reaches the tape in one run
 * of blocks, not interleaved with the other's, and both restore exactly; a job that does
 * not spool, writing through the same drive, is held back while another despools. A job larger
 * than Maximum Job Spool Size despools in several parts and restores exactly; a job
 * canceled while it spools leaves no spool file and no catalog entries behind. In a
 * changer, a spooled Full larger than a cartridge despools in parts under its Job's
 * Spool Size and spans two cartridges, and restores exactly.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBlockHeader } from '@burrow/storage-daemon/volume/block';
import { Burrow } from '../harness/daemons.js';
import { compareTrees } from '../harness/tree.js';
import { changerLibrary, libraryStorage, vtapeDevice, type ChangerLibrary } from '../harness/changer.js';

/** The session (job id) of each block on the cartridge, in tape order (docs/vtape-format.md: records after a 64-byte header). */
function blockSessions(cartridge: string): number[] {
  const bytes = readFileSync(cartridge);
  const out: number[] = [];
  for (let at = 64; at + 4 <= bytes.length;) {
    const n = bytes.readUInt32LE(at);
    if (n > 0) {
      const parsed = parseBlockHeader(bytes.subarray(at + 4, at + 4 + n));
      assert.ok(parsed.ok, `a block at ${at}`);
      if (parsed.header.sessionId > 0) out.push(parsed.header.sessionId);
    }
    at += 4 + n;
  }
  return out;
}

/** Runs of equal values: [1,1,2,2,1] -> [[1,2],[2,2],[1,1]] as [value, length]. */
function runs(values: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const v of values) {
    const last = out.at(-1);
    if (last && last[0] === v) last[1] += 1;
    else out.push([v, 1]);
  }
  return out;
}

function tree(root: string, files: number, size: number): void {
  mkdirSync(root, { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(join(root, `f${i}.bin`), randomBytes(size));
}

describe('data spooling to a virtual tape', () => {
  let base: string;
  let burrow: Burrow;
  let cartridge: string;
  let spoolDir: string;
  let fifo: string;
  let quickFifo: string;
  const src = { a: '', b: '', big: '', steady: '', quick: '' };

  before(async () => {
    base = mkdtempSync(join(tmpdir(), 'burrow-spool-'));
    src.a = join(base, 'client-a');
    src.b = join(base, 'client-b');
    src.big = join(base, 'big');
    tree(src.a, 6, 150_000);
    tree(src.b, 6, 150_000);
    tree(src.big, 5, 300_000);
    src.steady = join(base, 'steady');
    src.quick = join(base, 'quick');
    tree(src.steady, 12, 250_000);
    tree(src.quick, 4, 1_000_000);
    cartridge = join(base, 'drive0');
    writeFileSync(cartridge, '');
    spoolDir = join(base, 'spool');
    // Nobody writes into it: the client waits there (a minute, FIFO_WAIT_MS) with the files before it spooled.
    fifo = join(base, 'fifo');
    execFileSync('mkfifo', [fifo]);
    quickFifo = join(base, 'quick-fifo');
    execFileSync('mkfifo', [quickFifo]);
    const job = (name: string, client: string, fileset: string, more = ''): string =>
      `Job { Name = ${name}; Type = Backup; Level = Full; Client = ${client}; FileSet = ${fileset}; Storage = Tape; Pool = Tapes; Messages = Standard; Spool Data = yes; ${more} }`;
    const fileset = (name: string, path: string): string =>
      `FileSet { Name = ${name}; Include { Options { Signature = SHA256 }; File = ${JSON.stringify(path)} } }`;
    burrow = await Burrow.start({
      include: [src.a],
      sdResources: vtapeDevice({
        name: 'Tape0', archiveDevice: cartridge, capacity: '100M',
        more: `Spool Directory = ${JSON.stringify(spoolDir)}; Maximum Job Spool Size = 1M`,
      }),
      directorResources: `
Storage { Name = Tape; Address = 127.0.0.1; SDPort = @SDPORT@; Password = @SDPASSWORD@; Device = Tape0; Media Type = LTO; Maximum Concurrent Jobs = 4 }
Pool { Name = Tapes; Pool Type = Backup }
Client { Name = client-a; Address = 127.0.0.1; FDPort = @FDPORT@; Password = @CLIENTPASSWORD@ }
Client { Name = client-b; Address = 127.0.0.1; FDPort = @FDPORT@; Password = @CLIENTPASSWORD@ }
${fileset('SetA', src.a)}
${fileset('SetB', src.b)}
${fileset('SetBig', src.big)}
${job('slow-a', 'client-a', 'SetA', 'Maximum Bandwidth = 300 kb/s')}
${job('slow-b', 'client-b', 'SetB', 'Maximum Bandwidth = 300 kb/s')}
${job('big', 'test-fd', 'SetBig')}
${fileset('SetSteady', src.steady)}
FileSet { Name = SetQuick; Include { Options { Signature = SHA256; ReadFifo = yes }; File = ${JSON.stringify(src.quick)}; File = ${JSON.stringify(quickFifo)} } }
Job { Name = steady; Type = Backup; Level = Full; Client = client-b; FileSet = SetSteady; Storage = Tape; Pool = Tapes; Messages = Standard; Maximum Bandwidth = 1500 kb/s }
${job('quick', 'client-a', 'SetQuick', 'Spool Size = 20M')}
FileSet { Name = SetHeld; Include { Options { Signature = SHA256; ReadFifo = yes }; File = ${JSON.stringify(src.big)}; File = ${JSON.stringify(fifo)} } }
${job('held', 'test-fd', 'SetHeld')}`,
    });
    const label = await burrow.console(['label storage=Tape volume=TAPE-0001 pool=Tapes']);
    assert.equal(label.code, 0, label.stdout + burrow.logs());
  });
  after(async () => {
    await burrow?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  /** Starts a Job and returns its JobId. */
  async function start(job: string): Promise<number> {
    const run = await burrow.console([`run job=${job} yes`]);
    const id = /Job queued\. JobId=(\d+)/.exec(run.stdout);
    assert.ok(id, run.stdout + burrow.logs());
    return Number(id[1]);
  }

  it('writes each of two slow clients\' data in one run of blocks, and both restore exactly', async () => {
    const r = await burrow.console(['run job=slow-a yes', 'run job=slow-b yes', 'wait jobid=1', 'wait jobid=2', 'messages']);
    assert.equal((r.stdout.match(/Termination:\s+Backup OK\n/g) ?? []).length, 2, r.stdout + burrow.logs());
    assert.equal((r.stdout.match(/Spooling data \.\.\./g) ?? []).length, 2, r.stdout);
    assert.equal((r.stdout.match(/Committing spooled data to Volume "TAPE-0001"/g) ?? []).length, 2, r.stdout);
    assert.match(r.stdout, /Despooling elapsed time = \d\d:\d\d:\d\d, Transfer rate = [\d,]+ Bytes\/second/);
    assert.match(r.stdout, /Sending spooled attrs to the Director/);
    // Both spooled at once: the second began before the first despooled (each takes three seconds at 300 kB/s).
    const lines = r.stdout.split('\n');
    const spooling = lines.map((l, i) => (l.includes('Spooling data ...') ? i : -1)).filter((i) => i >= 0);
    const firstCommit = lines.findIndex((l) => l.includes('Committing spooled data'));
    assert.ok(spooling[1]! < firstCommit, `both jobs spooled before either despooled:\n${r.stdout}`);

    const order = runs(blockSessions(cartridge));
    assert.deepEqual(order.map(([job]) => job).sort(), [1, 2], `each job's blocks in one run on the tape: ${JSON.stringify(order)}`);
    assert.ok(order.every(([, n]) => n > 10), JSON.stringify(order));

    for (const [jobid, client, path] of [[1, 'client-a', src.a], [2, 'client-b', src.b]] as const) {
      const where = join(burrow.dir, `restored-${jobid}`);
      const restore = await burrow.console([`restore client=${client} restoreclient=test-fd jobid=${jobid} storage=Tape all yes where=${where}`, 'wait', 'messages']);
      assert.match(restore.stdout, /Termination:\s+Restore OK\n/, restore.stdout + burrow.logs());
      assert.deepEqual(compareTrees(path, join(where, path)), []);
    }
    assert.deepEqual(readdirSync(spoolDir), [], 'no spool file left');
  });

  it('despools a job larger than Maximum Job Spool Size in several parts, and restores it exactly', async () => {
    const jobid = await start('big');
    const r = await burrow.console([`wait jobid=${jobid}`, 'messages']);
    assert.match(r.stdout, /Termination:\s+Backup OK\n/, r.stdout + burrow.logs());
    assert.match(r.stdout, /Job spool size limit reached: JobSpoolSize=[\d,]+ MaxJobSpoolSize=1,048,576/);
    const commits = (r.stdout.match(/Committing spooled data to Volume "TAPE-0001"/g) ?? []).length;
    assert.ok(commits >= 2, `${commits} despools of 1.5 MB under a 1 MiB limit:\n${r.stdout}`);
    assert.match(r.stdout, /Spooling data again \.\.\./);
    // Several parts, one job: the volume counts it once (with the two before).
    const vol = await burrow.console(['llist volume=TAPE-0001']);
    assert.match(vol.stdout, /voljobs:\s+3\n/i, vol.stdout);
    const where = join(burrow.dir, 'restored-big');
    const restore = await burrow.console([`restore client=test-fd jobid=${jobid} storage=Tape all yes where=${where}`, 'wait', 'messages']);
    assert.match(restore.stdout, /Termination:\s+Restore OK\n/, restore.stdout + burrow.logs());
    assert.deepEqual(compareTrees(src.big, join(where, src.big)), []);
    assert.deepEqual(readdirSync(spoolDir), []);
  });

  it('keeps a job that does not spool off the drive while another despools: the despool is one run, and both restore exactly', async () => {
    // The quick job spools its 4 MB and waits at its FIFO; the steady one writes a 64k block every 44 ms for 2 s,
    // and the quick one despools (in one part) once its FIFO gives its few bytes, while the steady one writes.
    const quick = await start('quick');
    const deadline = Date.now() + 20_000;
    while (!readdirSync(spoolDir).some((f) => f.includes(`.data.${quick}.`) && statSync(join(spoolDir, f)).size >= 3_000_000)) {
      assert.ok(Date.now() < deadline, `JobId ${quick} spooled nothing\n${burrow.logs()}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    const steady = await start('steady');
    await waitForBlocksOf(steady);
    await writeFile(quickFifo, 'the end of the quick job\n');
    const r = await burrow.console([`wait jobid=${quick}`, `wait jobid=${steady}`, 'messages']);
    assert.equal((r.stdout.match(/Termination:\s+Backup OK\n/g) ?? []).length, 2, r.stdout + burrow.logs());
    assert.equal((r.stdout.match(/Committing spooled data/g) ?? []).length, 1, r.stdout);
    const order = runs(blockSessions(cartridge).filter((s) => s === steady || s === quick));
    assert.equal(order.filter(([job]) => job === quick).length, 1, `the quick job's blocks in one run: ${JSON.stringify(order)}`);
    // The despool came while the steady job wrote: the gate held it back, it did not just end first.
    assert.deepEqual([order[0]![0], order.at(-1)![0]], [steady, steady], JSON.stringify(order));
    for (const [jobid, client, path] of [[steady, 'client-b', src.steady], [quick, 'client-a', src.quick]] as const) {
      const where = join(burrow.dir, `restored-${jobid}`);
      const restore = await burrow.console([`restore client=${client} restoreclient=test-fd jobid=${jobid} storage=Tape all yes where=${where}`, 'wait', 'messages']);
      assert.match(restore.stdout, /Termination:\s+Restore OK\n/, restore.stdout + burrow.logs());
      assert.deepEqual(compareTrees(path, join(where, path)), []);
    }
  });

  /** Waits until the job's first data blocks are on the cartridge. */
  async function waitForBlocksOf(jobid: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (blockSessions(cartridge).filter((s) => s === jobid).length < 3) {
      assert.ok(Date.now() < deadline, `JobId ${jobid} wrote no blocks\n${burrow.logs()}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  it('leaves no spool file and no catalog entries when a job is canceled while it spools', async () => {
    const jobid = await start('held');
    const deadline = Date.now() + 20_000;
    while (!readdirSync(spoolDir).some((f) => f.includes(`.data.${jobid}.`))) {
      assert.ok(Date.now() < deadline, `no spool file appeared: ${readdirSync(spoolDir).join(', ')}\n${burrow.logs()}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    const status = await burrow.console(['status storage=Tape']);
    assert.match(status.stdout, new RegExp(`JobId=${jobid} [^]*\\n    spooling=1 despooling=0 despool_wait=0 spooled=[\\d,]+ bytes\\n`), status.stdout);
    assert.match(status.stdout, /Data spooling: 1 active jobs, [\d,]+ bytes; \d+ total jobs, [\d,]+ max bytes\/job\./);
    const files = await burrow.console([`list files jobid=${jobid}`]);
    assert.doesNotMatch(files.stdout, new RegExp(src.big), 'no catalog entries while the job spools');
    const cancel = await burrow.console([`cancel jobid=${jobid}`, `wait jobid=${jobid}`, 'messages']);
    assert.match(cancel.stdout, /Termination:\s+Backup Canceled/, cancel.stdout + burrow.logs());
    // The Director ends the job at the cancel; the SD's session ends on its own just after.
    const spools = (): string[] => [...readdirSync(spoolDir), ...readdirSync(join(burrow.dir, 'sd')).filter((f) => f.endsWith('.spool'))];
    const gone = Date.now() + 10_000;
    while (spools().length > 0 && Date.now() < gone) await new Promise((res) => setTimeout(res, 100));
    assert.deepEqual(spools(), [], 'the data and attribute spool files are deleted');
  });
});

describe('data spooling in an autochanger', () => {
  let src: string;
  let lib: ChangerLibrary;
  let burrow: Burrow;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-spool-span-'));
    tree(src, 12, 500_000); // 6 MB: more than one 4 MB cartridge
    lib = await changerLibrary({ slots: 3, drives: 1, importExport: 0, barcodes: 'S00001-S00003', deviceMore: `Spool Directory = ${JSON.stringify(`${src}-spool`)}` });
    burrow = await Burrow.start({
      include: [src],
      sdResources: lib.sdResources,
      directorResources: `${libraryStorage('Auto Changer = yes')}
Pool { Name = Tapes; Pool Type = Backup }
Job { Name = spooled-lib; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = Library; Pool = Tapes; Messages = Standard; Spool Data = yes; Spool Size = 2M }`,
    });
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
    rmSync(`${src}-spool`, { recursive: true, force: true });
    lib?.remove();
  });

  it('despools each part through the volume writer: a Full larger than a cartridge spans two and restores exactly', async () => {
    const labelled = await burrow.console(['label barcodes storage=Library pool=Tapes slots=1-2 drive=0 yes'], undefined, 120_000);
    assert.equal(labelled.code, 0, labelled.stdout + burrow.logs());
    const r = await burrow.console(['run job=spooled-lib yes', 'wait', 'messages'], undefined, 120_000);
    assert.match(r.stdout, /Termination:\s+Backup OK\n/, r.stdout + burrow.logs());
    assert.match(r.stdout, /Volume name\(s\):\s+S0000(1\|S00002|2\|S00001)\n/, r.stdout);
    assert.match(r.stdout, /Job spool size limit reached: JobSpoolSize=[\d,]+ MaxJobSpoolSize=2,097,152/);
    assert.match(r.stdout, /End of medium on Volume "S0000\d"/);
    const commits = (r.stdout.match(/Committing spooled data to Volume "S0000\d"/g) ?? []).length;
    assert.ok(commits >= 3, `${commits} despools of 6 MB under Spool Size = 2M`);
    const where = join(burrow.dir, 'restored');
    const restore = await burrow.console([`restore client=test-fd jobid=1 storage=Library all yes where=${where}`, 'wait', 'messages'], undefined, 120_000);
    assert.match(restore.stdout, /Termination:\s+Restore OK\n/, restore.stdout + burrow.logs());
    assert.deepEqual(compareTrees(src, join(where, src)), []);
  });
});
