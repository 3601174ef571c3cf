/**
 * What a console may see and touch: Bareos's Console ACLs. The default console (the
 * Director's own password) is unrestricted; a named Console resource gets exactly what
 * its ACLs list — names matched case-insensitively, `*all*` for everything, nothing
 * for an empty list. Every command, listing, browse and restore asks here, so the rules
 * live in one place; something outside a console's ACLs is answered as if it did not
 * exist, so a restricted console cannot even learn of it.
 */
import { findResource, type ConsoleResource } from '@burrow/common/config/index';
import type { JobRow } from '../catalog/index.js';
import { DEFAULT_CONSOLE_NAME } from './console-name.js';
import type { ConsoleContext } from './command.js';

export interface ConsoleScope {
  readonly restricted: boolean;
  commandAllowed(name: string): boolean;
  clientAllowed(name: string): boolean;
  /** A job (by its Job resource name) of a client. */
  jobAllowed(job: Pick<JobRow, 'name' | 'clientName'>): boolean;
  storageAllowed(name: string): boolean;
  poolAllowed(name: string): boolean;
  fileSetAllowed(name: string): boolean;
  catalogAllowed(name: string): boolean;
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
  commandAllowed: () => true,
  clientAllowed: () => true,
  jobAllowed: () => true,
  storageAllowed: () => true,
  poolAllowed: () => true,
  fileSetAllowed: () => true,
  catalogAllowed: () => true,
  whereAllowed: () => true,
  restoreOwner: null,
};

/** Commands every console has: switching answers to JSON and asking for help. */
const ALWAYS = new Set(['.api', 'help']);

function acl(list: readonly string[]): (name: string) => boolean {
  if (list.some((e) => e.toLowerCase() === '*all*')) return () => true;
  const names = new Set(list.map((e) => e.toLowerCase()));
  return (name) => names.has(name.toLowerCase());
}

function whereAcl(list: readonly string[]): (where: string) => boolean {
  if (list.some((e) => e.toLowerCase() === '*all*')) return () => true;
  const roots = list.map((e) => e.replace(/\/+$/, ''));
  return (where) => {
    const w = where.replace(/\/+$/, '');
    if (w.split('/').includes('..')) return false;
    return roots.some((r) => w === r || (r === '' ? w === '' : w.startsWith(`${r}/`)));
  };
}

export function scopeOf(console: ConsoleResource): ConsoleScope {
  const command = acl(console.commandAcl);
  const client = acl(console.clientAcl);
  const job = acl(console.jobAcl);
  return {
    restricted: true,
    commandAllowed: (name) => ALWAYS.has(name) || command(name),
    clientAllowed: client,
    jobAllowed: (j) => job(j.name) && (j.clientName === null || client(j.clientName)),
    storageAllowed: acl(console.storageAcl),
    poolAllowed: acl(console.poolAcl),
    fileSetAllowed: acl(console.fileSetAcl),
    catalogAllowed: acl(console.catalogAcl),
    whereAllowed: whereAcl(console.whereAcl),
    restoreOwner: console.restoreOwner ?? null,
  };
}

/** A named console whose resource is gone (a reload removed it) may do nothing. */
const NOTHING: ConsoleScope = {
  restricted: true,
  commandAllowed: () => false,
  clientAllowed: () => false,
  jobAllowed: () => false,
  storageAllowed: () => false,
  poolAllowed: () => false,
  fileSetAllowed: () => false,
  catalogAllowed: () => false,
  whereAllowed: () => false,
  restoreOwner: null,
};

export function consoleScope(ctx: Pick<ConsoleContext, 'config' | 'session'>): ConsoleScope {
  if (ctx.session.consoleName === DEFAULT_CONSOLE_NAME) return UNRESTRICTED;
  const resource = findResource(ctx.config.consoles, ctx.session.consoleName);
  return resource ? scopeOf(resource) : NOTHING;
}
