/**
 * The one table of FileSet `Options { }` directives, shared by the Director and the
 * File daemon so the two cannot drift: every directive Bareos's Options block has
 * (dird/inc_conf.cc `options_items`) is here, as one of
 * - a *value* option: parsed into a typed value, sent to the File daemon as one
 *   canonical text under its key, parsed there with the same parser, and used;
 * - a *pattern* (Wild, Regex...): sent beside the settings as a burrow.Pattern;
 * - an *unavailable* option: judged at `-t` by its value: refused where ignoring it
 *   would change what is backed up or weaken security, warned about (naming it)
 *   where ignoring it is harmless, accepted silently where the value asks for what
 *   Burrow does anyway. Never sent.
 * Keys are Bareos's names normalized (lower case, no spaces): `Signature` is `signature`.
 */
import { compression, fsTypes, letters, word, yesNo, type ValueKind } from './values.js';

export type { Compression, Parsed } from './values.js';

/** Digest algorithms a `Signature =` may name, in Bareos's spelling. */
export const SIGNATURES = ['MD5', 'SHA1', 'SHA256', 'SHA512'] as const;
export type SignatureName = (typeof SIGNATURES)[number];

/** Bareos's PERMITTED_ACCURATE_OPTIONS and PERMITTED_VERIFY_OPTIONS (dird/inc_conf.cc). */
export const ACCURATE_LETTERS = 'ipnugsamcd51A';
export const VERIFY_LETTERS = 'ipnugsamcd51';

interface ValueOption<T> {
  readonly kind: 'value';
  /** Bareos's spelling, for messages. */
  readonly name: string;
  readonly value: ValueKind<T>;
  /** Given more than once in one block, the values add up (FsType); otherwise that is an error. */
  readonly merge?: (a: T, b: T) => T;
}

const value = <T>(name: string, kind: ValueKind<T>, merge?: (a: T, b: T) => T): ValueOption<T> =>
  (merge === undefined ? { kind: 'value', name, value: kind } : { kind: 'value', name, value: kind, merge });

/** The options the File daemon acts on, by key. */
export const VALUE_OPTIONS = {
  signature: value('Signature', word(SIGNATURES)),
  compression: value('Compression', compression),
  onefs: value('OneFS', yesNo),
  recurse: value('Recurse', yesNo),
  exclude: value('Exclude', yesNo),
  sparse: value('Sparse', yesNo),
  aclsupport: value('AclSupport', yesNo),
  xattrsupport: value('XAttrSupport', yesNo),
  mtimeonly: value('MtimeOnly', yesNo),
  accurate: value('Accurate', letters(ACCURATE_LETTERS, 'mcs')),
  verify: value('Verify', letters(VERIFY_LETTERS, 'pins5')),
  ignorecase: value('IgnoreCase', yesNo),
  readfifo: value('ReadFifo', yesNo),
  noatime: value('NoAtime', yesNo),
  keepatime: value('KeepAtime', yesNo),
  hardlinks: value('HardLinks', yesNo),
  honornodumpflag: value('HonorNoDumpFlag', yesNo),
  fstype: value('FsType', fsTypes, (a, b) => [...a, ...b]),
} as const;

export type ValueKey = keyof typeof VALUE_OPTIONS;
type ValueOf<O> = O extends ValueOption<infer T> ? T : never;
/** One Options block's settings, typed: only what the block says. */
export type OptionValues = { -readonly [K in ValueKey]?: ValueOf<(typeof VALUE_OPTIONS)[K]> };

export type PatternKind = 'wild' | 'wilddir' | 'wildfile' | 'regex' | 'regexdir' | 'regexfile';
export const PATTERN_OPTIONS: Readonly<Record<PatternKind, string>> = {
  wild: 'Wild', wilddir: 'WildDir', wildfile: 'WildFile', regex: 'Regex', regexdir: 'RegexDir', regexfile: 'RegexFile',
};

/** What `-t` says of a value Burrow does not act on; null: it asks for what Burrow does anyway. */
export type Judgement = { readonly severity: 'error' | 'warning'; readonly message: string } | null;

interface UnavailableOption {
  readonly name: string;
  readonly judge: (text: string) => Judgement;
}

const warn = (message: string): Judgement => ({ severity: 'warning', message });
const refuse = (message: string): Judgement => ({ severity: 'error', message });
const always = (j: Judgement) => (): Judgement => j;
const NOT_YET = 'not implemented by Burrow yet; ignored';

/** Bareos Options directives Burrow does not act on, by key. */
export const UNAVAILABLE_OPTIONS: Readonly<Record<string, UnavailableOption>> = {
  basejob: { name: 'BaseJob', judge: always(warn('Burrow has no Base jobs; ignored')) },
  portable: { name: 'Portable', judge: always(warn(NOT_YET)) },
  checkfilechanges: { name: 'CheckFileChanges', judge: always(warn(NOT_YET)) },
  checkchanges: { name: 'CheckChanges', judge: always(warn(NOT_YET)) },
  drivetype: { name: 'DriveType', judge: always(warn('DriveType applies to Windows clients only; ignored on Linux')) },
  hfsplussupport: { name: 'HfsPlusSupport', judge: always(warn(NOT_YET)) },
  strippath: { name: 'StripPath', judge: always(warn(NOT_YET)) },
  size: { name: 'Size', judge: always(warn(NOT_YET)) },
  shadowing: { name: 'Shadowing', judge: always(warn(NOT_YET)) },
  meta: { name: 'Meta', judge: always(warn(NOT_YET)) },
  encryption: { name: 'Encryption', judge: always(warn(NOT_YET)) },
  autoexclude: { name: 'AutoExclude', judge: always(warn(NOT_YET)) },
  enhancedwild: { name: 'EnhancedWild', judge: always(warn(NOT_YET)) },
  plugin: { name: 'Plugin', judge: always(warn(NOT_YET)) },
  xxh128: { name: 'XXH128', judge: always(warn(NOT_YET)) },
};

/** Why a received settings map cannot be used. */
export class SettingsError extends Error {}

function isValueKey(key: string): key is ValueKey {
  return Object.hasOwn(VALUE_OPTIONS, key);
}

/**
 * The File daemon's side: parses the settings of one Options block as the Director
 * sent them (canonical texts under value-option keys) into typed values. Anything
 * else, or a value that does not parse, throws SettingsError naming every problem.
 */
export function decodeSettings(settings: Readonly<Record<string, string>>): OptionValues {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, text] of Object.entries(settings)) {
    if (!isValueKey(key)) {
      problems.push(`${key}: not an option the File daemon acts on`);
      continue;
    }
    const parsed = VALUE_OPTIONS[key].value.parse(text);
    if (parsed.ok) out[key] = parsed.value;
    else problems.push(`${key}: ${parsed.error}`);
  }
  if (problems.length > 0) throw new SettingsError(problems.join('; '));
  return out as OptionValues;
}

/** The Director's side: typed values to the settings map sent on the wire. */
export function encodeSettings(values: OptionValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(values) as ValueKey[]) {
    const v = values[key];
    if (v === undefined) continue;
    out[key] = (VALUE_OPTIONS[key].value as ValueKind<unknown>).format(v);
  }
  return out;
}
