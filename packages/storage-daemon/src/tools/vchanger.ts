#!/usr/bin/env node
/**
 * burrow-vchanger: a tape library over virtual-tape cartridges, speaking the
 * mtx-changer contract (changers/contract.ts) so the Storage daemon drives it as it
 * drives mtx-changer on a real library:
 *
 *   Changer Command = "burrow-vchanger %c %o %S %a %d"
 *   Changer Device  = /var/lib/burrow/vchanger        (the library's directory)
 *
 *   burrow-vchanger DIR load|unload SLOT ARCHIVE-DEVICE DRIVE
 *   burrow-vchanger DIR loaded SLOT ARCHIVE-DEVICE DRIVE
 *   burrow-vchanger DIR list|listall|slots
 *   burrow-vchanger DIR transfer FROM TO
 *
 * The library's directory holds `vchanger.json` (slots, drives, import/export slots,
 * barcodes: changers/vchanger-state.ts) and `cartridges/BARCODE`, one virtual-tape file
 * per cartridge (a new one is empty: blank). Loading a drive points its Archive Device
 * (a VTape device's, a symbolic link) at the cartridge; unloading removes the link, so an
 * empty drive reads as one without medium. Calls from several processes take turns
 * (a lock file) and the state is replaced whole, never half written.
 *
 * What an operator and a test do besides (not part of the contract):
 *
 *   burrow-vchanger init DIR [--slots 8] [--drives 2] [--import-export 1] [--barcodes A00001-A00006,CLN001]
 *   burrow-vchanger insert DIR SLOT BARCODE     a cartridge into an empty (import/export) slot
 *   burrow-vchanger remove DIR SLOT             a cartridge out of a slot, to the shelf
 *   burrow-vchanger fault DIR fail|hang COMMAND...   COMMAND fails (exit 1) or never answers
 *   burrow-vchanger fault DIR stale             loads no longer change what a drive holds
 *   burrow-vchanger fault DIR clear
 *
 * Exit status: 0 done, 1 the command failed (the reason on standard error), 2 usage.
 */
