/**
 * When a Run line fires: the date parts Bareos's scheduler compares, computed in the
 * Director's local time, and the firing times of a set of runs in a time window.
 */
import type { RunMask, RunSpec } from './run-spec.js';

/** ISO 8601 week of the year (1..53; the days before week 1 belong to the last year's). */
export function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

function daysInMonth(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth() + 1, 0).getDate();
}

/** Does the day of `d` (ignoring its time) belong to the mask? */
export function dayMatches(mask: RunMask, d: Date): boolean {
  const mday = d.getDate();
  const inLastWeek = mday > daysInMonth(d) - 7;
  const wom = Math.floor((mday - 1) / 7);
  return mask.mdays[mday - 1] === true
    && mask.months[d.getMonth()] === true
    && mask.wdays[d.getDay()] === true
    && (mask.woms[wom] === true || (mask.lastWeek && inLastWeek))
    && mask.woys[isoWeek(d)] === true;
}

export interface Firing<T> {
  time: number;
  run: RunSpec;
  item: T;
}

/**
 * Every firing of `runs` in (from, until], in time order. Walks hour by hour, so a
 * window of days costs a few thousand cheap checks.
 */
export function firingsBetween<T>(runs: ReadonlyArray<{ run: RunSpec; item: T }>, from: number, until: number): Firing<T>[] {
  const out: Firing<T>[] = [];
  const start = new Date(from);
  start.setMinutes(0, 0, 0);
  for (const hour = start; hour.getTime() <= until; hour.setHours(hour.getHours() + 1)) {
    for (const r of runs) {
      if (r.run.mask.hours[hour.getHours()] !== true || !dayMatches(r.run.mask, hour)) continue;
      const t = new Date(hour);
      t.setMinutes(r.run.mask.minute);
      const time = t.getTime();
      if (time > from && time <= until) out.push({ time, run: r.run, item: r.item });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}
