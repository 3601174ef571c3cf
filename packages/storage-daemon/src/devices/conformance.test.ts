/** The drive conformance suite (conformance.ts), run by every drive type Burrow has. */
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driveConformance } from './conformance.js';
import { fileArchive, fileDrive, memoryArchive, memoryDrive } from './random-access-drive.js';

driveConformance('file drive', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-drive-'));
  const archive = fileArchive(dir);
  return {
    drives: [fileDrive({ name: 'FileStorage0001', archive }), fileDrive({ name: 'FileStorage0002', archive })],
    putForeign: (name, bytes) => writeFile(join(dir, name), bytes),
    storedBytes: (name) => readFile(join(dir, name)).catch(() => null),
    cutTail: async (name, n) => truncate(join(dir, name), (await stat(join(dir, name))).size - n),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

driveConformance('memory drive', async () => {
  const archive = memoryArchive();
  const { store } = archive;
  return {
    drives: [memoryDrive({ name: 'Memory0001', archive }), memoryDrive({ name: 'Memory0002', archive })],
    putForeign: async (name, bytes) => store.put(name, bytes),
    storedBytes: async (name) => store.bytes(name) ?? null,
    cutTail: async (name, n) => {
      const bytes = store.bytes(name)!;
      store.put(name, bytes.subarray(0, bytes.length - n));
    },
    cleanup: async () => undefined,
  };
});
