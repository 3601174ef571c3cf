/** Fixtures shared by the catalog conformance suites (conformance.ts, conformance-media.ts). */
import assert from 'node:assert/strict';
import { BurrowError } from '@burrow/common/errors/index';
import type { Catalog } from './catalog.js';
import type { FileInput } from './types.js';

export interface CatalogFixture {
  catalog: Catalog;
  cleanup(): void;
}

export const T0 = 1_700_000_000_000;

/** A name that is not valid UTF-8 (latin1 "é" and a lone continuation byte). */
export const NON_UTF8 = Buffer.from([0x2f, 0x64, 0x61, 0x74, 0x61, 0x2f, 0xe9, 0x80, 0xff, 0x2e, 0x74, 0x78, 0x74]);

export function fileRow(path: Buffer | string, fileIndex: number, mediaId: number | null, addr: number): FileInput {
  const p = typeof path === 'string' ? Buffer.from(path) : path;
  return {
    fileIndex, path: p, mediaId, addr, type: 1, size: 10 * fileIndex, mtime: T0 + fileIndex,
    attributes: Buffer.concat([Buffer.from([0x0a]), p]), digest: Buffer.from([fileIndex, 1, 2]), digestAlgorithm: 3,
  };
}

/** A client, fileset, pool and one appendable volume: what most checks start from. */
export async function seed(c: Catalog): Promise<{ clientId: number; fileSetId: number; poolId: number; mediaId: number }> {
  const clientId = await c.ensureClient('client1-fd');
  const fileSetId = await c.ensureFileSet('LinuxAll', 'digest-1');
  const poolId = await c.ensurePool({ name: 'Full', labelFormat: 'Full-', maximumVolumeBytes: 1 << 30 });
  const mediaId = await c.createMedia({ volumeName: 'Full-0001', poolId, mediaType: 'File', createTime: T0 });
  return { clientId, fileSetId, poolId, mediaId };
}

export async function backup(c: Catalog, s: Awaited<ReturnType<typeof seed>>, level: 'F' | 'I' | 'D', at: number): Promise<number> {
  const jobId = await c.createJob({ name: 'backup-client1', type: 'B', level, clientId: s.clientId,
    fileSetId: s.fileSetId, poolId: s.poolId, schedTime: at });
  await c.startJob(jobId, at + 1);
  return jobId;
}

/** The code of the BurrowError `work` rejects with ('no error' if it resolves). */
export async function rejectionCode(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    assert.ok(err instanceof BurrowError, `expected a BurrowError, got ${String(err)}`);
    return err.code;
  }
  return 'no error';
}
