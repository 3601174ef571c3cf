/**
 * What a console may see and touch: Bareos's Console ACLs. The default console (the
 * Director's own password) is unrestricted; a named Console resource gets what its
 * ACLs and those of its Profiles allow, combined as Bareos combines them (acl.ts:
 * first matching entry decides, `!` denies, `*all*`, regular expressions; nothing
 * matching, nothing allowed). Every command, listing, browse and restore asks here, so
 * the rules live in one place; something outside a console's ACLs is answered as if it
 * did not exist, so a restricted console cannot even learn of it.
 */
import { findResource, type ConsoleResource, type ProfileResource } from '@burrow/common/config/index';
import { nameAcl, unrestricted, whereAcl } from './acl.js';
import type { JobRow } from '../catalog/index.js';
import { DEFAULT_CONSOLE_NAME } from './console-name.js';
import type { ConsoleContext } from './command.js';

export interface ConsoleScope {
  readonly restricted: boolean;
  /**
   * Every job, client, storage, pool, fileset and catalog is this console's to see
   * (each of those ACLs unrestricted): what a query of the whole catalog needs.
   */
  readonly seesWholeCatalog: boolean;
  commandAllowed(name: string): boolean;
  clientAllowed(name: string): boolean;
  /** A job (by its Job resource name) of a client. */
  jobAllowed(job: Pick<JobRow, 'name' | 'clientName'>): boolean;
  storageAllowed(name: string): boolean;
  poolAllowed(name: string): boolean;
  fileSetAllowed(name: string): boolean;
  catalogAllowed(name: string): boolean;
  scheduleAllowed(name: string): boolean;
  /** A restore location: one of WhereACL's, or a folder below one. */
  whereAllowed(where: string): boolean;
  /**
   * A user's console (Restore Owner): it offers and restores only the files this uid
   * owned when they were saved, and the FD makes what it restores theirs. Null: any owner.
   */
  readonly restoreOwner: { readonly uid: number; readonly gid: number } | null;
}

const UNRESTRICTED: ConsoleScope = {
  restricted: false,
  seesWholeCatalog: true,
  commandAllowed: () => true,
  clientAllowed: () => true,
  jobAllowed: () => true,
  storageAllowed: () => true,
  poolAllowed: () => true,
  fileSetAllowed: () => true,
  catalogAllowed: () => true,
  scheduleAllowed: () => true,
  whereAllowed: () => true,
  restoreOwner: null,
};

/** Commands every console has: switching answers to JSON and asking for help. */
const ALWAYS = new Set(['.api', 'help']);

/** A Console's ACL lists of one kind, then its Profiles' (acl.ts says how they combine). */
type AclLists = Pick<ConsoleResource, 'jobAcl' | 'clientAcl' | 'storageAcl' | 'scheduleAcl' | 'poolAcl'
  | 'commandAcl' | 'fileSetAcl' | 'catalogAcl' | 'whereAcl'>;

export function scopeOf(console: ConsoleResource, profiles: readonly ProfileResource[] = []): ConsoleScope {
  const lists = (kind: keyof AclLists): ReadonlyArray<readonly string[]> => [console[kind], ...profiles.map((p) => p[kind])];
  const command = nameAcl(lists('commandAcl'));
  const client = nameAcl(lists('clientAcl'));
  const job = nameAcl(lists('jobAcl'));
  const catalogWide: Array<keyof AclLists> = ['jobAcl', 'clientAcl', 'storageAcl', 'poolAcl', 'fileSetAcl', 'catalogAcl'];
  return {
    restricted: true,
    seesWholeCatalog: !console.restoreOwner && catalogWide.every((kind) => unrestricted(lists(kind))),
    commandAllowed: (name) => ALWAYS.has(name) || command(name),
    clientAllowed: client,
    jobAllowed: (j) => job(j.name) && (j.clientName === null || client(j.clientName)),
    storageAllowed: nameAcl(lists('storageAcl')),
    poolAllowed: nameAcl(lists('poolAcl')),
    fileSetAllowed: nameAcl(lists('fileSetAcl')),
    catalogAllowed: nameAcl(lists('catalogAcl')),
    scheduleAllowed: nameAcl(lists('scheduleAcl')),
    whereAllowed: whereAcl(lists('whereAcl')),
    restoreOwner: console.restoreOwner ?? null,
  };
}

/** A named console whose resource is gone (a reload removed it) may do nothing. */
const NOTHING: ConsoleScope = {
  restricted: true,
  seesWholeCatalog: false,
  commandAllowed: () => false,
  clientAllowed: () => false,
  jobAllowed: () => false,
  storageAllowed: () => false,
  poolAllowed: () => false,
  fileSetAllowed: () => false,
  catalogAllowed: () => false,
  scheduleAllowed: () => false,
  whereAllowed: () => false,
  restoreOwner: null,
};

export function consoleScope(ctx: Pick<ConsoleContext, 'config' | 'session'>): ConsoleScope {
  if (ctx.session.consoleName === DEFAULT_CONSOLE_NAME) return UNRESTRICTED;
  const resource = findResource(ctx.config.consoles, ctx.session.consoleName);
  if (!resource) return NOTHING;
  // The loader checked that every Profile named exists.
  const profiles = resource.profile.flatMap((name) => findResource(ctx.config.profiles, name) ?? []);
  return scopeOf(resource, profiles);
}
