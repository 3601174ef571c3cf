/**
 * What the tape drive's parts (tape-drive.ts, tape-append.ts, tape-read.ts) share: what
 * an open volume uses of its drive, a record read back as a block, the bounds of a
 * search through records, and a raw tape's failure in an administrator's words.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { BLOCK_HEADER_SIZE, MAX_BLOCK_PAYLOAD, checkBlock, parseBlockHeader } from '../../volume/block.js';
import type { BlockRead } from '../drive.js';
import { isTapeError, type RawTape } from './raw-tape.js';
import type { TapeHead } from './tape-head.js';
import type { TapeSettings } from './tape-settings.js';

/** What a volume open on a tape drive uses of the drive (TapeDrive implements it). */
export interface TapeDriveAccess {
  readonly printName: string;
  readonly settings: TapeSettings;
  /** The open volume that positioned the tape last, or null (see TapeDrive.owner). */
  owner: object | null;
  /** Runs a raw operation in the drive's serial queue. */
  run<T>(task: (raw: RawTape, head: TapeHead) => Promise<T>): Promise<T>;
  recordBuffer(): Buffer;
  record(block: Buffer): Buffer;
}

/** The largest record a Burrow volume holds: a block of the largest payload. */
export const MAX_RECORD = BLOCK_HEADER_SIZE + MAX_BLOCK_PAYLOAD;
/** Records read back when looking for the last good block or the next one after damage. */
export const MAX_RECORDS_SEARCHED = 10_000;

/** A record read from tape as a block: it holds the block (and any padding after it). */
export function blockOfRecord(record: Buffer, addr: number, nextAddr: number): BlockRead {
  const parsed = parseBlockHeader(record);
  if (!parsed.ok) return { kind: 'corrupt', addr, problem: parsed.problem };
  const end = BLOCK_HEADER_SIZE + parsed.header.payloadLength;
  if (record.length < end) return { kind: 'truncated', addr, problem: `the record holds ${record.length - BLOCK_HEADER_SIZE} of ${parsed.header.payloadLength} payload bytes` };
  const payload = record.subarray(BLOCK_HEADER_SIZE, end);
  const checked = checkBlock(record, payload, parsed.header);
  if (!checked.ok) return { kind: 'corrupt', addr, problem: checked.problem };
  return { kind: 'block', addr, nextAddr, header: checked.header, payload, repaired: checked.repaired };
}

export function tapeFailure(printName: string, what: string, err: unknown): BurrowError {
  if (err instanceof BurrowError) return err;
  if (isTapeError(err, 'ENOMEDIUM')) return new BurrowError('NOT_FOUND', `no cartridge in Device ${printName}`, { cause: err });
  if (isTapeError(err, 'EACCES')) return new BurrowError('DEVICE', `Device ${printName}: ${what}: the cartridge is write-protected`, { cause: err });
  return new BurrowError('DEVICE', `Device ${printName}: ${what}: ${(err as Error).message}`, { cause: err });
}
