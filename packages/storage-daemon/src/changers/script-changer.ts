/**
 * The Storage daemon's changer: an Autochanger's Changer Command run for each call
 * (mtx-changer for a real library, burrow-vchanger for virtual tapes, or any script an
 * administrator already runs with Bareos or Bacula). Calls on one changer are
 * serialised (one robot moves one cartridge at a time; Bareos locks its changer the
 * same way), each ends within Maximum Changer Wait, and every failure is a DEVICE error
 * whose text is Bareos's (its 39xx numbers and words), with the script's output.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { SerialQueue } from '../devices/serial-queue.js';
import { changerArgv, type ChangerCall, type ChangerCommandTemplate } from './command-line.js';
import { parseList, parseListall, parseLoaded, parseSlots, saysSlotEmpty, type ChangerElement, type SlotList } from './contract.js';
import { runScript, type ScriptResult } from './run-script.js';

export interface ScriptChangerOptions extends ChangerCommandTemplate {
  /** The Autochanger's name, for messages. */
  readonly name: string;
  /** Seconds a call may take (Bareos's Maximum Changer Wait, 300 s by default). */
  readonly maximumChangerWait: number;
  /** Stops a running call (the daemon shutting down). */
  readonly signal?: AbortSignal;
}

/** A drive of the changer as a call names it: Drive Index and Archive Device. */
export interface ChangerDrive {
  readonly index: number;
  readonly archiveDevice: string;
}

/** What a call is about, for the script's %v %j %f codes. */
export interface CallContext {
  readonly volume?: string;
  readonly job?: string;
  readonly client?: string;
}

/** Bareos's default Maximum Changer Wait. */
export const DEFAULT_MAXIMUM_CHANGER_WAIT = 300;

export class ScriptChanger {
  private readonly queue = new SerialQueue();

  constructor(private readonly o: ScriptChangerOptions) {}

  get name(): string {
    return this.o.name;
  }

  /** The home slot of the cartridge in the drive, or 0 when it is empty. */
  async loaded(drive: ChangerDrive, ctx: CallContext = {}): Promise<number> {
    const what = `"loaded? drive ${drive.index}"`;
    const r = await this.call({ command: 'loaded', drive: drive.index, archiveDevice: drive.archiveDevice, ...ctx });
    const slot = r.exitCode === 0 ? parseLoaded(r.stdout) : undefined;
    if (slot === undefined) throw failure(3991, `Bad autochanger ${what} command`, r, r.exitCode === 0 ? 'its answer is not a slot number' : undefined);
    return slot;
  }

  /**
   * Loads the cartridge of `slot` into the drive. An empty slot is NOT_FOUND (the SD asks
   * for another volume rather than failing the job); anything else that fails is DEVICE.
   */
  async load(slot: number, drive: ChangerDrive, ctx: CallContext = {}): Promise<void> {
    const r = await this.call({ command: 'load', slot, drive: drive.index, archiveDevice: drive.archiveDevice, ...ctx });
    if (r.exitCode === 0) return;
    const what = `Bad autochanger "load slot ${slot}, drive ${drive.index}"`;
    if (!r.timedOut && saysSlotEmpty(r.stdout + r.stderr)) throw failure(3992, what, r, `slot ${slot} is empty`, 'NOT_FOUND');
    throw failure(3992, what, r);
  }

  /** Puts the cartridge in the drive back into `slot` (its home slot). */
  async unload(slot: number, drive: ChangerDrive, ctx: CallContext = {}): Promise<void> {
    const r = await this.call({ command: 'unload', slot, drive: drive.index, archiveDevice: drive.archiveDevice, ...ctx });
    if (r.exitCode !== 0) throw failure(3995, `Bad autochanger "unload slot ${slot}, drive ${drive.index}"`, r);
  }

  /** Every full slot with its barcode, cartridges in drives under their home slots. */
  async list(): Promise<SlotList> {
    const r = await this.call({ command: 'list' });
    if (r.exitCode !== 0) throw failure(3998, 'Bad autochanger "list" command', r);
    return parseList(r.stdout);
  }

  /** Every drive, slot and import/export slot, empty or full. */
  async listall(): Promise<ChangerElement[]> {
    const r = await this.call({ command: 'listall' });
    if (r.exitCode !== 0) throw failure(3998, 'Bad autochanger "listall" command', r);
    try {
      return parseListall(r.stdout);
    } catch (err) {
      throw failure(3998, 'Bad autochanger "listall" command', r, (err as Error).message);
    }
  }

  /** The number of slots, import/export slots included. */
  async slots(): Promise<number> {
    const r = await this.call({ command: 'slots' });
    const n = r.exitCode === 0 ? parseSlots(r.stdout) : undefined;
    if (n === undefined) throw failure(3998, 'Bad autochanger "slots" command', r, r.exitCode === 0 ? 'its answer is not a number' : undefined);
    return n;
  }

  /** Moves the cartridge of slot `from` to the empty slot `to`. */
  async transfer(from: number, to: number): Promise<void> {
    const r = await this.call({ command: 'transfer', slot: from, destination: to });
    if (r.exitCode !== 0) throw failure(3998, `Bad autochanger "transfer ${from} ${to}" command`, r);
  }

  private call(call: ChangerCall): Promise<ScriptResult> {
    const argv = changerArgv(this.o, call);
    return this.queue.run(() => {
      this.o.signal?.throwIfAborted();
      return runScript(argv, { timeoutMs: this.o.maximumChangerWait * 1000, signal: this.o.signal });
    });
  }
}

/** Bareos's changer failure text: `39xx Bad autochanger ...: ERR=why.` and the script's output as Results. */
function failure(code: number, what: string, r: ScriptResult, why?: string, errorCode: 'DEVICE' | 'NOT_FOUND' = 'DEVICE'): BurrowError {
  const err = why ?? r.error ?? `Child exited with code ${r.exitCode}`;
  const results = [r.stdout.trim(), r.stderr].filter((s) => s !== '').join('\n');
  return new BurrowError(errorCode, `${code} ${what}: ERR=${err}.${results ? `\nResults=${results}` : ''}`);
}
