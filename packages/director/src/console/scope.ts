/**
 * What a console may see and touch. Every listing, browse and restore asks here, so
 * per-console limits (Bareos's Console ACLs: clients, jobs, where=) are applied in this
 * one place. The default console is unrestricted; restricted consoles come with the
 * Console resource's ACLs.
 */
import type { JobRow } from '../catalog/types.js';
import type { ConsoleContext } from './context.js';

export interface ConsoleScope {
  clientAllowed(name: string): boolean;
  jobAllowed(job: Pick<JobRow, 'name' | 'clientName'>): boolean;
  whereAllowed(where: string): boolean;
}

const UNRESTRICTED: ConsoleScope = {
  clientAllowed: () => true,
  jobAllowed: () => true,
  whereAllowed: () => true,
};

export function consoleScope(_ctx: ConsoleContext): ConsoleScope {
  return UNRESTRICTED;
}
