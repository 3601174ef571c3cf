/**
 * The checks a daemon makes against the machine before it serves: listening addresses
 * that resolve to this machine, directories it can create and write. `-t` and a start
 * run the same checks (daemon/cli.ts `loadConfiguration`), so `-t` finds what would
 * otherwise fail only at start; the start then uses what the checks resolved.
 * Problems name the directive's file and line like any configuration problem.
 */
import { accessSync, constants, mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { findResource, problemAt, type Sourced } from '../config/schema/daemon.js';
import type { MessagesResource } from '../config/director/load.js';
import type { FileDaemonResource } from '../config/daemons/filedaemon.js';
import type { SdStorageResource } from '../config/daemons/storage.js';
import type { Problems } from '../config/schema/problems.js';
import { listenRequests, resolveRequest, uniqueBinds, type ListenBind, type ListenConfig } from '../net/addresses.js';

/**
 * Records an error unless `path` is a writable directory, or a directory that can be
 * created (its nearest existing ancestor is a writable directory). Creates nothing:
 * `-t` must not change the machine.
 */
export function checkDirectory(problems: Problems, resource: Sourced, prop: string, path: string): void {
  let probe = path;
  for (;;) {
    const st = statIfAny(probe);
    if (st) {
      const what = probe === path ? path : `${path} (to be created in ${probe})`;
      if (!st.isDirectory()) { problems.error(problemAt(resource, prop, `${what}: ${probe} is not a directory`)); return; }
      try { accessSync(probe, constants.W_OK | constants.X_OK); } catch (err) {
        problems.error(problemAt(resource, prop, `${what}: ${probe} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})`));
      }
      return;
    }
    const parent = dirname(probe);
    if (parent === probe) return;
    probe = parent;
  }
}

/** The entry's stat, or undefined when there is none (ENOTDIR: a file stands where a directory would be, found further up). */
export function statIfAny(path: string): Stats | undefined {
  try { return statSync(path); } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** Creates a directory that passed `checkDirectory` (at start, never for `-t`). */
export function ensureDirectory(path: string): void {
  mkdirSync(path, { recursive: true });
}

/** A daemon's listening directives and the properties that hold them, for naming problems. */
export interface ListenDirectives extends ListenConfig {
  readonly resource: Sourced;
  /** `dirAddress`, `sdAddress`, `fdAddress`. */
  readonly addressProp: string;
  /** `dirAddresses`, `sdAddresses`, `fdAddresses`. */
  readonly addressesProp: string;
}

/** Resolves where the daemon listens; records a problem for each address that cannot be listened on. */
export async function checkListen(problems: Problems, d: ListenDirectives): Promise<ListenBind[]> {
  if (d.address !== undefined && d.addresses.length > 0) {
    const single = d.resource.source.directives[d.addressProp]?.directive ?? d.addressProp;
    problems.error(problemAt(d.resource, d.addressesProp, `cannot be combined with ${single}: list every address in the block`));
    return [];
  }
  const binds: ListenBind[] = [];
  for (const request of listenRequests(d)) {
    try {
      binds.push(...await resolveRequest(request));
    } catch (err) {
      problems.error(problemAt(d.resource, request.from === 'address' ? d.addressProp : d.addressesProp, (err as Error).message));
    }
  }
  return uniqueBinds(binds);
}

/** What every daemon checks about its own resource. */
export interface OwnResourceCheck {
  readonly listen: ListenDirectives;
  /** Directories the daemon creates at start, property -> path resolved against the configuration. */
  readonly directories: Readonly<Record<string, string>>;
}

export interface OwnResourceChecked {
  readonly binds: readonly ListenBind[];
  readonly directories: readonly string[];
}

export async function checkOwnResource(problems: Problems, c: OwnResourceCheck): Promise<OwnResourceChecked> {
  for (const [prop, path] of Object.entries(c.directories)) checkDirectory(problems, c.listen.resource, prop, path);
  return { binds: await checkListen(problems, c.listen), directories: Object.values(c.directories) };
}

/**
 * The File and Storage daemons' Messages: they send every job message to the Director
 * running the job (Bareos's stock `Director = bareos-dir = all` says just that) and
 * their own messages to their log (stderr). Any other destination, and a mail or
 * operator command, is not implemented there: each is named in a warning.
 */
export function checkDaemonMessages(problems: Problems, o: {
  daemon: string;
  /** The daemon's own resource and the Messages it names, if any. */
  own: FileDaemonResource | SdStorageResource;
  messages: readonly MessagesResource[];
}): void {
  const named = o.own.messages === undefined ? undefined : findResource(o.messages, o.own.messages);
  const inUse = named ? [named] : o.messages;
  const instead = `the ${o.daemon} sends job messages to the Director running the job and its own messages to its log (stderr)`;
  for (const res of inUse) {
    for (const d of res.destinations) {
      if (d.destination !== 'director') problems.warn(problemAt(res, 'destinations', `${d.destination} is not implemented in the ${o.daemon}: ${instead}`));
    }
    if (res.mailCommand !== undefined) problems.warn(problemAt(res, 'mailCommand', `is not used: the ${o.daemon} sends no mail`));
    if (res.operatorCommand !== undefined) problems.warn(problemAt(res, 'operatorCommand', `is not used: the ${o.daemon} sends no mail`));
  }
}
