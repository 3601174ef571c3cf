/**
 * Setting a tape volume's next write position (afbackup's `cartis`; the operator's
 * `update volume=X nextwrite=F:B`): the point is checked on the medium before anything
 * is erased, then made the end of the data, as only a tape can: a filemark is written
 * there, which erases everything after it. The next append finds its end there (the
 * block before the point, then a new tape file) and continues the block numbers.
 *
 * Checked: the point is after the volume label, the tape reaches it (its data does not
 * end before), and the record just before it is a block of the volume (or the label),
 * so the point is a block boundary, never the middle of a damaged stretch.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { NextWritePoint } from '../drive.js';
import { isTapeError, type RawTape } from './raw-tape.js';
import { splitAddress, type TapeHead } from './tape-head.js';
import { blockOfRecord, tapeFailure } from './tape-records.js';

export interface CutTarget {
  raw: RawTape;
  head: TapeHead;
  volumeName: string;
  printName: string;
  recordBuffer: () => Buffer;
  /** Every byte of every record on the tape, from BOT (VolBytes for the catalog). */
  countBytes: (raw: RawTape) => Promise<number>;
}

export async function cutTapeAt(t: CutTarget, address: number): Promise<NextWritePoint> {
  const { file, block } = splitAddress(address);
  const at = `${file}:${block}`;
  const refuse = (why: string): never => {
    throw new BurrowError('BAD_REQUEST', `Volume "${t.volumeName}" in Device ${t.printName}: the next write cannot be set to ${at}: ${why}`);
  };
  if (file === 0 && block === 0) refuse('that is the volume label, which stays');
  if (!(await t.head.goTo(file, block).catch(() => false))) refuse('the data on the tape ends before it');
  const previous = await blockBefore(t, block === 0, refuse);
  // Here is the point: a filemark erases the rest, as writing anywhere on a tape does.
  await t.raw.weof(1).catch((err: unknown) => { throw tapeFailure(t.printName, 'cannot write the filemark at the new end', err); });
  const volBytes = await t.countBytes(t.raw);
  return { volBytes, lastBlockNumber: previous, files: block > 0 ? file + 1 : file };
}

/**
 * The block number of the record just before the head, which is left where it was: the
 * record before it in its file, or (at the start of a file) the last one of the file
 * before, across the filemark between them.
 */
async function blockBefore(t: CutTarget, afterFilemark: boolean, refuse: (why: string) => never): Promise<number> {
  const back = async (): Promise<'record' | 'filemark'> => {
    try {
      await t.raw.bsr(1);
      return 'record';
    } catch (err) {
      if (isTapeError(err, 'EIO')) return 'filemark';
      throw tapeFailure(t.printName, 'cannot check the position', err);
    }
  };
  if (afterFilemark && await back() !== 'filemark') refuse('it is not the start of a tape file');
  if (await back() !== 'record') refuse('no block lies just before it on the tape');
  const n = await t.raw.read(t.recordBuffer()).catch(() => -1);
  const before = n > 0 ? blockOfRecord(t.recordBuffer().subarray(0, n), 0, 1) : undefined;
  if (before?.kind !== 'block') return refuse(`the record before it is not a block of the volume (${before && 'problem' in before ? before.problem : 'unreadable'})`);
  if (afterFilemark) await t.raw.fsf(1);
  return before.header.blockNumber;
}
