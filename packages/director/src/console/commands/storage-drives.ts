/**
 * `status storage=`'s drives as data, for `.api json`, the HTTP API and the dashboard:
 * the Storage daemon sends its status as JSON beside the text (storage-daemon
 * reservations/status.ts); the Director checks the part it uses against a schema and
 * keeps the drives of the Storage's Device, each with the number that `mount`,
 * `unmount` and `release` take as drive= (its Drive Index in an autochanger, else its
 * place; a plain Device is drive 0).
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';

/** What the SD says of a drive (more fields may come; they are left out). */
const SdDrive = z.object({
  name: z.string(),
  printName: z.string(),
  mediaType: z.string(),
  // idle, reserved, appending, reading, waiting (for the operator), unmounted (by the operator).
  state: z.enum(['idle', 'reserved', 'appending', 'reading', 'waiting', 'unmounted']),
  volume: z.object({ name: z.string(), pool: z.string() }).nullable(),
  pool: z.string().nullable(),
  // Absent from an SD older than this field: drives are then numbered by their place.
  driveIndex: z.number().int().nullable().optional(),
  reservedBy: z.array(z.object({ jobId: z.number(), mode: z.string() })),
  waits: z.array(z.object({ jobId: z.number(), volume: z.string().nullable(), pool: z.string(), since: z.number() })),
});

const SdStatus = z.object({
  groups: z.array(z.object({ name: z.string(), drives: z.array(z.string()) })),
  drives: z.array(SdDrive),
});

export type StorageDrive = Omit<z.output<typeof SdDrive>, 'driveIndex'> & {
  /** What drive= names in mount, unmount and release. */
  drive: number;
};

export interface StorageDrives {
  /** The Storage's Device is an Autochanger with a changer (its drives have a Drive Index): `status slots` lists its slots. */
  autochanger: boolean;
  drives: StorageDrive[];
}

/** The drives of `device` (the Storage's Device: an Autochanger's name or a Device's) in the SD's status JSON. */
export function storageDrives(json: string, device: string): StorageDrives {
  let parsed: z.output<typeof SdStatus>;
  try {
    parsed = SdStatus.parse(JSON.parse(json));
  } catch (err) {
    throw new BurrowError('PROTOCOL', `the Storage daemon's status is not what the Director expects: ${(err as Error).message}`, { cause: err });
  }
  const byName = new Map(parsed.drives.map((d) => [d.name.toLowerCase(), d]));
  const shown = ({ driveIndex, ...d }: z.output<typeof SdDrive>, place: number): StorageDrive => ({ ...d, drive: driveIndex ?? place });
  const group = parsed.groups.find((g) => g.name.toLowerCase() === device.toLowerCase());
  if (group) {
    const members = group.drives.flatMap((n) => byName.get(n.toLowerCase()) ?? []);
    return { autochanger: members.some((d) => typeof d.driveIndex === 'number'), drives: members.map(shown) };
  }
  const one = byName.get(device.toLowerCase());
  return { autochanger: false, drives: one ? [shown(one, 0)] : [] };
}
