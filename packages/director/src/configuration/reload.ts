/**
 * `reload` and SIGHUP: the Director reads its configuration again and, when the new
 * one passes every check a start makes (`-t`'s), puts it in force; otherwise it keeps
 * the running one and says why. Jobs already queued or running keep the generation
 * they were submitted under (live.ts); the scheduler, console logins and ACLs, and
 * every command from then on use the new one; the catalog gets rows for new Pools,
 * Clients and Storages as at start.
 *
 * What the running process cannot take over without a restart (where it listens, its
 * name, its working and pid directories, its catalog) is compared: a new
 * configuration that changes any of them is refused, saying so, rather than accepted
 * and silently not applied. Bareos accepts such a reload and goes on with the old
 * values, which leaves `show` saying one thing and the Director doing another.
 */
import { isDeepStrictEqual } from 'node:util';
import { BurrowError, describeError } from '@burrow/common/errors/index';
import { loadDirectorConfig, formatProblem, type DirectorConfig } from '@burrow/common/config/index';
import { Problems } from '@burrow/common/config/schema/problems';
import type { Logger } from '@burrow/common/log/index';
import { buildGeneration, writeResourceRows, type DirectorParts } from './generation.js';
import type { LiveConfiguration } from './live.js';

export interface ReloadOutcome {
  readonly ok: boolean;
  /** Why the new configuration was refused, line by line as `-t` says it; empty when it is in force. */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

export interface ReloadSetup {
  readonly configPath: string;
  readonly live: LiveConfiguration;
  readonly parts: DirectorParts;
  /** The checks a start makes against the machine (configuration/check.ts). */
  readonly check: (config: DirectorConfig, problems: Problems) => Promise<unknown>;
}

/** What a running Director keeps until it restarts, as `label: value` pairs to compare. */
function restartOnly(c: DirectorConfig): Record<string, unknown> {
  const d = c.director;
  const catalog = c.catalogs[0];
  return {
    'Director Name': d.name, DirPort: d.dirPort, DirAddress: d.dirAddress, DirAddresses: d.dirAddresses,
    WorkingDirectory: d.workingDirectory, PidDirectory: d.pidDirectory,
    'Catalog DbName': catalog?.dbName, 'Catalog DbDriver': catalog?.dbDriver,
  };
}

function restartNeeded(running: DirectorConfig, next: DirectorConfig): string[] {
  const before = restartOnly(running);
  const after = restartOnly(next);
  return Object.keys(before).filter((k) => !isDeepStrictEqual(before[k], after[k])).map((k) =>
    `${k} changed (from ${JSON.stringify(before[k]) ?? 'unset'} to ${JSON.stringify(after[k]) ?? 'unset'}): the running Director cannot take that over; restart it instead`);
}

/** Why a configuration was refused, one problem a line: a configuration error's own lines, or what went wrong. */
function refusal(err: unknown): string[] {
  return err instanceof BurrowError && err.code.startsWith('CONFIG') ? err.message.split('\n') : [describeError(err)];
}

async function tryReload(s: ReloadSetup): Promise<ReloadOutcome> {
  const problems = new Problems();
  const warnings = (): string[] => problems.warnings.map(formatProblem);
  try {
    const loaded = loadDirectorConfig(s.configPath);
    problems.warnings.push(...loaded.warnings);
    const config = loaded.config;
    await s.check(config, problems);
    problems.throwIfAny();
    const refused = restartNeeded(s.live.current.config, config);
    if (refused.length > 0) return { ok: false, errors: refused, warnings: warnings() };
    // Built before anything changes: a generation that cannot be built leaves the running one untouched.
    const next = buildGeneration(config, s.parts);
    await writeResourceRows(s.parts.catalog, config);
    s.live.replace(next);
    return { ok: true, errors: [], warnings: warnings() };
  } catch (err) {
    return { ok: false, errors: refusal(err), warnings: warnings() };
  }
}

/**
 * Reloads one at a time (a second request waits for the first to finish), each
 * outcome written to the Director's log whoever asked (SIGHUP has nobody else to tell;
 * a console is told as well).
 */
export function reloader(s: ReloadSetup): () => Promise<ReloadOutcome> {
  let last: Promise<unknown> = Promise.resolve();
  return () => {
    const run = last.then(() => tryReload(s)).then((outcome) => {
      logReload(s, outcome);
      return outcome;
    });
    last = run.catch(() => undefined);
    return run;
  };
}

/** Reloads on SIGHUP, as Bareos's daemons do; returns what stops it (at shutdown). */
export function reloadOnHangup(reload: () => Promise<ReloadOutcome>, log: Logger, configPath: string): () => void {
  const onHangup = (): void => {
    log.info(`SIGHUP received, reloading ${configPath}`);
    void reload();
  };
  process.on('SIGHUP', onHangup);
  return () => process.off('SIGHUP', onHangup);
}

/**
 * A reload's outcome in the Director's log and, for its warnings and a refusal, as
 * daemon messages of the configuration now in force (Bareos reports a failed reload
 * through the Director's Messages, where an administrator's mail or log file sees it).
 */
function logReload(s: ReloadSetup, o: ReloadOutcome): void {
  const { log } = s.parts;
  const say = s.live.current.daemonMessage;
  for (const w of o.warnings) {
    log.warn(w);
    say('warning', `Warning: ${w}`);
  }
  if (o.ok) {
    log.info(`configuration ${s.configPath} reloaded`);
    return;
  }
  log.error({ errors: o.errors }, `configuration ${s.configPath} not reloaded; the running one is kept: ${o.errors.join('; ')}`);
  say('error', `Error: configuration ${s.configPath} not reloaded; the configuration in force is kept:\n${o.errors.join('\n')}`);
}
