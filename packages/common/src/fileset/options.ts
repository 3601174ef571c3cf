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
 * (`Encryption` is no Options directive in Bareos either: it is refused as unknown.)
 */
import { compression, fsTypes, letters, sizeMatch, word, yesNo, type ValueKind } from './values.js';

export type { Compression, Parsed, SizeMatch } from './values.js';
export { sizeMatches } from './values.js';

/** Digest algorithms a `Signature =` may name, in Bareos's spelling. */
export const SIGNATURES = ['MD5', 'SHA1', 'SHA256', 'SHA512', 'XXH128'] as const;
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
  checkfilechanges: value('CheckFileChanges', yesNo),
  size: value('Size', sizeMatch),
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

/** A value checked by `kind`; what Burrow does with it is `judge`'s say. */
function checked<T>(kind: ValueKind<T>, judge: (v: T) => Judgement): (text: string) => Judgement {
  return (text) => {
    const parsed = kind.parse(text);
    return parsed.ok ? judge(parsed.value) : refuse(parsed.error);
  };
}

/** A yes/no option Burrow does not act on: `otherwise` is what Burrow does anyway. */
const flag = (otherwise: boolean, j: Judgement) => checked(yesNo, (b) => (b === otherwise ? null : j));

const WINDOWS_ONLY = 'applies to Windows clients only; ignored on Linux';

/**
 * Bareos Options directives Burrow does not act on, by key. Refused where ignoring
 * them would change what is backed up or under what name, or would store data less
 * safely than asked; warned about where ignoring them is harmless.
 */
export const UNAVAILABLE_OPTIONS: Readonly<Record<string, UnavailableOption>> = {
  basejob: { name: 'BaseJob', judge: checked(letters(VERIFY_LETTERS, 'pins5'), () => warn('Burrow has no Base jobs; ignored')) },
  portable: { name: 'Portable', judge: flag(false, warn(`(the Windows BackupRead data format) ${WINDOWS_ONLY}`)) },
  drivetype: { name: 'DriveType', judge: always(warn(WINDOWS_ONLY)) },
  autoexclude: { name: 'AutoExclude', judge: flag(true, warn(WINDOWS_ONLY)) },
  hfsplussupport: { name: 'HfsPlusSupport', judge: flag(false, warn('(resource forks) applies to macOS clients only; ignored on Linux')) },
  // Bareos's Director turns it into the letter of NoAtime and its File daemon ignores it either way.
  enhancedwild: { name: 'EnhancedWild', judge: flag(false, warn('has no effect (nor has it in Bareos); ignored')) },
  // Bareos's File daemon keeps it and never reads it: the restore's replace= decides.
  replace: { name: 'Replace', judge: checked(word(['always', 'ifnewer', 'never'] as const), (v) => (v === 'always' ? null : warn('has no effect in a FileSet (nor has it in Bareos); a restore\'s replace= decides'))) },
  shadowing: { name: 'Shadowing', judge: checked(word(['none', 'localwarn', 'localremove', 'globalwarn', 'globalremove'] as const),
    (v) => (v === 'none' ? null : warn('overlapping File entries are not checked by Burrow; each is saved as listed'))) },
  meta: { name: 'Meta', judge: always(warn('is read by Bareos plugins only; Burrow has none; ignored')) },
  strippath: { name: 'StripPath', judge: (text) => (/^\s*\d+\s*$/.test(text)
    ? refuse('is not available in Burrow: the files would be saved under their full names, not stripped ones')
    : refuse(`expected a number of leading path components, got "${text}"`)) },
  plugin: { name: 'Plugin', judge: always(refuse('file plugins in Options are not available in Burrow: the files would be saved without the plugin (Include { Plugin = "bpipe:..." } is available)')) },
  forceencryption: { name: 'ForceEncryption', judge: flag(false, refuse('Burrow does not encrypt data on the client, so it cannot force encryption; refusing rather than saving the data unencrypted')) },
};

/** Names a mistaken directive may have meant. */
export const SUGGESTIONS: Readonly<Record<string, string>> = {
  checkchanges: 'CheckFileChanges',
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
