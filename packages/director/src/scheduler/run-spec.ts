/**
 * The Schedule resource's `Run =` lines in Bareos's grammar:
 *
 *   Run = [Level=Full] [Pool=P] [Storage=S] [Messages=M] [Priority=N] ... <when>
 *   <when>: any of  daily weekly monthly hourly | mon..sun, mon-fri | 1st..5th, first..fifth,
 *           last | jan..dec, jan-mar | 1..31, 1-15, 1/2 (every 2nd day) | w00..w53, w01-w26,
 *           w00/w02 (every 2nd week) | at HH:MM[am|pm]   ("on", commas: noise)
 *
 * Each line becomes a mask of hours, days of month, weekdays, months, weeks of the
 * month and weeks of the year, plus one minute; a job fires at every minute whose
 * date and hour are in every mask. Unset parts match everything; the default is
 * "daily at 00:00". Meanings follow Bareos's documentation (e.g. `weekly` alone means
 * every day, narrowed by a weekday; `last` is the last seven days of the month).
 */
import { BurrowError } from '@burrow/common/errors/index';

/** The levels a Run line may name: a Backup's and a Verify's (Bareos's names). */
export const RUN_LEVELS = ['Full', 'Incremental', 'Differential', 'InitCatalog', 'Catalog', 'VolumeToCatalog', 'DiskToCatalog', 'Data'] as const;
export type RunLevel = (typeof RUN_LEVELS)[number];

export interface RunOverrides {
  /** Checked against the Job's type when the schedule is loaded (scheduler.ts). */
  level?: RunLevel;
  pool?: string;
  fullPool?: string;
  incrementalPool?: string;
  differentialPool?: string;
  nextPool?: string;
  storage?: string;
  messages?: string;
  priority?: number;
  accurate?: boolean;
  spoolData?: boolean;
  maxRunSchedTime?: string;
}

export interface RunMask {
  hours: boolean[];     // 0..23
  minute: number;
  mdays: boolean[];     // index 0 = 1st of the month
  months: boolean[];    // 0 = January
  wdays: boolean[];     // 0 = Sunday
  woms: boolean[];      // 0 = first week of the month (days 1-7) ... 4 = fifth
  woys: boolean[];      // ISO week of the year 0..53
  lastWeek: boolean;    // the last seven days of the month count as a week of the month
}

export interface RunSpec {
  text: string;
  overrides: RunOverrides;
  mask: RunMask;
}

const WDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WOMS = [['1st', 'first'], ['2nd', 'second'], ['3rd', 'third'], ['4th', 'fourth'], ['5th', 'fifth']];
const LEVELS: Record<string, RunLevel> = Object.fromEntries(RUN_LEVELS.map((l) => [l.toLowerCase(), l]));

type Named = { kind: 'wday' | 'month' | 'wom'; code: number };

function named(word: string): Named | undefined {
  const w = word.toLowerCase();
  let i = WDAYS.indexOf(w);
  if (i < 0) i = WDAY_NAMES.indexOf(w);
  if (i >= 0) return { kind: 'wday', code: i };
  i = MONTHS.indexOf(w);
  if (i < 0) i = MONTH_NAMES.indexOf(w);
  if (i >= 0) return { kind: 'month', code: i };
  i = WOMS.findIndex((pair) => pair.includes(w));
  if (i >= 0) return { kind: 'wom', code: i };
  return undefined;
}

const all = (n: number): boolean[] => new Array<boolean>(n).fill(true);
const bad = (text: string, why: string): BurrowError => new BurrowError('CONFIG_INVALID', `Run = "${text}": ${why}`);

/** Sets [from..to] in a mask, wrapping around its end when to < from (as `fri-mon`). */
function setRange(mask: boolean[], from: number, to: number): void {
  if (from <= to) for (let i = from; i <= to; i++) mask[i] = true;
  else {
    for (let i = from; i < mask.length; i++) mask[i] = true;
    for (let i = 0; i <= to; i++) mask[i] = true;
  }
}

