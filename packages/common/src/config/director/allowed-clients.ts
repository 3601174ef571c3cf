/**
 * Cartridge sets per client (afbackup's per-client cartridge sets; Bareos has no such
 * directive): a Pool with `Allowed Clients` takes only those Clients' data. One rule and
 * one message, used where the configuration is loaded, where the Director chooses a
 * job's pool or moves a volume between pools, and where the Storage daemon reserves a
 * drive for a session, so every refusal reads the same.
 */

/** A pool as the rule needs it: its name and Allowed Clients (empty: any client). */
export interface ClientLimitedPool {
  readonly name: string;
  readonly allowedClients: readonly string[];
}

/** Whether the pool takes this client's data; names compare as resource names do (case-insensitive). */
export function poolAllowsClient(pool: ClientLimitedPool, client: string): boolean {
  if (pool.allowedClients.length === 0) return true;
  const wanted = client.toLowerCase();
  return pool.allowedClients.some((c) => c.toLowerCase() === wanted);
}

/** Why the pool refuses the client's data, or null when it takes it. */
export function poolRefusal(pool: ClientLimitedPool, client: string): string | null {
  if (poolAllowsClient(pool, client)) return null;
  return `Pool "${pool.name}" takes data only of its Allowed Clients (${pool.allowedClients.join(', ')}), `
    + `not of Client "${client}"`;
}
