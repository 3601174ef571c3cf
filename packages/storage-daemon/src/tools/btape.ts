#!/usr/bin/env node
/**
 * burrow-btape: Bareos's btape, to qualify a tape drive (and try the virtual tape)
 * without the daemon. Commands come on standard input, one a line (btape-session.ts:
 * test, fill, status, scan, rewind, weof, fsf, bsf, fsr, bsr, eod, wr, rb, quit; `fill m`
 * fills two cartridges, the second loaded by the drive's Autochanger).
 *
 *   burrow-btape [-c config] DEVICE
 *
 * DEVICE names a Tape or VTape Device of the Storage daemon's configuration (its Name
 * or its Archive Device), whose directives apply. Stop the Storage daemon first: a
 * drive opens once. Exit status: 0 every command succeeded, 1 one failed, 2 usage or
 * configuration.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { describeError } from '@burrow/common/errors/index';
import { loadStorageConfig } from '@burrow/common/config/index';
import { configRelative } from '@burrow/common/daemon/cli';
import { DEFAULT_TAPE_SETTINGS } from '../devices/tape/tape-drive.js';
import { tapeOpener, tapeSettings } from '../devices/tape/configured-tape.js';
import { Btape } from './btape-session.js';
import { nextCartridgeLoader } from './btape-changer.js';

const USAGE = 'usage: burrow-btape [-c config] DEVICE   (commands on standard input)\n';
const DEFAULT_CONFIG = '/etc/burrow/burrow-sd.d';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { c: { type: 'string' }, h: { type: 'boolean' } } });
  } catch (err) {
    process.stderr.write(`burrow-btape: ${describeError(err)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.h) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const configPath = values.c ?? DEFAULT_CONFIG;
  let device;
  let config;
  try {
    config = loadStorageConfig(configPath).config;
    const wanted = positionals[0]!;
    device = config.devices.find((d) => d.name === wanted || configRelative(configPath, d.archiveDevice) === configRelative(configPath, wanted));
    if (!device) throw new Error(`no Device "${wanted}" in ${configPath}`);
    if (device.deviceType !== 'Tape' && device.deviceType !== 'VTape') throw new Error(`Device "${device.name}" is a ${device.deviceType} device, not a tape drive`);
  } catch (err) {
    process.stderr.write(`burrow-btape: ${describeError(err)}\n`);
    return 2;
  }
  const archiveDevice = configRelative(configPath, device.archiveDevice);
  const open = tapeOpener(device, archiveDevice);
  const print = (line: string): void => { process.stdout.write(`${line}\n`); };
  let tape;
  try {
    tape = await open();
  } catch (err) {
    process.stderr.write(`burrow-btape: cannot open Device "${device.name}": ${describeError(err)}\n`);
    return 1;
  }
  const btape = new Btape({
    tape, reopen: open, settings: { ...DEFAULT_TAPE_SETTINGS, ...tapeSettings(device) }, print,
    nextCartridge: nextCartridgeLoader({ config, device, archiveDevice, open, print }),
  });
  process.stdout.write(`burrow-btape: Device "${device.name}" (${tape.path}) opened.\n`);
  let failed = false;
  for await (const line of createInterface({ input: process.stdin })) {
    const command = line.trim();
    if (command === 'quit' || command === 'q') break;
    process.stdout.write(`*${command}\n`);
    if (!(await btape.run(command))) failed = true;
  }
  await btape.drive.close().catch(() => undefined);
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
