/**
 * The File daemon's side of the Director conversation (its peer is
 * director/src/fd/): the first message is a job order (backup, restore, verify) or a
 * status request. During a job the Director may cancel it at any time.
 */
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import type { Logger } from '@burrow/common/log/index';
import { VERSION } from '@burrow/common/daemon/version';
import type { burrow, Message } from '@burrow/common/proto/index';
import { refuseMonitor, type DirectorAccess } from '@burrow/common/daemon/monitor';
import type { OpenedSession } from '@burrow/common/net/job-sessions';
import { Inbox } from './inbox.js';
import { Bandwidth, lowerLimit } from '@burrow/common/net/bandwidth';
import type { ClientContext } from '../context.js';
import type { ClientJobType } from '../metrics/client-metrics.js';
import { runBackupJob } from './backup-job.js';
import { runRestoreJob } from './restore-job.js';
import { runEstimate } from './estimate.js';
import { runDiskVerify, runVolumeVerify } from '../verify/index.js';
import { JobReporter } from './job-reporter.js';
import { refusal, runClientScripts } from '../scripts/client-scripts.js';
import type { LiveProgress } from '../context.js';
import { progressLines, RateMeter } from '@burrow/common/progress/index';
import { displayPath } from '@burrow/common/names/index';

/** What a Monitor Director (`Monitor = yes`) asked for, in the words of the refusal. */
const MONITOR_REFUSES: Readonly<Record<string, string>> = {
  fdBackup: 'a backup', fdEstimate: 'an estimate', fdRestore: 'a restore', fdVerify: 'a verify', fdSetBandwidth: 'a bandwidth limit',
};

/**
 * Serves one connection with a Director. `onFirst` hears the first message's arrival: a
 * connection this daemon opened and left waiting (director-dial.ts) is then in use.
 */
export async function serveDirector(ctx: ClientContext, director: Channel, log: Logger, access: DirectorAccess, onFirst?: () => void): Promise<void> {
  const first = await director.receive(ctx.signal);
  onFirst?.();
  if (access === 'monitor' && first.kind !== 'statusRequest') {
    await refuseMonitor(director, MONITOR_REFUSES[first.kind] ?? first.kind, log);
    return;
  }
  // A passive client's order: from now on the Storage daemon may connect for this job.
  const order = passiveOrder(first);
  const passive = order ? ctx.passiveSessions.open(order.jobId, Buffer.from(order.token)) : undefined;
  try {
    await serveOrder(first, { ctx, director, log }, passive);
  } finally {
    passive?.cancel();
  }
}

/** The job and token of a passive client's order (Passive = yes: the Storage daemon connects to us), or undefined. */
function passiveOrder(msg: Message): { jobId: number; token: Uint8Array } | undefined {
  switch (msg.kind) {
    case 'fdBackup':
    case 'fdRestore':
    case 'fdVerify':
      return msg.body.passive ? { jobId: msg.body.jobId, token: msg.body.token } : undefined;
    default:
      return undefined;
  }
}

