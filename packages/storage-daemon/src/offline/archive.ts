/**
 * Volumes of an Archive Device directory opened for reading by a program that is not
 * the Storage daemon (bls, bextract, bscan): no reservation, no Director. Each volume
 * gets a drive of its own, so a reader that moves on to the next volume of a span
 * never waits for the last one to be unmounted.
 */
import type { ReadVolume } from '../devices/drive.js';
import { fileArchive, fileDrive } from '../devices/random-access-drive.js';

export type OpenVolume = (volumeName: string, signal?: AbortSignal) => Promise<ReadVolume>;

/** Opens volumes of the File archive in `directory` by name; the tool names itself in errors. */
export function archiveVolumes(directory: string, tool: string): OpenVolume {
  const archive = fileArchive(directory);
  return async (volumeName, signal) => {
    const drive = fileDrive({ name: tool, archive });
    await drive.mount(volumeName, signal);
    return drive.openRead(signal);
  };
}
