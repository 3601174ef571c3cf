/**
 * Names for volumes the Director makes by itself (a Pool's Label Format, Bareos's
 * newvol.cc): a format without `${` gets a four-digit number appended (the next
 * MediaId: Vol-0001, Vol-0002, ...); a format with `${Var}` has each variable
 * replaced, and `${Var:p/WIDTH/CHAR/r}` (or `/l`) pads the value as Bareos's variable
 * expansion does. Counter resources (`${Counter+}`) are not available; an unknown
 * variable is an error that names it, never a volume with a half-made name.
 */
import { BurrowError } from '@burrow/common/errors/index';

/** What a Label Format's variables may name. */
export interface LabelVariables {
  /** The moment the name is made (epoch ms, local time as Bareos uses). */
  now: number;
  pool: string;
  mediaType: string;
  /** The pool's volume count before this one (Bareos sets NumVols before the expansion). */
  numVols: number;
  job?: string;
  jobName?: string;
  jobId?: number;
  client?: string;
  level?: string;
  storage?: string;
  catalog?: string;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function values(v: LabelVariables): Record<string, string | undefined> {
  const d = new Date(v.now);
  return {
    year: String(d.getFullYear()), month: pad2(d.getMonth() + 1), day: pad2(d.getDate()),
    hour: pad2(d.getHours()), minute: pad2(d.getMinutes()), second: pad2(d.getSeconds()),
    weekday: String(d.getDay()), pool: v.pool, mediatype: v.mediaType, numvols: String(v.numVols),
    job: v.job, jobname: v.jobName, jobid: v.jobId === undefined ? undefined : String(v.jobId),
    client: v.client, level: v.level, storage: v.storage, catalog: v.catalog,
  };
}

/** `p/WIDTH/CHAR/r|l`: Bareos's padding operation. */
function padded(value: string, op: string, format: string): string {
  const m = /^p\/(\d+)\/(.)\/([rl])$/.exec(op);
  if (!m) throw new BurrowError('CONFIG_INVALID', `Label Format "${format}": unknown operation ":${op}" (Burrow knows :p/WIDTH/CHAR/r and /l)`);
  const width = Number(m[1]);
  return m[3] === 'r' ? value.padStart(width, m[2]) : value.padEnd(width, m[2]);
}

/** Whether a format uses variables (otherwise a number is appended). */
export function hasVariables(format: string): boolean {
  return format.includes('${');
}

/** The format with every `${...}` replaced. */
export function expandLabelFormat(format: string, vars: LabelVariables): string {
  const known = values(vars);
  return format.replace(/\$\{([^}]*)\}/g, (_all, inner: string) => {
    const [name = '', ...ops] = inner.split(':');
    const value = known[name.toLowerCase()];
    if (value === undefined) {
      const why = name.endsWith('+') ? 'Counter resources are not available in Burrow' : 'unknown here';
      throw new BurrowError('CONFIG_INVALID', `Label Format "${format}": variable "${name}" is ${why}`);
    }
    return ops.reduce((s, op) => padded(s, op, format), value);
  });
}

/** Bareos's name for a format without variables: the format, then a 4-digit number. */
export function numberedName(format: string, n: number): string {
  return `${format}${String(n).padStart(4, '0')}`;
}

/**
 * Legal volume names: Bareos's IsVolumeNameLegal (letters, digits and `:.-_`, at most
 * 127), without its `/`: a File volume is a file of that name in the Archive Device.
 */
export function volumeNameProblem(name: string): string | null {
  if (name.length === 0) return 'a volume name cannot be empty';
  if (name.length > 127) return `volume name "${name}" is longer than 127 characters`;
  if (!/^[A-Za-z0-9:.\-_]+$/.test(name)) return `volume name "${name}" may hold only letters, digits and ":.-_"`;
  if (name === '.' || name === '..') return `volume name "${name}" is not a file name`;
  return null;
}
