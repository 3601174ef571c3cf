/**
 * Where an entry's data comes from, beyond regular files: a block device named
 * explicitly as a top-level `File =` is a raw partition and saved as its contents
 * (Bareos: "If you explicitly specify a block device such as /dev/sda1, Bareos will
 * assume that this is a raw partition to be backed up"); a FIFO is read when
 * `readfifo = yes`. Everything else below a top-level directory is saved as a node.
 */
import { constants } from 'node:fs';
import { burrow } from '@burrow/common/proto/generated';
import { openAt, openQuietly, type Fd } from '@burrow/fsx';
import type { FileOptions } from '../fileset/index.js';

export type DataSource = 'file' | 'raw' | 'fifo' | null;

export function dataSourceOf(type: burrow.FileType, options: FileOptions, explicit: boolean): DataSource {
  if (type === burrow.FileType.FT_REGULAR) return 'file';
  if (type === burrow.FileType.FT_BLOCK_DEVICE && explicit) return 'raw';
  if (type === burrow.FileType.FT_FIFO && options.readFifo) return 'fifo';
  return null;
}

// O_NONBLOCK: if the entry turned into a FIFO since it was listed, open must not hang;
// for a FIFO that is read it is what lets the read time out (fifo.ts).
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Opens the entry for reading its data; `noatime` (default yes) asks for O_NOATIME. */
export function openSource(at: { readonly dir: Fd; readonly name: Buffer }, source: Exclude<DataSource, null>, options: FileOptions): Fd {
  const flags = source === 'raw' ? READ_FLAGS & ~constants.O_NONBLOCK : READ_FLAGS;
  return options.noAtime ? openQuietly(at.dir, at.name, flags) : openAt(at.dir, at.name, flags);
}
