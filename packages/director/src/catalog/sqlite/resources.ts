import type Database from 'better-sqlite3';
import type { Catalog } from '../catalog.js';
import type { ClientRow, FileSetRow, PoolInput, PoolRow, StorageRow } from '../types.js';

type ResourceOps = Pick<Catalog, 'ensureClient' | 'ensureFileSet' | 'ensurePool' | 'ensureStorage'
  | 'getClient' | 'getPool' | 'getPoolById' | 'listPools' | 'getStorage' | 'getFileSet'>;

const POOL_COLUMNS = `PoolId AS poolId, Name AS name, PoolType AS poolType, LabelFormat AS labelFormat,
  MaxVols AS maximumVolumes, MaxVolJobs AS maximumVolumeJobs, MaxVolFiles AS maximumVolumeFiles,
  MaxVolBytes AS maximumVolumeBytes, VolUseDuration AS volumeUseDuration, VolRetention AS volumeRetention,
  FileRetention AS fileRetention, JobRetention AS jobRetention, AutoPrune AS autoPrune, Recycle AS recycle,
  RecycleOldestVolume AS recycleOldestVolume, PurgeOldestVolume AS purgeOldestVolume,
  RecycleCurrentVolume AS recycleCurrentVolume, RecyclePoolId AS recyclePoolId, ScratchPoolId AS scratchPoolId,
  ActionOnPurge AS actionOnPurge, CleaningPrefix AS cleaningPrefix, MinBlocksize AS minBlocksize,
  MaxBlocksize AS maxBlocksize, AllowedClients AS allowedClients`;

const POOL_FLAGS = ['autoPrune', 'recycle', 'recycleOldestVolume', 'purgeOldestVolume', 'recycleCurrentVolume'] as const;
type RawPool = Omit<PoolRow, (typeof POOL_FLAGS)[number] | 'allowedClients'> & Record<(typeof POOL_FLAGS)[number], number> & { allowedClients: string };

function toPoolRow(raw: unknown): PoolRow | undefined {
  if (raw === undefined) return undefined;
  const r = raw as RawPool;
  const row = { ...r } as unknown as PoolRow;
  for (const f of POOL_FLAGS) row[f] = r[f] !== 0;
  row.allowedClients = JSON.parse(r.allowedClients) as string[];
  return row;
}

/** A PoolInput with every default filled, as the upsert binds it. */
function poolParams(pool: PoolInput): Record<string, string | number | null> {
  const flag = (v: boolean | undefined, dflt: boolean): number => ((v ?? dflt) ? 1 : 0);
  return {
    name: pool.name, poolType: pool.poolType ?? 'Backup', labelFormat: pool.labelFormat ?? null,
    maximumVolumes: pool.maximumVolumes ?? 0, maximumVolumeJobs: pool.maximumVolumeJobs ?? 0,
    maximumVolumeFiles: pool.maximumVolumeFiles ?? 0, maximumVolumeBytes: pool.maximumVolumeBytes ?? 0,
    volumeUseDuration: pool.volumeUseDuration ?? 0, volumeRetention: pool.volumeRetention ?? 0,
    fileRetention: pool.fileRetention ?? 0, jobRetention: pool.jobRetention ?? 0,
    autoPrune: flag(pool.autoPrune, true), recycle: flag(pool.recycle, true),
    recycleOldestVolume: flag(pool.recycleOldestVolume, false), purgeOldestVolume: flag(pool.purgeOldestVolume, false),
    recycleCurrentVolume: flag(pool.recycleCurrentVolume, false), recyclePoolId: pool.recyclePoolId ?? null,
    scratchPoolId: pool.scratchPoolId ?? null, actionOnPurge: pool.actionOnPurge ?? 0,
    cleaningPrefix: pool.cleaningPrefix ?? 'CLN', minBlocksize: pool.minBlocksize ?? 0, maxBlocksize: pool.maxBlocksize ?? 0,
    allowedClients: JSON.stringify(pool.allowedClients ?? []),
  };
}

const POOL_UPDATED = ['PoolType', 'LabelFormat', 'MaxVols', 'MaxVolJobs', 'MaxVolFiles', 'MaxVolBytes', 'VolUseDuration',
  'VolRetention', 'FileRetention', 'JobRetention', 'AutoPrune', 'Recycle', 'RecycleOldestVolume', 'PurgeOldestVolume',
  'RecycleCurrentVolume', 'RecyclePoolId', 'ScratchPoolId', 'ActionOnPurge', 'CleaningPrefix', 'MinBlocksize',
  'MaxBlocksize', 'AllowedClients'];

