/**
 * Printers for the directives whose value is a structure rather than a value: FileSet
 * `Include { Options { } }` and `Exclude { }` blocks, Messages destinations
 * (`Append = "/var/log/burrow.log" = all, !skipped`), Job `RunScript { }` blocks, the
 * Director's `DirAddresses { }` and a Console's Restore Owner. Each returns the lines of its directives, nested lines
 * indented under their block.
 */
import type { FileSetInclude, FileSetOptions, MessageDestination, RunScriptBlock } from '@burrow/common/config/index';
import { PATTERN_OPTIONS, VALUE_OPTIONS, type ValueKey } from '@burrow/common/fileset/options';
import type { ValueKind } from '@burrow/common/fileset/values';
import type { ListenAddressEntry } from '@burrow/common/config/schema/addresses';
import { printBoolean, printText, quote } from './values.js';

const INDENT = '  ';

function block(name: string, body: readonly string[]): string[] {
  return [`${name} {`, ...body.map((l) => `${INDENT}${l}`), '}'];
}

function optionsBlock(o: FileSetOptions): string[] {
  const body: string[] = [];
  for (const key of Object.keys(o.values) as ValueKey[]) {
    const option = VALUE_OPTIONS[key] as { name: string; value: ValueKind<unknown> };
    // Option values are words (Signature = MD5, Compression = GZIP9), bare as Bareos prints them.
    body.push(`${option.name} = ${printText(option.value.format(o.values[key]), true)}`);
  }
  for (const p of o.patterns) body.push(`${PATTERN_OPTIONS[p.kind]} = ${quote(p.pattern)}`);
  return block('Options', body);
}

function includeBlocks(includes: unknown): string[] {
  return (includes as readonly FileSetInclude[]).flatMap((inc) => block('Include', [
    ...inc.options.flatMap(optionsBlock),
    ...inc.files.map((f) => `File = ${quote(f)}`),
    ...inc.excludeDirContaining.map((f) => `ExcludeDirContaining = ${quote(f)}`),
    ...inc.plugins.map((p) => `Plugin = ${quote(p)}`),
  ]));
}

function excludeBlock(files: unknown): string[] {
  const list = files as readonly string[];
  return list.length === 0 ? [] : block('Exclude', list.map((f) => `File = ${quote(f)}`));
}

/** Bareos's spelling of each destination (the parser matches any case). */
const DESTINATIONS: Readonly<Record<string, string>> = {
  append: 'Append', file: 'File', mail: 'Mail', mailonerror: 'MailOnError', mailonsuccess: 'MailOnSuccess',
  operator: 'Operator', director: 'Director', console: 'Console', stdout: 'Stdout', stderr: 'Stderr',
  catalog: 'Catalog', syslog: 'Syslog',
};

function destinations(list: unknown): string[] {
  return (list as readonly MessageDestination[]).map((d) => {
    const name = DESTINATIONS[d.destination] ?? d.destination;
    const address = d.address === undefined ? '' : `${quote(d.address)} = `;
    return `${name} = ${address}${d.types.join(', ')}`;
  });
}

function runScripts(list: unknown): string[] {
  return (list as readonly RunScriptBlock[]).flatMap((s) => block('RunScript', [
    `RunsWhen = ${s.runsWhen}`,
    `RunsOnSuccess = ${printBoolean(s.runsOnSuccess)}`,
    `RunsOnFailure = ${printBoolean(s.runsOnFailure)}`,
    `RunsOnClient = ${printBoolean(s.runsOnClient)}`,
    `FailJobOnError = ${printBoolean(s.failJobOnError)}`,
    ...s.commands.map((c) => `Command = ${quote(c)}`),
    ...s.consoleCommands.map((c) => `Console = ${quote(c)}`),
  ]));
}

function listenAddresses(entries: unknown): string[] {
  const list = entries as readonly ListenAddressEntry[];
  if (list.length === 0) return [];
  return block('DirAddresses', list.flatMap((e) => block(e.family, [
    ...(e.addr === undefined ? [] : [`Addr = ${quote(e.addr)}`]),
    ...(e.port === undefined ? [] : [`Port = ${e.port}`]),
  ])));
}

function restoreOwner(owner: unknown): string[] {
  const { uid, gid } = owner as { uid: number; gid: number };
  return [`RestoreOwner = ${quote(gid < 0 ? String(uid) : `${uid}:${gid}`)}`];
}

/** By property: the resource printer hands these properties here. */
export const BLOCK_PRINTERS: Readonly<Record<string, (value: unknown) => string[]>> = {
  includes: includeBlocks,
  excludeFiles: excludeBlock,
  destinations,
  runScript: runScripts,
  restoreOwner,
  dirAddresses: listenAddresses,
};
