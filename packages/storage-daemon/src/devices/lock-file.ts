/**
 * A lock file holding its owner's pid, made with O_EXCL: the virtual tape's cartridge
 * lock (one drive at a time) and burrow-vchanger's library lock (one call at a time).
 * A lock whose process is gone (killed mid-call) is taken over, never left to block.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';

/** Takes the lock: true when taken, false while a live process (this one too) holds it. */
export async function takeLockFile(lockPath: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return false;
    await rm(lockPath, { force: true });
  }
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
