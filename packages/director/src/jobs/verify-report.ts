/** The report that ends a Verify job's log, in Bareos's layout (dird/verify.cc). */
import type { ClientTotals } from './peer-totals.js';
import { withCommas } from './format.js';
import type { VerifyPlan } from './plan.js';
import { header, line, times, type ReportCommon } from './report.js';
import { statusWords, terminationLine, type FinalStatus } from './status.js';

export interface VerifyTotals extends ClientTotals {
  /** The job verified against (an InitCatalog, or the backup); null for InitCatalog itself. */
  verified: { jobId: number; job: string } | null;
  /** Volume levels: the files the catalog says the verified job wrote. */
  expectedFiles: number;
  examined: number;
  /** Files reported new, changed, missing or damaged. */
  differences: number;
  sdStatus: FinalStatus;
}

export function verifyReport(r: ReportCommon & { plan: VerifyPlan; totals: VerifyTotals }): string {
  const { plan, totals } = r;
  const fromVolume = plan.level === 'VolumeToCatalog' || plan.level === 'Data';
  const [first, ...rest] = header(r);
  return [
    first ?? '',
    ...rest,
    line('FileSet', plan.fileset.name),
    line('Verify Level', plan.level),
    line('Client', plan.client.name),
    line('Verify JobId', totals.verified?.jobId ?? 0),
    line('Verify Job', totals.verified?.job ?? ''),
    ...times(r).filter((l) => !l.includes('Scheduled time')),
    ...(fromVolume ? [line('Files Expected', withCommas(totals.expectedFiles))] : []),
    line('Files Examined', withCommas(totals.examined)),
    line('Differences', withCommas(totals.differences)),
    line('Non-fatal FD errors', totals.fdErrors),
    line('FD termination status', statusWords(totals.fdStatus)),
    ...(fromVolume ? [line('SD termination status', statusWords(totals.sdStatus))] : []),
    line('Termination', terminationLine('Verify', r.status)),
  ].join('\n');
}
