/**
 * Many clients at once (issue 15): N clients of M MiB each back up at the same time to
 * one Storage daemon (one File device all jobs write through, interleaving on one
 * volume), the time from the console's first `run` to the end of the last job; Burrow's
 * Topology of N burrow-fd against N bacula-fd with one bacula-sd and bacula-dir. Each
 * client backs up the same generated tree (read from the page cache by both alike), and
 * every job must end OK. Then each system's peak memory: the Director, the Storage
 * daemon and the largest File daemon.
 */
import type { Dataset } from '../datasets/generate.js';
import { peakRssMiB, settleDisk, timed } from '../measure/stats.js';
import { startManyBacula } from '../peers/bacula-many.js';
import type { ConsoleOutput, DaemonProcess } from '../peers/tool.js';
import { absolute, comparison, type Row } from '../report/rows.js';
import { Topology } from '@burrow/test/harness/topology';

const JOB_TIMEOUT_MS = 60 * 60 * 1000;

interface ManyRun {
  seconds: number;
  /** Peak RSS in MiB: director, storage, and the largest file daemon. */
  rss: { director: number; storage: number; fileDaemon: number };
}

/** The jobs' reports must all say Backup OK. */
function allOk(system: string, count: number, r: ConsoleOutput): void {
  const ok = (r.stdout.match(/Termination:\s+Backup OK/g) ?? []).length;
  if (r.code !== 0 || ok !== count) throw new Error(`${system}: ${ok} of ${count} backups ended OK (exit ${r.code}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-1000)}`);
}

function peaks(daemons: DaemonProcess[], isDirector: (n: string) => boolean, isStorage: (n: string) => boolean): ManyRun['rss'] {
  const rss = { director: 0, storage: 0, fileDaemon: 0 };
  for (const d of daemons) {
    const mib = Number(peakRssMiB(d.pid).toFixed(1));
    const key = isDirector(d.name) ? 'director' : isStorage(d.name) ? 'storage' : 'fileDaemon';
    rss[key] = Math.max(rss[key], mib);
  }
  return rss;
}

async function burrowRun(dataset: Dataset, clients: number): Promise<ManyRun> {
  const names = Array.from({ length: clients }, (_, i) => `fd${i + 1}`);
  const topo = await Topology.start({
    clients: names.map((name) => ({ name, include: [dataset.root] })),
    storages: [{ name: 'sd1', sdDirectives: [`Maximum Concurrent Jobs = ${clients + 5}`], storageDirectives: [`Maximum Concurrent Jobs = ${clients}`] }],
    maximumConcurrentJobs: clients,
    options: ['Signature = MD5'],
  });
  try {
    settleDisk();
    const { seconds, value: r } = await timed(() => topo.console([...names.map((n) => `run job=backup-${n} yes`), 'wait', 'messages'], undefined, JOB_TIMEOUT_MS));
    allOk('burrow', clients, r);
    const daemons = topo.daemons.flatMap((d) => (d.process.pid ? [{ name: d.name, pid: d.process.pid }] : []));
    return { seconds, rss: peaks(daemons, (n) => n === 'dir', (n) => n === 'sd1') };
  } finally {
    await topo.stop();
  }
}

async function baculaRun(dataset: Dataset, clients: number): Promise<ManyRun> {
  const bacula = await startManyBacula(dataset.root, clients);
  try {
    settleDisk();
    const { seconds, value: r } = await timed(() => bacula.console([...bacula.clients.map((c) => `run job=backup-${c} yes`), 'wait', 'messages'], JOB_TIMEOUT_MS));
    allOk('bacula', clients, r);
    return { seconds, rss: peaks(bacula.daemons(), (n) => n === 'bacula-dir', (n) => n === 'bacula-sd') };
  } finally {
    await bacula.stop();
  }
}

export async function manyClientsRows(dataset: Dataset, clients: number, o: { bacula: boolean; say: (s: string) => void }): Promise<Row[]> {
  const label = `${clients} clients x ${(dataset.bytes / 2 ** 20).toFixed(0)} MiB`;
  o.say(`${label}: burrow, all backups at once`);
  const b = await burrowRun(dataset, clients);
  o.say(`  burrow: ${JSON.stringify(b)}`);
  let k: ManyRun | null = null;
  if (o.bacula) {
    o.say(`${label}: bacula, ${clients} bacula-fd at once`);
    k = await baculaRun(dataset, clients);
    o.say(`  bacula: ${JSON.stringify(k)}`);
  }
  const rows: Row[] = [comparison(label, 'full backups at once, total wall time', b.seconds, `bacula (${clients} bacula-fd)`, k?.seconds ?? null)];
  for (const [daemon, mib] of Object.entries(b.rss)) {
    rows.push(absolute(label, `peak RSS burrow ${daemon}`, { rss_mib: mib, note: k ? `bacula ${k.rss[daemon as keyof ManyRun['rss']]} MiB` : undefined }));
  }
  return rows;
}
