/**
 * A running job's progress as the three daemons' `status` shows it, in Bareos's words:
 * `Files=1,234 Bytes=5,678,901 AveBytes/sec=... LastBytes/sec=...` and `Processing
 * file: ...`. Each daemon counts what it itself handles (the FD the files it reads or
 * writes, the SD what reaches or leaves its volumes, the Director what the catalog
 * stored); these helpers only say it alike.
 */

/** 1234567 -> "1,234,567" */
export function withCommas(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 hour 2 mins 3 secs" */
export function elapsed(ms: number): string {
  let s = Math.max(0, Math.round(ms / 1000));
  const parts: string[] = [];
  const units: Array<[number, string]> = [[86400, 'day'], [3600, 'hour'], [60, 'min'], [1, 'sec']];
  for (const [size, name] of units) {
    const n = Math.floor(s / size);
    s -= n * size;
    if (n > 0 || (size === 1 && parts.length === 0)) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.join(' ');
}

/** What a daemon knows of a running job's progress at one moment. */
export interface ProgressSample {
  files: number;
  bytes: number;
  /** The file being read or written now, as display text; absent where the daemon does not know it (the SD). */
  file?: string;
}

/**
 * Bareos's two rates: AveBytes/sec since the job started, LastBytes/sec since the last
 * time anyone looked (the first look: since the start). One meter per running job.
 */
export class RateMeter {
  private last: { at: number; bytes: number };

  constructor(readonly startedAt: number) {
    this.last = { at: startedAt, bytes: 0 };
  }

  look(bytes: number, now: number): Rates {
    const last = perSecond(bytes - this.last.bytes, now - this.last.at);
    this.last = { at: now, bytes };
    return { average: perSecond(bytes, now - this.startedAt), last };
  }
}

/** Bytes a second over `ms` milliseconds (0 for no time). */
export function perSecond(bytes: number, ms: number): number {
  return ms <= 0 ? 0 : Math.round((bytes * 1000) / ms);
}

/** Bareos's two rates, bytes a second: since the job started, and lately. */
export interface Rates {
  average: number;
  last: number;
}

/**
 * The progress lines under a running job in `status`: counts and rates, how long it
 * has run, and the file at hand when known. `errors` is the FD's count (Bareos shows it there).
 */
export function progressLines(p: ProgressSample, rates: Rates, elapsedMs: number, errors?: number): string[] {
  const counts = `    Files=${withCommas(p.files)} Bytes=${withCommas(p.bytes)} AveBytes/sec=${withCommas(rates.average)} LastBytes/sec=${withCommas(rates.last)}`;
  return [
    errors === undefined ? counts : `${counts} Errors=${errors}`,
    `    Elapsed time: ${elapsed(elapsedMs)}`,
    ...(p.file !== undefined && p.file !== '' ? [`    Processing file: ${p.file}`] : []),
  ];
}
