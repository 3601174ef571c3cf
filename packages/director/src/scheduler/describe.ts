/** A Run line's parsed form, for `show schedules`: each part of its mask as ranges. */
import type { RunSpec } from './run-spec.js';

const WDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WOMS = ['1st', '2nd', '3rd', '4th', '5th'];

/** [true,true,false,true] with labels -> "a-b,d"; all set -> "all". */
function ranges(mask: boolean[], label: (i: number) => string): string {
  if (mask.every(Boolean)) return 'all';
  const parts: string[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    let j = i;
    while (j + 1 < mask.length && mask[j + 1]) j++;
    parts.push(i === j ? label(i) : `${label(i)}-${label(j)}`);
    i = j;
  }
  return parts.length ? parts.join(',') : 'none';
}

export function describeRun(run: RunSpec): string {
  const m = run.mask;
  const o = Object.entries(run.overrides).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  const woms = ranges(m.woms, (i) => WOMS[i] ?? String(i));
  return [
    `Run = "${run.text}"`,
    `    ${o || '(no overrides)'}`,
    `    hour=${ranges(m.hours, String)} minute=${String(m.minute).padStart(2, '0')}`,
    `    mday=${ranges(m.mdays, (i) => String(i + 1))} month=${ranges(m.months, (i) => MONTHS[i] ?? '?')}`,
    `    wday=${ranges(m.wdays, (i) => WDAYS[i] ?? '?')} wom=${m.lastWeek ? (woms === 'none' ? 'last' : `${woms},last`) : woms} woy=${ranges(m.woys, (i) => `w${String(i).padStart(2, '0')}`)}`,
  ].join('\n');
}
