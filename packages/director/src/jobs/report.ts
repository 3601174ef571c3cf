/**
 * The report that ends every job's log. Its layout follows Bareos's, down to the
 * closing `Termination:` line, because administrators' scripts and monitoring read it.
 */
import { release, hostname } from 'node:os';
import { VERSION } from '@burrow/common/daemon/version';
import type { JobEnv, JobIdentity } from './env.js';
import { bytesForReport, elapsed, listDate, rate, reportDate, withCommas } from './format.js';
import { LEVEL_NAMES, type BackupPlan, type RestorePlan } from './plan.js';
import { statusWords, terminationLine, type FinalStatus } from './status.js';
import type { ClientTotals } from './peer-totals.js';
import type { VolumesWritten } from '../sd/backup-session.js';

export interface BackupTotals extends ClientTotals {
  volumes: VolumesWritten;
  sdFiles: number;
  sdBytes: number;
  sdStatus: FinalStatus;
}

export interface ReportCommon {
  env: JobEnv;
  id: JobIdentity;
  startTime: number;
  endTime: number;
  status: FinalStatus;
  errors: number;
}

export const line = (label: string, value: string | number): string => `  ${`${label}:`.padEnd(24)}${value}`;

export function header(r: ReportCommon): string[] {
  return [
    `Burrow ${r.env.directorName} ${VERSION} (${hostname()}, Linux ${release()}):`,
    line('JobId', r.id.jobId),
    line('Job', r.id.job),
  ];
}

export function times(r: ReportCommon): string[] {
  return [
    line('Scheduled time', reportDate(r.id.schedTime)),
    line('Start time', reportDate(r.startTime)),
    line('End time', reportDate(r.endTime)),
    line('Elapsed time', elapsed(r.endTime - r.startTime)),
  ];
}

export function backupReport(r: ReportCommon & { plan: BackupPlan; totals: BackupTotals; since: number | null }): string {
  const { plan, totals } = r;
  const compression = totals.fdBytes > 0 && totals.sdBytes < totals.fdBytes
    ? `${((1 - totals.sdBytes / totals.fdBytes) * 100).toFixed(1)} %`
    : 'None';
  return [
    ...header(r),
    line('Backup Level', r.since === null ? LEVEL_NAMES[plan.level] : `${LEVEL_NAMES[plan.level]}, since=${listDate(r.since)}`),
    line('Client', `"${plan.client.name}"`),
    line('FileSet', `"${plan.fileset.name}"`),
    line('Pool', `"${plan.pool.name}" (From ${plan.poolSource})`),
    line('Catalog', `"${r.env.catalogName}" (From Client resource)`),
    line('Storage', `"${plan.storage.name}" (From ${plan.storageSource})`),
    ...times(r),
    line('Priority', plan.priority),
    line('FD Files Written', withCommas(totals.fdFiles)),
    line('SD Files Written', withCommas(totals.sdFiles)),
    line('FD Bytes Written', bytesForReport(totals.fdBytes)),
    line('SD Bytes Written', bytesForReport(totals.sdBytes)),
    line('Rate', rate(totals.fdBytes, r.endTime - r.startTime)),
    line('Software Compression', compression),
    line('Encryption', 'no'),
    line('Accurate', plan.accurate ? 'yes' : 'no'),
    line('Volume name(s)', totals.volumes.names.join('|')),
    line('Volume Session Id', r.id.jobId),
    line('Last Volume Bytes', bytesForReport(totals.volumes.lastVolumeBytes)),
    line('Non-fatal FD errors', totals.fdErrors),
    line('SD Errors', totals.sdStatus === 'E' || totals.sdStatus === 'f' ? 1 : 0),
    line('FD termination status', statusWords(totals.fdStatus)),
    line('SD termination status', statusWords(totals.sdStatus)),
    line('Termination', terminationLine('Backup', r.status)),
  ].join('\n');
}

export interface RestoreTotals extends ClientTotals {
  expectedFiles: number;
  expectedBytes: number;
  sdStatus: FinalStatus;
}

export function restoreReport(r: ReportCommon & { plan: RestorePlan; totals: RestoreTotals }): string {
  const { plan, totals } = r;
  return [
    ...header(r),
    line('Restore Client', `"${plan.restoreClient.name}"`),
    line('Where', plan.where.length ? plan.where.toString('utf8') : '(original location)'),
    line('Replace', plan.replace),
    ...times(r),
    line('Files Expected', withCommas(totals.expectedFiles)),
    line('Files Restored', withCommas(totals.fdFiles)),
    line('Bytes Restored', bytesForReport(totals.fdBytes)),
    line('Rate', rate(totals.fdBytes, r.endTime - r.startTime)),
    line('FD Errors', totals.fdErrors),
    line('FD termination status', statusWords(totals.fdStatus)),
    line('SD termination status', statusWords(totals.sdStatus)),
    line('Termination', terminationLine('Restore', r.status)),
  ].join('\n');
}
