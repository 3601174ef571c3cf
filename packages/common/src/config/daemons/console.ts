/**
 * Loads a bconsole configuration (`bconsole.conf`): the Director(s) to talk to and,
 * optionally, named Consoles with their own password.
 */
import { z } from 'zod';
import { BAREOS_TLS } from '../schema/bareos.js';
import { collectDaemon, checkReferences, validateAll, type DaemonSchema, type Sourced } from '../schema/daemon.js';
import { description, duration, integer, name, one, text } from '../schema/fields.js';
import { deepFreeze, Problems, type ConfigWarning, type Frozen } from '../schema/problems.js';
import { defineResource, type ResourceSpec } from '../schema/resource.js';
import { readConfigNodes } from '../syntax/source.js';

export const consoleDirectorSpec = defineResource({
  type: 'Director',
  fields: {
    name: one(name()),
    description: description(),
    address: one(text()),
    dirPort: one(integer(1, 65535).default(9101)),
    password: one(text()),
    // Bareos's Heartbeat Interval (common/net/heartbeat.ts) on bconsole's connection to
    // this Director: heartbeats keep an idle console's connection open through firewalls
    // and NAT, and a Director gone silent fails the command within two intervals.
    heartbeatInterval: one(duration().optional()),
  },
  aliases: { port: 'dirPort' },
  unimplemented: [...BAREOS_TLS],
});

export const namedConsoleSpec = defineResource({
  type: 'Console',
  fields: {
    name: one(name()),
    description: description(),
    password: one(text()),
    director: one(text().optional()),
    // The named console's own Heartbeat Interval; absent: its Director resource's.
    heartbeatInterval: one(duration().optional()),
  },
  unimplemented: [...BAREOS_TLS, 'Rc File', 'History File', 'History Length'],
});

export type ConsoleDirectorResource = Frozen<z.output<typeof consoleDirectorSpec.schema> & Sourced>;
export type NamedConsoleResource = Frozen<z.output<typeof namedConsoleSpec.schema> & Sourced>;

export interface ConsoleConfig {
  readonly directors: readonly ConsoleDirectorResource[];
  readonly consoles: readonly NamedConsoleResource[];
}

export const consoleSchema: DaemonSchema = {
  daemonName: 'bconsole',
  resources: { Director: consoleDirectorSpec, Console: namedConsoleSpec },
  ignored: ['User'],
};

export function loadConsoleConfig(path: string): { config: ConsoleConfig; warnings: ConfigWarning[] } {
  const nodes = readConfigNodes(path, 'bconsole');
  const problems = new Problems();
  const raws = collectDaemon(nodes, consoleSchema, problems);
  const rawOf = (spec: ResourceSpec) => raws.get(spec) ?? [];
  const directors = validateAll<ConsoleDirectorResource>(rawOf(consoleDirectorSpec), problems);
  if (rawOf(consoleDirectorSpec).length === 0) {
    const at = nodes[0] ?? { file: path, line: 1 };
    problems.error({ file: at.file, line: at.line, resource: 'Director', directive: '', message: 'a Director resource is required' });
  }
  const consoles = validateAll<NamedConsoleResource>(rawOf(namedConsoleSpec), problems);
  for (const raw of rawOf(namedConsoleSpec)) {
    checkReferences({ problems, from: raw, prop: 'director', names: raw.values['director'] as string | undefined, targets: directors, targetType: 'Director' });
  }
  problems.throwIfAny();
  return { config: deepFreeze({ directors, consoles }), warnings: problems.warnings };
}
