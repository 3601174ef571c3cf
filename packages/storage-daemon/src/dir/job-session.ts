/**
 * One job's session on the SD, from the Director's order to its end: reserve a drive
 * for the job (waiting while every suitable drive is busy, as Bareos does), hand the
 * Director the one-job token and the drive's name, wait for the File daemon, run the
 * job, and always give everything back. From the start one loop reads the Director
 * (DirectorPump), so a cancel also ends a wait for a drive.
 */
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import { poolRefusal } from '@burrow/common/config/index';
import type { Channel } from '@burrow/common/net/channel';
import type { Logger } from '@burrow/common/log/index';
import type { burrow } from '@burrow/common/proto/index';
import type { RunningSession, StorageContext } from '../context.js';
import { runBackupSession } from '../fd/backup-receiver.js';
import { runRestoreSession } from '../fd/restore-sender.js';
import type { SessionParties } from '../fd/session.js';
import type { OpenedSession } from '@burrow/common/net/job-sessions';
import type { ReserveOptions } from '../reservations/index.js';
import { DirectorPump } from './director-pump.js';
import { connectPassiveClient } from '../fd/passive-client.js';
import { RateMeter } from '@burrow/common/progress/index';

interface Held {
  readonly driveName: string;
  readonly printName: string;
  release(): void;
}

interface JobSession<R extends Held> {
  ctx: StorageContext;
  director: Channel;
  log: Logger;
  jobId: number;
  running: Omit<RunningSession, 'startedAt' | 'director' | 'meter'>;
  reserve: (options: ReserveOptions) => Promise<R>;
  /** Set when the Director asked for a drive only if one is free now: why it would wait, or null. */
  busy?: () => string[] | null;
  run: (parties: SessionParties, reservation: R) => Promise<void>;
}

export function backupSession(ctx: StorageContext, director: Channel, log: Logger, order: burrow.SdBackupSession): Promise<void> {
  // Cartridge sets per client: checked before any drive is reserved (the rule comes in the order, see the .proto).
  const refusal = poolRefusal({ name: order.pool, allowedClients: order.poolAllowedClients }, order.client);
  if (refusal) return Promise.reject(new BurrowError('JOB_FAILED', `Storage daemon ${ctx.name} refuses JobId ${order.jobId}: ${refusal}`));
  const request = { jobId: order.jobId, storage: order.storage, mediaType: order.mediaType, pool: order.pool, devices: candidates(order) };
  return withSession({
    ctx, director, log, jobId: order.jobId,
    running: { mode: 'append', jobName: order.jobName, level: order.level, pool: order.pool },
    reserve: (options) => ctx.reservations.reserveAppend(request, options),
    ...(order.onlyIfFree ? { busy: () => ctx.reservations.wouldWait({ ...request, mode: 'append' }) } : {}),
    run: (parties, reservation) => runBackupSession(parties, order, reservation),
  });
}

export function restoreSession(ctx: StorageContext, director: Channel, log: Logger, order: burrow.SdRestoreSession): Promise<void> {
  return withSession({
    ctx, director, log, jobId: order.jobId,
    running: { mode: 'read', jobName: order.jobName, level: '', pool: '' },
    reserve: (options) => ctx.reservations.reserveRead({
      jobId: order.jobId, storage: order.storage, mediaType: order.mediaType, pool: '', devices: candidates(order),
      firstVolume: order.volumes[0]?.volumeName,
    }, options),
    run: (parties, reservation) => runRestoreSession(parties, order, reservation),
  });
}

/** The devices the Director offers; an older Director names one. */
function candidates(order: { device: string; devices: readonly string[] }): string[] {
  return order.devices.length > 0 ? [...order.devices] : [order.device];
}

async function withSession<R extends Held>(o: JobSession<R>): Promise<void> {
  const { ctx, director, jobId, log } = o;
  if (!Number.isInteger(jobId) || jobId <= 0) throw new BurrowError('PROTOCOL', 'a session needs a job id');
  const busy = o.busy && (ctx.running.size >= ctx.maximumConcurrentJobs
    ? [`Storage daemon ${ctx.name} already runs ${ctx.running.size} sessions, its Maximum Concurrent Jobs.`]
    : o.busy());
  if (busy) {
    // The Director tries its next Storage: no session, no wait. When a drive is free, the
    // reservation below takes it in this same turn of the event loop, so it is still free.
    log.info({ jobId }, `JobId ${jobId}: no drive free, as the Director asked to know`);
    await director.send('sdReady', { token: new Uint8Array(), device: '', busy });
    director.close('no drive free');
    return;
  }
  if (ctx.running.size >= ctx.maximumConcurrentJobs) {
    throw new BurrowError('JOB_FAILED', `Storage daemon ${ctx.name} already runs ${ctx.running.size} sessions, its Maximum Concurrent Jobs`);
  }
  const startedAt = Date.now();
  const running: RunningSession = { ...o.running, startedAt, director: director.peer.name, meter: new RateMeter(startedAt) };
  ctx.running.set(jobId, running);
  const pump = new DirectorPump(director);
  const signal = AbortSignal.any([pump.cancel.signal, ctx.signal]);
  let reservation: R | undefined;
  let session: OpenedSession | undefined;
  try {
    reservation = await o.reserve({
      signal,
      onWait: () => {
        const text = `JobId=${jobId}, Job ${o.running.jobName} waiting to reserve a device.`;
        director.send('jobMessage', { jobId, level: 'info', text }).catch(() => undefined);
      },
    });
    running.drive = reservation.driveName;
    log.info({ jobId, drive: reservation.driveName, mode: o.running.mode }, `JobId ${jobId} reserved Device ${reservation.printName}`);
    session = ctx.sessions.open(jobId);
    await director.send('sdReady', { token: session.token, device: reservation.driveName, maximumBandwidth: ctx.maximumBandwidthPerJob });
    await runReserved(o, { pump, session, reservation, signal });
  } finally {
    session?.cancel();
    reservation?.release();
    ctx.running.delete(jobId);
    ctx.metrics.sessionEnded(o.running.mode);
    if (session) director.close('session over');
    log.debug({ jobId }, 'session tidied up');
  }
}

/** After sdReady: every failure is the job's, told to the Director as the session's end. */
async function runReserved<R extends Held>(
  o: JobSession<R>, { pump, session, reservation, signal }: { pump: DirectorPump; session: OpenedSession; reservation: R; signal: AbortSignal },
): Promise<void> {
  const { ctx, director, jobId, log } = o;
  try {
    const first = await Promise.race([
      session.client.then((channel) => ({ channel })),
      // A passive client: we connect to it when the Director says where (and stop waiting for it to come).
      pump.connectClient.then((to) => ({ to })),
      new Promise<never>((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    ]);
    const notice = (text: string): void => {
      director.send('jobMessage', { jobId, level: 'caution', text }).catch(() => undefined);
    };
    const client = 'channel' in first ? first.channel : await connectPassiveClient({
      jobId, address: first.to.address, port: first.to.port, token: session.token, heartbeatMs: ctx.heartbeatMs, connectTimeoutMs: ctx.fdConnectTimeoutMs, notice,
    }, signal);
    try {
      await o.run({ ctx, director, pump, client, log }, reservation);
    } finally {
      client.close('session over');
    }
  } catch (err) {
    const e = toBurrowError(err);
    log.warn({ jobId, code: e.code }, `session ended: ${e.message}`);
    if (!director.closed) {
      await director.send('sdSessionEnd', { status: e.code === 'JOB_CANCELED' ? 'A' : 'E', error: e.message }).catch(() => undefined);
    }
  }
}
