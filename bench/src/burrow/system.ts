/**
 * Burrow under test: the real Director, Storage daemon and File daemon, started by the
 * end-to-end harness on loopback with a FileSet for one dataset, driven by bconsole.
 * Times are wall clock around the console session that runs the job and waits for it.
 */
import { Burrow } from '@burrow/test/harness/daemons';
import { bytesUnder } from '../measure/tree.js';
import { jobOutcome, NotAvailable, type BackupSystem, type Compression, type DaemonProcess, type Level } from '../peers/tool.js';
import { timed } from '../measure/stats.js';

/** Burrow's fastest compression is LZ4 (each 64 KiB chunk on its own, on libuv's threads). */
const COMPRESSION: Record<Compression, string[]> = { none: [], GZIP6: ['Compression = GZIP6'], fastest: ['Compression = LZ4'] };
const JOB_TIMEOUT_MS = 60 * 60 * 1000;

export interface BurrowSetup {
  /** Where the daemons write their --cpu-prof profiles; none when absent. */
  profileDir?: string;
  /** FileSet Options lines; a Signature line here replaces the default MD5. */
  options?: string[];
  /** False: the data channel without TLS (TLS Enable = no on the FD and the SD), like Bacula's default. */
  dataTls?: boolean;
}

export async function startBurrow(root: string, compression: Compression, setup: BurrowSetup = {}): Promise<BackupSystem> {
  const { profileDir } = setup;
  const extra = setup.options ?? [];
  const signature = extra.some((l) => /^\s*signature\s*=/i.test(l)) ? [] : ['Signature = MD5'];
  // The harness passes BURROW_DAEMON_NODE_ARGS to the daemons it starts (the Director too).
  const saved = process.env.BURROW_DAEMON_NODE_ARGS;
  if (profileDir) process.env.BURROW_DAEMON_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${profileDir}`;
  let burrow: Burrow;
  try {
    const clear = setup.dataTls === false ? ['TLS Enable = no'] : [];
    burrow = await Burrow.start({ include: [root], options: [...signature, ...extra, ...COMPRESSION[compression]], fdDirectives: clear, sdDirectives: clear });
  } finally {
    if (saved === undefined) delete process.env.BURROW_DAEMON_NODE_ARGS;
    else process.env.BURROW_DAEMON_NODE_ARGS = saved;
  }
  return {
    name: 'burrow',
    mtimeResolutionNs: 1000n,
    async backup(level: Level) {
      const { seconds, value: r } = await timed(() => burrow.console([`run job=backup-test level=${level} yes`, 'wait', 'messages'], undefined, JOB_TIMEOUT_MS));
      if (/not available yet/.test(r.stdout + r.stderr)) throw new NotAvailable(`Burrow: ${level} ${(r.stdout + r.stderr).split('\n').find((l) => /not available/.test(l))?.trim() ?? ''}`);
      return { seconds, jobId: jobOutcome(`burrow ${level} backup of ${root}`, 'Backup', r) };
    },
    async restore(jobId: number, where: string, files?: string[]) {
      const selection = files ? files.map((f) => `file=${JSON.stringify(f)}`).join(' ') : 'all';
      const { seconds, value: r } = await timed(() => burrow.console([`restore client=test-fd jobid=${jobId} ${selection} done yes where=${where}`, 'wait', 'messages'], undefined, JOB_TIMEOUT_MS));
      jobOutcome(`burrow restore of job ${jobId}`, 'Restore', r);
      return { seconds };
    },
    storedBytes: () => bytesUnder(burrow.volumes),
    daemons: (): DaemonProcess[] => burrow.daemons.flatMap((d) => (d.process.pid ? [{ name: `burrow-${d.name}`, pid: d.process.pid }] : [])),
    stop: () => burrow.stop(),
  };
}
