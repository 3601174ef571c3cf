/** Bareos's tape directives, as the tape drive applies them (see tape-head.ts for positioning). */
export interface TapeSettings {
  /** Minimum Block Size: shorter blocks are padded; equal to the maximum, fixed-block mode. */
  minimumBlockSize: number;
  /** Maximum Block Size: 0 for none. */
  maximumBlockSize: number;
  /** Maximum File Size: a filemark every this many bytes; 0 for none. */
  maximumFileSize: number;
  /** Maximum Volume Size of the device; 0 for none. */
  maximumVolumeSize: number;
  hardwareEndOfMedium: boolean;
  fastForwardSpaceFile: boolean;
  bsfAtEom: boolean;
  /** Two EOF: two filemarks end the data, one after every other append. */
  twoEof: boolean;
  /** Offline On Unmount: an unmount ejects the cartridge. */
  offlineOnUnmount: boolean;
  /** Maximum Open Wait, seconds: how long a drive another program has open is tried again. */
  maximumOpenWait: number;
}

export const DEFAULT_TAPE_SETTINGS: TapeSettings = {
  // Maximum File Size: Bareos's default, 1 GB (a filemark per GB lets a restore skip to within one).
  minimumBlockSize: 0, maximumBlockSize: 0, maximumFileSize: 1_000_000_000, maximumVolumeSize: 0,
  hardwareEndOfMedium: true, fastForwardSpaceFile: true, bsfAtEom: false, twoEof: false, offlineOnUnmount: false,
  // Maximum Open Wait: Bareos's default, 5 minutes.
  maximumOpenWait: 300,
};