async function serveOrder(first: Message, job: { ctx: ClientContext; director: Channel; log: Logger }, passive: OpenedSession | undefined): Promise<void> {
  const { ctx, director } = job;
  const live: LiveProgress = { sample: () => ({ files: 0, bytes: 0, file: null }) };
  switch (first.kind) {
    case 'statusRequest':
      await director.send('statusReply', { text: statusText(ctx) });
      director.close('status done');
      return;
    case 'fdBackup':
      await runJob({ ...job, live, type: 'backup', jobId: first.body.jobId, jobName: first.body.jobName, kind: `${first.body.level} Backup`, scripts: first.body.scripts, bandwidth: Number(first.body.maximumBandwidth) },
        (signal, reporter, fromDirector, bandwidth) => runBackupJob(first.body, { signal, reporter, director, fromDirector, live, policy: ctx.scriptPolicy, clientName: ctx.name, digestThread: ctx.digestThread, compressThread: ctx.compressThread, dataTls: ctx.dataTls, passive, heartbeatMs: ctx.heartbeatMs, sdConnectTimeoutMs: ctx.sdConnectTimeoutMs, bandwidth }));
      return;
    case 'fdSetBandwidth': {
      const { jobId, bytesPerSecond } = first.body;
      let jobs = 0;
      for (const [id, running] of ctx.running) {
        if (jobId !== 0 && id !== jobId) continue;
        // Never above this daemon's own Maximum Bandwidth Per Job (its Director resource's, else its FileDaemon's).
        running.bandwidth.limit = lowerLimit(Number(bytesPerSecond), ctx.maximumBandwidthPerJob(running.director));
        jobs++;
      }
      job.log.info({ jobId, bytesPerSecond: Number(bytesPerSecond), jobs }, 'bandwidth limit set');
      await director.send('fdSetBandwidthReply', { jobs });
      director.close('setbandwidth done');
      return;
    }
    case 'fdEstimate':
      await runJob({ ...job, live, type: 'estimate', jobId: 0, jobName: 'estimate', kind: 'Estimate', scripts: [] }, (signal, reporter) =>
        runEstimate(first.body, director, signal, reporter, (command) => refusal(command, ctx.scriptPolicy, ctx.name)));
      return;
    case 'fdRestore':
      await runJob({ ...job, live, type: 'restore', jobId: first.body.jobId, jobName: first.body.jobName, kind: 'Restore', scripts: first.body.scripts, bandwidth: Number(first.body.maximumBandwidth) }, (signal, reporter, fromDirector, bandwidth) =>
        runRestoreJob(first.body, { signal, reporter, fromDirector, live,
          passive: passive && { first: passive, open: (token) => ctx.passiveSessions.open(first.body.jobId, token) }, commandRefusal: (command) => refusal(command, ctx.scriptPolicy, ctx.name), dataTls: ctx.dataTls, digestThread: ctx.digestThread, heartbeatMs: ctx.heartbeatMs, sdConnectTimeoutMs: ctx.sdConnectTimeoutMs, bandwidth }));
      return;
    case 'fdVerify': {
      const order = first.body;
      const fromVolume = order.level === 'VolumeToCatalog' || order.level === 'Data';
      await runJob({ ...job, live, type: 'verify', jobId: order.jobId, jobName: order.jobName, kind: `${order.level} Verify`, scripts: order.scripts, bandwidth: Number(order.maximumBandwidth) }, (signal, reporter, _fromDirector, bandwidth) => (fromVolume
        ? runVolumeVerify(order, director, reporter, { signal, tls: ctx.dataTls, caution: (text) => reporter.say('caution', text), passive, heartbeatMs: ctx.heartbeatMs, connectTimeoutMs: ctx.sdConnectTimeoutMs, bandwidth })
        : runDiskVerify(order, director, signal, reporter, (command) => refusal(command, ctx.scriptPolicy, ctx.name))));
      return;
    }
    default:
      throw director.violation(`a Director may not open with ${first.kind}`);
  }
}

/** `fromDirector` yields the Director's job-time messages (the accurate state, a restore's next read session); `bandwidth` is the job's limit. */
type JobBody = (signal: AbortSignal, reporter: JobReporter, fromDirector: () => Promise<Message>, bandwidth: Bandwidth) => Promise<burrow.IFdJobEnd>;

/** One job order from the Director: who runs it, for which job, with which client scripts. */
interface JobOrder {
  ctx: ClientContext;
  director: Channel;
  type: ClientJobType;
  jobId: number;
  jobName: string;
  /** Bareos's words for it in status ("Full Backup"). */
  kind: string;
  scripts: readonly burrow.ClientScript[];
  log: Logger;
  /** The Director's bandwidth limit for the job's data, bytes/s (0 or absent: none). */
  bandwidth?: number;
  /** Where status reads its progress; the job fills it in. */
  live: LiveProgress;
}