class MaskBuilder {
  readonly mask: RunMask = { hours: all(24), minute: 0, mdays: all(31), months: all(12), wdays: all(7), woms: all(5), woys: all(54), lastWeek: false };
  private readonly touched = new Set<keyof RunMask>();
  sawAt = false;
  hasTime = false;

  touchedHours(): boolean {
    return this.touched.has('hours');
  }

  /** The first explicit value of a part replaces "everything" with "only these". */
  part(name: 'hours' | 'mdays' | 'months' | 'wdays' | 'woms' | 'woys'): boolean[] {
    if (!this.touched.has(name)) {
      this.mask[name].fill(false);
      this.touched.add(name);
    }
    return this.mask[name];
  }

  /** Keeps a part at "everything" and stops later values from narrowing it. */
  keepAll(name: 'hours' | 'mdays' | 'months' | 'wdays' | 'woms' | 'woys'): void {
    this.mask[name].fill(true);
    this.touched.add(name);
  }
}

function parseTime(b: MaskBuilder, text: string, word: string): void {
  if (!b.sawAt) throw bad(text, `the time "${word}" must follow the keyword "at"`);
  const m = /^(\d{1,2}):(\d{2})(am|pm)?$/i.exec(word);
  if (!m) throw bad(text, `"${word}" is not a time (HH:MM, optionally am/pm)`);
  let hour = Number(m[1]);
  const minute = Number(m[2]);
  const ampm = m[3]?.toLowerCase();
  if (ampm === 'pm' && hour !== 12) hour += 12;
  if (ampm === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) throw bad(text, `"${word}" is not a time of day`);
  // After `hourly` the hours stay "every hour" and only the minute is taken.
  b.part('hours')[hour] = true;
  b.mask.minute = minute;
  b.hasTime = true;
}

function parseWhenWord(b: MaskBuilder, text: string, word: string): void {
  const w = word.toLowerCase();
  if (w === 'on' || w === '') return;
  if (w === 'at') { b.sawAt = true; return; }
  if (w.includes(':')) return parseTime(b, text, word);
  if (w === 'hourly') { b.keepAll('hours'); return; }
  // As Bareos: `daily` keeps every day of the month; a weekday named later still narrows it.
  if (w === 'daily') { b.keepAll('mdays'); b.mask.wdays.fill(true); return; }
  if (w === 'weekly') { b.keepAll('mdays'); b.keepAll('woms'); b.keepAll('woys'); return; }
  if (w === 'monthly') { b.keepAll('months'); return; }
  if (w === 'last') { b.mask.lastWeek = true; b.part('woms'); return; }
  if (/^\d+$/.test(w)) {
    const day = Number(w);
    if (day < 1 || day > 31) throw bad(text, `day ${w} is outside 1-31`);
    b.part('mdays')[day - 1] = true;
    return;
  }
  if (/^w\d\d$/.test(w)) {
    const week = Number(w.slice(1));
    if (week > 53) throw bad(text, `week ${w} is outside w00-w53`);
    b.part('woys')[week] = true;
    return;
  }
  if (w.includes('/')) return parseModulo(b, text, w);
  if (w.includes('-')) return parseRange(b, text, w);
  const n = named(w);
  if (!n) throw bad(text, `"${word}" is not a day, month, week, time or keyword of the Run grammar`);
  b.part(n.kind === 'wday' ? 'wdays' : n.kind === 'month' ? 'months' : 'woms')[n.code] = true;
}

function parseModulo(b: MaskBuilder, text: string, w: string): void {
  const [a = '', m = ''] = w.split('/');
  if (/^\d+$/.test(a) && /^\d+$/.test(m)) {
    const offset = Number(a) - 1;
    const every = Number(m);
    if (offset < 0 || offset > 30 || every < 1 || every > 30 || offset > every) throw bad(text, `"${w}": day modulo must be N/M with 1 <= N <= M <= 30`);
    const days = b.part('mdays');
    for (let i = 0; i + offset < 31; i += every) days[i + offset] = true;
    return;
  }
  if (/^w\d\d$/.test(a) && /^w\d\d$/.test(m)) {
    const first = Number(a.slice(1));
    const every = Number(m.slice(1));
    if (first > 53 || every < 1 || every > 53 || first > every) throw bad(text, `"${w}": week modulo must be wNN/wMM with NN <= MM`);
    const weeks = b.part('woys');
    for (let i = first; i <= 53; i += every) weeks[i] = true;
    return;
  }
  throw bad(text, `"${w}" is not a modulo (days as 1/2, weeks as w00/w02)`);
}

