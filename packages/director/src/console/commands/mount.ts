/**
 * mount, unmount and release (Bareos's console commands of those names): the Director
 * passes them to the Storage daemon of the Storage named, for the drive named (drive=,
 * from 0; a plain Device has only drive 0), and prints the SD's numbered reply as
 * Bareos does ("3001 OK mount requested. Device=...", "3002 Device ... unmounted.",
 * "3022 Device ... released.", or a refusal numbered 3900 and up). `mount` wakes a job
 * waiting on the drive for a volume; with volume= a File drive mounts that volume first,
 * so the waiting job is offered it (Bareos's mount takes only slot=; Burrow's File
 * drives mount by name). With slot=, an autochanger's drive loads that slot first, and
 * the catalog's Slot and InChanger of its cartridge are brought up to date.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { driveCommand, type DriveCommand } from '../../sd/storage-link.js';
import { storageTarget } from '../../setup/resolve.js';
import { defineCommand, type ConsoleContext } from '../command.js';
import { count, text } from '../arg-types.js';
import { consoleScope } from '../scope.js';
import { updateSlots } from './slots.js';
import { driveChanged } from '../media-events.js';

export interface DriveCommandResult {
  storage: string;
  drive: number;
  /** The SD's reply number: 3000-3099 done, 3900-3999 refused. */
  code: number;
  text: string;
}

/** storage=, or the only Storage this console may use. */
export function storageNamed(ctx: ConsoleContext, command: string, named: string | undefined): string {
  const scope = consoleScope(ctx);
  if (named !== undefined) {
    if (!scope.storageAllowed(named)) throw new BurrowError('NOT_FOUND', `Storage "${named}" is not defined`);
    return named;
  }
  const allowed = ctx.config.storages.filter((s) => scope.storageAllowed(s.name));
  if (allowed.length === 1) return allowed[0]!.name;
  throw new BurrowError('BAD_REQUEST', `${command}: say which Storage with storage=<name> (${allowed.map((s) => s.name).join(', ') || 'none is defined'})`);
}

/** What each of these commands, done, did to the drive (a live `drive` event). */
const DRIVE_CHANGES = { mount: 'mounted', unmount: 'unmounted', release: 'released' } as const;

async function run(ctx: ConsoleContext, cmd: Omit<DriveCommand, 'drive' | 'action'> & { action: keyof typeof DRIVE_CHANGES; storage?: string; drive?: number }): Promise<DriveCommandResult> {
  const storage = storageNamed(ctx, cmd.action, cmd.storage);
  const drive = cmd.drive ?? 0;
  const reply = await driveCommand(storageTarget(ctx.config, storage), ctx.env.directorName, { ...cmd, drive });
  return { storage, drive, code: reply.code, text: reply.text };
}

/**
 * Tells what a command did to the drive, once all of it is done (a mount's slot in the
 * catalog too), just before its `media` event: a page that draws again on either finds
 * the command answered. Only a done command (3000-3099) changed the drive.
 */
function told(ctx: ConsoleContext, r: DriveCommandResult, action: keyof typeof DRIVE_CHANGES, volume?: string): DriveCommandResult {
  if (r.code < 3900) driveChanged(ctx, { storage: r.storage, drive: r.drive, change: DRIVE_CHANGES[action], ...(volume === undefined ? {} : { volume }) });
  return r;
}

const render = (r: DriveCommandResult): string => r.text;

export const mountCommand = defineCommand({
  name: 'mount',
  help: 'Mount a volume on a drive, or wake a job waiting on it for one',
  usage: 'mount [storage=<storage>] [drive=<n>] [slot=<n> | volume=<name>]',
  args: z.object({ storage: text().optional(), drive: count().optional(), slot: count().optional(), volume: text().optional() }).strict(),
  run: async (ctx, a) => {
    const r = await run(ctx, { action: 'mount', storage: a.storage, drive: a.drive, slot: a.slot, volumeName: a.volume });
    // The changer loaded that slot: the catalog learns which cartridge is there (its Slot, InChanger), as update slots would.
    const target = storageTarget(ctx.config, r.storage);
    if (a.slot && r.code < 3900 && target.autoChanger) await updateSlots(ctx, target, { only: new Set([a.slot]) }).catch(() => undefined);
    return told(ctx, r, 'mount', a.volume);
  },
  render,
});

export const unmountCommand = defineCommand({
  name: 'unmount',
  help: 'Take a drive out of use until it is mounted again',
  usage: 'unmount [storage=<storage>] [drive=<n>]',
  args: z.object({ storage: text().optional(), drive: count().optional() }).strict(),
  run: async (ctx, a) => told(ctx, await run(ctx, { action: 'unmount', storage: a.storage, drive: a.drive }), 'unmount'),
  render,
});

export const releaseCommand = defineCommand({
  name: 'release',
  help: 'Release a drive: forget its volume, so the next job reads the label again',
  usage: 'release [storage=<storage>] [drive=<n>]',
  args: z.object({ storage: text().optional(), drive: count().optional() }).strict(),
  run: async (ctx, a) => told(ctx, await run(ctx, { action: 'release', storage: a.storage, drive: a.drive }), 'release'),
  render,
});
