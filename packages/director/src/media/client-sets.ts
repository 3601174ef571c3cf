/**
 * Cartridge sets per client, for volumes that move between pools: a volume holding data
 * of a Client may go only into a pool whose Allowed Clients take that Client
 * (allowed-clients.ts), so no path (`update volume pool=`, a move out of the scratch
 * pool) puts one client's data in another's cartridge set. A purged volume holds no
 * job's data any more and may go anywhere (its Recycle Pool included).
 */
import { poolAllowsClient } from '@burrow/common/config/index';
import type { Catalog, PoolRow } from '../catalog/index.js';

/** The Clients with jobs on the volume that the pool does not take; empty when it may move there. */
export async function clientsBarredFrom(catalog: Catalog, mediaId: number, pool: Pick<PoolRow, 'name' | 'allowedClients'>): Promise<string[]> {
  if (pool.allowedClients.length === 0) return [];
  const clients = new Set((await catalog.jobsOnMedia(mediaId)).map((j) => j.clientName ?? ''));
  return [...clients].filter((c) => !poolAllowsClient(pool, c)).sort();
}

/** The refusal of a move, in words for the operator, or null when the volume may go. */
export async function moveRefusal(catalog: Catalog, m: { mediaId: number; volumeName: string }, pool: Pick<PoolRow, 'name' | 'allowedClients'>): Promise<string | null> {
  const barred = await clientsBarredFrom(catalog, m.mediaId, pool);
  if (barred.length === 0) return null;
  return `Volume "${m.volumeName}" holds data of Client${barred.length > 1 ? 's' : ''} ${barred.map((c) => `"${c}"`).join(', ')}, `
    + `which Pool "${pool.name}" does not take (Allowed Clients: ${pool.allowedClients.join(', ')})`;
}
