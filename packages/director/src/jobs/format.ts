/** How numbers, sizes and times look in job reports and listings (Bareos's habits). */
import { withCommas } from '@burrow/common/progress/index';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** Decimal units as Bareos prints them: "1.234 MB". */
export function humanBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(3).replace(/\.?0+$/, '')} ${units[unit]}`;
}

/** "1,234,567 (1.234 MB)", the report's way of giving a byte count. */
export function bytesForReport(n: number): string {
  return `${withCommas(n)} (${humanBytes(n)})`;
}

/** "22-Nov-2026 10:00:00" */
export function reportDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  return `${pad(d.getDate())}-${MONTHS[d.getMonth()]}-${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "22-Nov 10:00", the prefix of job log lines. */
export function logDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getDate())}-${MONTHS[d.getMonth()]} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2026-11-22 10:00:00", for listings. */
export function listDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Bytes per second of a job, for the report: "12.3 MB/s". */
export function rate(bytes: number, ms: number): string {
  const seconds = Math.max(ms, 1) / 1000;
  return `${humanBytes(Math.round(bytes / seconds))}/s`;
}

export { displayPath } from '@burrow/common/names/index';
export { elapsed, withCommas } from '@burrow/common/progress/index';