import { spawn } from 'node:child_process';
import { lstat, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { takeLockFile } from '../devices/lock-file.js';
import { isChangerCommand, type ChangerCommandName } from '../changers/contract.js';
import {
  expandBarcodes, insert, list, listall, load, loaded, newState, parseState, remove, slots, transfer, unload, type Outcome, type VchangerState,
} from '../changers/vchanger-state.js';

const USAGE = `usage: burrow-vchanger DIR COMMAND [SLOT [ARCHIVE-DEVICE [DRIVE]]]
  COMMAND: load, unload, loaded (5 arguments), list, listall, slots (2), transfer FROM TO (4)
       burrow-vchanger init DIR [--slots N] [--drives N] [--import-export N] [--barcodes LIST]
       burrow-vchanger insert DIR SLOT BARCODE | remove DIR SLOT
       burrow-vchanger fault DIR fail|hang COMMAND... | stale | clear
`;

/** The contract's minimum argument counts (mtx-changer's): fewer is a usage error, exit 1. */
const MIN_ARGS: Record<ChangerCommandName, number> = { list: 2, listall: 2, slots: 2, transfer: 4, load: 5, unload: 5, loaded: 5 };

const STATE = 'vchanger.json';
const LOCK = 'vchanger.lock';
const LOCK_WAIT_MS = 30_000;

async function main(argv: string[]): Promise<number> {
  const [first, second] = argv;
  if (second !== undefined && isChangerCommand(second)) return contract(argv);
  switch (first) {
    case 'init': return init(argv.slice(1));
    case 'insert': return admin(argv[1], (s) => insert(s, Number(argv[2]), argv[3] ?? ''), argv.length === 4);
    case 'remove': return admin(argv[1], (s) => remove(s, Number(argv[2])), argv.length === 3);
    case 'fault': return fault(argv.slice(1));
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

/** One contract call, as the Storage daemon makes it. */
async function contract(argv: string[]): Promise<number> {
  const [dir, cmd] = argv as [string, ChangerCommandName];
  if (argv.length < MIN_ARGS[cmd]) {
    process.stderr.write(`burrow-vchanger: ${cmd} needs ${MIN_ARGS[cmd]} arguments\n${USAGE}`);
    return 1;
  }
  const slot = Number(argv[2]);
  const archive = argv[3] ?? '';
  const drive = Number(argv[4]);
  return withState(dir, async (s) => {
    if (s.faults.hang?.includes(cmd)) return { hang: true };
    if (s.faults.fail?.includes(cmd)) return { outcome: { exitCode: 1, stdout: '', stderr: `burrow-vchanger: injected fault: ${cmd} fails\n`, state: s } };
    const outcome = step(s, cmd, { slot, archive, drive });
    if (outcome.exitCode === 0 && !s.faults.stale) {
      if (cmd === 'load') await pointDrive(archive, join(resolve(dir), 'cartridges', outcome.state.drives[drive]!.barcode));
      if (cmd === 'unload') await emptyDrive(archive);
    }
    return { outcome };
  });
}

function step(s: VchangerState, cmd: ChangerCommandName, a: { slot: number; archive: string; drive: number }): Outcome {
  switch (cmd) {
    case 'loaded': return loaded(s, a.drive);
    case 'load': return load(s, a.slot, a.drive);
    case 'unload': return unload(s, a.slot, a.drive);
    case 'list': return list(s);
    case 'listall': return listall(s);
    case 'slots': return slots(s);
    case 'transfer': return transfer(s, a.slot, Number(a.archive));
  }
}

/** Points the drive's path at the cartridge (a link made beside it, then renamed over it). */
async function pointDrive(archive: string, cartridge: string): Promise<void> {
  const st = await lstat(archive).catch(() => null);
  if (st && !st.isSymbolicLink()) throw new Error(`${archive} is not a symbolic link: burrow-vchanger replaces only the links it makes`);
  const tmp = `${archive}.vchanger-${process.pid}`;
  await rm(tmp, { force: true });
  await symlink(cartridge, tmp);
  await rename(tmp, archive);
}

async function emptyDrive(archive: string): Promise<void> {
  const st = await lstat(archive).catch(() => null);
  if (st?.isSymbolicLink()) await rm(archive);
}

type Step = { outcome: Outcome } | { hang: true };

/**
 * Runs `fn` on the state under the lock, saves what it changed and prints its answer.
 * A hanging command lets go of the lock first, then waits on a child that never ends
 * (its pid in `hang.pid`), as a robot stuck mid-move: only a kill of the process group ends it.
 */
async function withState(dir: string, fn: (s: VchangerState) => Promise<Step>): Promise<number> {
  let result: Step;
  const unlock = await lock(dir);
  try {
    const before = parseState(await readFile(join(dir, STATE), 'utf8'));
    result = await fn(before);
    if ('outcome' in result && result.outcome.state !== before) await save(dir, result.outcome.state);
  } finally {
    await unlock();
  }
  if ('hang' in result) return hang(dir);
  process.stdout.write(result.outcome.stdout);
  process.stderr.write(result.outcome.stderr);
  return result.outcome.exitCode;
}

function hang(dir: string): Promise<number> {
  const child = spawn('sleep', ['86400'], { stdio: 'ignore' });
  return new Promise((done) => {
    void writeFile(join(dir, 'hang.pid'), `${child.pid}\n`);
    child.on('exit', () => done(1));
  });
}

async function save(dir: string, s: VchangerState): Promise<void> {
  const tmp = join(dir, `${STATE}.${process.pid}`);
  await writeFile(tmp, `${JSON.stringify(s, null, 1)}\n`);
  await rename(tmp, join(dir, STATE));
}

/** Takes the library's lock, waiting while another call holds it (a lock whose process is gone is taken over). */
async function lock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK);
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (!(await takeLockFile(path))) {
    if (Date.now() > deadline) throw new Error(`${path} is held by another call for more than ${LOCK_WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return () => rm(path, { force: true });
}

async function init(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { slots: { type: 'string', default: '8' }, drives: { type: 'string', default: '2' }, 'import-export': { type: 'string', default: '0' }, barcodes: { type: 'string', default: '' } },
  });
  if (positionals.length !== 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const dir = positionals[0]!;
  const state = newState({
    slots: Number(values.slots), drives: Number(values.drives), importExport: Number(values['import-export']), barcodes: expandBarcodes(values.barcodes),
  });
  await mkdir(join(dir, 'cartridges'), { recursive: true });
  const taken = await lstat(join(dir, STATE)).catch(() => null);
  if (taken) throw new Error(`${join(dir, STATE)} exists: this directory is a library already`);
  for (const b of state.slots) if (b) await blankCartridge(dir, b);
  await save(dir, state);
  return 0;
}

/** A cartridge file for a barcode, blank (empty) unless it exists (a cartridge back from the shelf). */
async function blankCartridge(dir: string, barcode: string): Promise<void> {
  await writeFile(join(dir, 'cartridges', barcode), '', { flag: 'a' });
}

async function admin(dir: string | undefined, fn: (s: VchangerState) => Outcome, argsOk: boolean): Promise<number> {
  if (!dir || !argsOk) {
    process.stderr.write(USAGE);
    return 2;
  }
  return withState(dir, async (s) => {
    const outcome = fn(s);
    // A cartridge put in for the first time is blank.
    for (const b of outcome.state.slots) if (b && !s.slots.includes(b)) await blankCartridge(dir, b);
    return { outcome };
  });
}

async function fault(args: string[]): Promise<number> {
  const [dir, kind, ...commands] = args;
  const valid = commands.every(isChangerCommand);
  if (!dir || !valid || !((kind === 'fail' || kind === 'hang') ? commands.length > 0 : (kind === 'stale' || kind === 'clear') && commands.length === 0)) {
    process.stderr.write(USAGE);
    return 2;
  }
  return withState(dir, async (s) => {
    const named = commands as ChangerCommandName[];
    const faults = kind === 'clear' ? {} : kind === 'stale' ? { ...s.faults, stale: true } : kind === 'fail' ? { ...s.faults, fail: named } : { ...s.faults, hang: named };
    return { outcome: { exitCode: 0, stdout: '', stderr: '', state: { ...s, faults } } };
  });
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.stderr.write(`burrow-vchanger: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