/** Client, Storage, FileSet and Pool rows: written from the configuration, looked up by name. */
export function resourceOps(db: Database.Database, now: () => number): ResourceOps {
  const stmt = {
    clientGet: db.prepare('SELECT ClientId AS clientId, Name AS name FROM Client WHERE Name = ?'),
    clientAdd: db.prepare('INSERT INTO Client (Name) VALUES (?) ON CONFLICT (Name) DO NOTHING'),
    storageGet: db.prepare('SELECT StorageId AS storageId, Name AS name FROM Storage WHERE Name = ?'),
    storageAdd: db.prepare('INSERT INTO Storage (Name) VALUES (?) ON CONFLICT (Name) DO NOTHING'),
    fileSetFind: db.prepare('SELECT FileSetId AS id FROM FileSet WHERE Name = ? AND Digest = ?'),
    fileSetAdd: db.prepare('INSERT INTO FileSet (Name, Digest, CreateTime) VALUES (?, ?, ?)'),
    fileSetGet: db.prepare(`SELECT FileSetId AS fileSetId, Name AS name, Digest AS digest,
      CreateTime AS createTime FROM FileSet WHERE FileSetId = ?`),
    poolGet: db.prepare(`SELECT ${POOL_COLUMNS} FROM Pool WHERE Name = ?`),
    poolById: db.prepare(`SELECT ${POOL_COLUMNS} FROM Pool WHERE PoolId = ?`),
    poolAll: db.prepare(`SELECT ${POOL_COLUMNS} FROM Pool ORDER BY PoolId`),
    poolUpsert: db.prepare(`INSERT INTO Pool (Name, PoolType, LabelFormat, MaxVols, MaxVolJobs, MaxVolFiles,
        MaxVolBytes, VolUseDuration, VolRetention, FileRetention, JobRetention, AutoPrune, Recycle,
        RecycleOldestVolume, PurgeOldestVolume, RecycleCurrentVolume, RecyclePoolId, ScratchPoolId,
        ActionOnPurge, CleaningPrefix, MinBlocksize, MaxBlocksize, AllowedClients)
      VALUES (@name, @poolType, @labelFormat, @maximumVolumes, @maximumVolumeJobs, @maximumVolumeFiles,
        @maximumVolumeBytes, @volumeUseDuration, @volumeRetention, @fileRetention, @jobRetention, @autoPrune,
        @recycle, @recycleOldestVolume, @purgeOldestVolume, @recycleCurrentVolume, @recyclePoolId,
        @scratchPoolId, @actionOnPurge, @cleaningPrefix, @minBlocksize, @maxBlocksize, @allowedClients)
      ON CONFLICT (Name) DO UPDATE SET ${POOL_UPDATED.map((c) => `${c} = excluded.${c}`).join(', ')}
      RETURNING PoolId AS id`),
  };

  // Insert-if-absent then read back: one code path whether or not the row existed.
  const ensureNamed = (add: Database.Statement, get: Database.Statement, key: 'clientId' | 'storageId') =>
    async (name: string): Promise<number> => {
      add.run(name);
      return (get.get(name) as Record<typeof key, number>)[key];
    };

  // Asynchronous by the interface; here each runs when it is called, so writes keep their order.
  return {
    ensureClient: ensureNamed(stmt.clientAdd, stmt.clientGet, 'clientId'),
    ensureStorage: ensureNamed(stmt.storageAdd, stmt.storageGet, 'storageId'),
    async ensureFileSet(name, digest) {
      const found = stmt.fileSetFind.get(name, digest) as { id: number } | undefined;
      if (found !== undefined) return found.id;
      return Number(stmt.fileSetAdd.run(name, digest, now()).lastInsertRowid);
    },
    async ensurePool(pool: PoolInput) {
      return (stmt.poolUpsert.get(poolParams(pool)) as { id: number }).id;
    },
    getClient: async (name) => stmt.clientGet.get(name) as ClientRow | undefined,
    getStorage: async (name) => stmt.storageGet.get(name) as StorageRow | undefined,
    getFileSet: async (id) => stmt.fileSetGet.get(id) as FileSetRow | undefined,
    getPool: async (name) => toPoolRow(stmt.poolGet.get(name)),
    getPoolById: async (poolId) => toPoolRow(stmt.poolById.get(poolId)),
    listPools: async () => stmt.poolAll.all().map((r) => toPoolRow(r) as PoolRow),
  };
}