async function runJob({ ctx, director, type, jobId, jobName, kind, scripts, log, live, bandwidth: asked }: JobOrder, body: JobBody): Promise<void> {
  if (ctx.running.size >= ctx.maximumConcurrentJobs) {
    // As Bareos's File daemon: beyond Maximum Concurrent Jobs a job is refused, not queued.
    await director.sendErrorAndClose(new BurrowError('JOB_FAILED',
      `client ${ctx.name} already runs ${ctx.running.size} jobs, its Maximum Concurrent Jobs`));
    return;
  }
  const cancel = new AbortController();
  const signal = AbortSignal.any([cancel.signal, ctx.signal]);
  const reporter = new JobReporter(director, jobId);
  const bandwidth = new Bandwidth(lowerLimit(asked ?? 0, ctx.maximumBandwidthPerJob(director.peer.name)));
  if (bandwidth.limit > 0) log.info({ jobId, bytesPerSecond: bandwidth.limit }, `JobId ${jobId}: data held to ${bandwidth.limit} bytes/s`);
  const startedAt = Date.now();
  ctx.running.set(jobId, { startedAt, director: director.peer.name, bandwidth, jobName, kind, progress: live, meter: new RateMeter(startedAt), reporter });
  // One loop reads the Director while the job runs: a cancel aborts the job; the
  // accurate state goes to the job; anything else is a protocol error.
  const inbox = new Inbox();
  const listening = (async () => {
    for (;;) {
      const msg = await director.receive(signal).catch((err: unknown) => {
        // The Director gone (closed, or silent past its Heartbeat Interval): nobody is left to report to.
        if (!signal.aborted) {
          const e = toBurrowError(err);
          log.warn({ jobId, code: e.code }, `lost the Director: ${e.message}; ending the job`);
          cancel.abort(new BurrowError('CONNECTION', `lost the Director: ${e.message}`));
        }
        return undefined;
      });
      if (!msg) return;
      if (msg.kind === 'accurateBatch' || msg.kind === 'accurateEnd' || msg.kind === 'fdReadNext') {
        inbox.push(msg);
        continue;
      }
      if (msg.kind === 'cancel') {
        cancel.abort(new BurrowError('JOB_CANCELED', 'canceled by the Director'));
        return;
      }
      director.violation(`unexpected ${msg.kind} during a job`);
      cancel.abort(new BurrowError('PROTOCOL', `the Director sent ${msg.kind} during a job`));
      return;
    }
  })();
  let end: burrow.IFdJobEnd;
  const scriptArgs = { policy: ctx.scriptPolicy, clientName: ctx.name, reporter, signal };
  try {
    if (!(await runClientScripts(scripts, 'Before', true, scriptArgs))) {
      throw new BurrowError('JOB_FAILED', 'a client Run Before Job script was refused or failed');
    }
    end = await body(signal, reporter, () => inbox.next(signal), bandwidth);
    const ok = end.status === 'T' || end.status === 'W';
    if (!(await runClientScripts(scripts, 'After', ok, scriptArgs))) end = { ...end, status: 'E', errors: (end.errors ?? 0) + 1 };
  } catch (err) {
    const e = toBurrowError(err);
    const canceled = e.code === 'JOB_CANCELED' || cancel.signal.aborted;
    log.warn({ jobId, code: e.code }, `job ended: ${e.message}`);
    end = { status: canceled ? 'A' : 'E', error: canceled ? 'canceled' : e.message, errors: reporter.errors + 1 };
  } finally {
    ctx.running.delete(jobId);
  }
  ctx.metrics.jobEnded(type, end);
  await reporter.flushed();
  if (!director.closed) await director.send('fdJobEnd', end).catch(() => undefined);
  cancel.abort();
  await listening;
  director.close('job done');
}

function statusText(ctx: ClientContext): string {
  const now = Date.now();
  return [
    `${ctx.name} Version: ${VERSION}`,
    `Daemon started ${new Date(ctx.startedAt).toISOString()}. Jobs: run=${ctx.running.size} running.`,
    '',
    'Running Jobs:',
    ...(ctx.running.size === 0 ? ['No Jobs running.'] : [...ctx.running].flatMap(([id, j]) => {
      const p = j.progress.sample();
      // Bareos's layout for a running job on the client; "Elapsed time" is Burrow's.
      return [
        `JobId ${id} Job ${j.jobName} is running.`,
        `    ${j.kind} Job started: ${new Date(j.startedAt).toISOString()}`,
        ...progressLines({ files: p.files, bytes: p.bytes, file: p.file === null ? undefined : displayPath(p.file) }, j.meter.look(p.bytes, now), now - j.startedAt, j.reporter.errors),
        `Director connected at: ${new Date(j.startedAt).toISOString()} (Director "${j.director}")`,
      ];
    })),
    '====',
  ].join('\n');
}