function parseRange(b: MaskBuilder, text: string, w: string): void {
  const [a = '', z = ''] = w.split('-');
  if (/^\d+$/.test(a) && /^\d+$/.test(z)) {
    const from = Number(a);
    const to = Number(z);
    if (from < 1 || from > 31 || to < 1 || to > 31) throw bad(text, `day range "${w}" is outside 1-31`);
    setRange(b.part('mdays'), from - 1, to - 1);
    return;
  }
  if (/^w\d\d$/.test(a) && /^w\d\d$/.test(z)) {
    const from = Number(a.slice(1));
    const to = Number(z.slice(1));
    if (from > 53 || to > 53) throw bad(text, `week range "${w}" is outside w00-w53`);
    setRange(b.part('woys'), from, to);
    return;
  }
  const x = named(a);
  const y = named(z);
  if (!x || !y || x.kind !== y.kind || x.code === y.code) throw bad(text, `"${w}" is not a range of days, weekdays, months or week positions`);
  setRange(b.part(x.kind === 'wday' ? 'wdays' : x.kind === 'month' ? 'months' : 'woms'), x.code, y.code);
}

function parseOverride(o: RunOverrides, text: string, key: string, value: string): void {
  switch (key) {
    case 'level': {
      const level = LEVELS[value.toLowerCase()];
      if (!level) throw bad(text, `Level=${value} is not Full, Incremental or Differential, nor a verify level (${RUN_LEVELS.slice(3).join(', ')})`);
      o.level = level;
      return;
    }
    case 'pool': o.pool = value; return;
    case 'fullpool': o.fullPool = value; return;
    case 'incrementalpool': o.incrementalPool = value; return;
    case 'differentialpool': o.differentialPool = value; return;
    case 'nextpool': o.nextPool = value; return;
    case 'storage': o.storage = value; return;
    case 'messages': o.messages = value; return;
    case 'maxrunschedtime': o.maxRunSchedTime = value; return;
    case 'priority':
      if (!/^\d+$/.test(value) || Number(value) < 1) throw bad(text, `Priority=${value} is not a positive number`);
      o.priority = Number(value);
      return;
    case 'accurate':
    case 'spooldata': {
      const yes = /^(yes|true)$/i.test(value);
      if (!yes && !/^(no|false)$/i.test(value)) throw bad(text, `${key}=${value}: expected yes or no`);
      if (key === 'accurate') o.accurate = yes;
      else o.spoolData = yes;
      return;
    }
    default:
      throw bad(text, `"${key}=" is not a Run override (Level, Pool, FullPool, IncrementalPool, DifferentialPool, NextPool, Storage, Messages, Priority, Accurate, SpoolData, MaxRunSchedTime)`);
  }
}

export function parseRun(text: string): RunSpec {
  const overrides: RunOverrides = {};
  const b = new MaskBuilder();
  const words = text.replace(/,/g, ' ').split(/\s+/).filter(Boolean);
  let i = 0;
  // Overrides first (key=value), and the old style of a bare level word.
  for (; i < words.length; i++) {
    const word = words[i] as string;
    const eq = word.indexOf('=');
    if (eq > 0) parseOverride(overrides, text, word.slice(0, eq).toLowerCase(), word.slice(eq + 1));
    else if (LEVELS[word.toLowerCase()] && !overrides.level) overrides.level = LEVELS[word.toLowerCase()];
    else break;
  }
  for (; i < words.length; i++) parseWhenWord(b, text, words[i] as string);
  if (b.sawAt && !b.hasTime) throw bad(text, '"at" must be followed by a time (HH:MM)');
  // No time and not hourly: the documented default, midnight.
  if (!b.touchedHours()) b.part('hours')[0] = true;
  return { text, overrides, mask: b.mask };
}
