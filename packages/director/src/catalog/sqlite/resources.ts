import type Database from 'better-sqlite3';
import type { Catalog } from '../catalog.js';
import type { ClientRow, FileSetRow, PoolInput, PoolRow, StorageRow } from '../types.js';

type ResourceOps = Pick<Catalog, 'ensureClient' | 'ensureFileSet' | 'ensurePool' | 'ensureStorage'
  | 'getClient' | 'getPool' | 'getStorage' | 'getFileSet'>;

const POOL_COLUMNS = `PoolId AS poolId, Name AS name, PoolType AS poolType, LabelFormat AS labelFormat,
  MaxVols AS maximumVolumes, MaxVolJobs AS maximumVolumeJobs, MaxVolBytes AS maximumVolumeBytes,
  VolUseDuration AS volumeUseDuration, VolRetention AS volumeRetention,
  AutoPrune AS autoPrune, Recycle AS recycle`;

type RawPool = Omit<PoolRow, 'autoPrune' | 'recycle'> & { autoPrune: number; recycle: number };

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
    poolUpsert: db.prepare(`INSERT INTO Pool (Name, PoolType, LabelFormat, MaxVols, MaxVolJobs,
        MaxVolBytes, VolUseDuration, VolRetention, AutoPrune, Recycle)
      VALUES (@name, @poolType, @labelFormat, @maximumVolumes, @maximumVolumeJobs,
        @maximumVolumeBytes, @volumeUseDuration, @volumeRetention, @autoPrune, @recycle)
      ON CONFLICT (Name) DO UPDATE SET PoolType = excluded.PoolType,
        LabelFormat = excluded.LabelFormat, MaxVols = excluded.MaxVols,
        MaxVolJobs = excluded.MaxVolJobs, MaxVolBytes = excluded.MaxVolBytes,
        VolUseDuration = excluded.VolUseDuration, VolRetention = excluded.VolRetention,
        AutoPrune = excluded.AutoPrune, Recycle = excluded.Recycle
      RETURNING PoolId AS id`),
  };

  // Insert-if-absent then read back: one code path whether or not the row existed.
  const ensureNamed = (add: Database.Statement, get: Database.Statement, key: 'clientId' | 'storageId') =>
    (name: string): number => {
      add.run(name);
      return (get.get(name) as Record<typeof key, number>)[key];
    };

  const getPool = (name: string): PoolRow | undefined => {
    const raw = stmt.poolGet.get(name) as RawPool | undefined;
    return raw === undefined ? undefined
      : { ...raw, autoPrune: raw.autoPrune !== 0, recycle: raw.recycle !== 0 };
  };

  return {
    ensureClient: ensureNamed(stmt.clientAdd, stmt.clientGet, 'clientId'),
    ensureStorage: ensureNamed(stmt.storageAdd, stmt.storageGet, 'storageId'),
    ensureFileSet(name, digest) {
      const found = stmt.fileSetFind.get(name, digest) as { id: number } | undefined;
      if (found !== undefined) return found.id;
      return Number(stmt.fileSetAdd.run(name, digest, now()).lastInsertRowid);
    },
    ensurePool(pool: PoolInput) {
      const row = stmt.poolUpsert.get({
        name: pool.name,
        poolType: pool.poolType ?? 'Backup',
        labelFormat: pool.labelFormat ?? null,
        maximumVolumes: pool.maximumVolumes ?? 0,
        maximumVolumeJobs: pool.maximumVolumeJobs ?? 0,
        maximumVolumeBytes: pool.maximumVolumeBytes ?? 0,
        volumeUseDuration: pool.volumeUseDuration ?? 0,
        volumeRetention: pool.volumeRetention ?? 0,
        autoPrune: pool.autoPrune === false ? 0 : 1,
        recycle: pool.recycle === false ? 0 : 1,
      }) as { id: number };
      return row.id;
    },
    getClient: (name) => stmt.clientGet.get(name) as ClientRow | undefined,
    getStorage: (name) => stmt.storageGet.get(name) as StorageRow | undefined,
    getFileSet: (id) => stmt.fileSetGet.get(id) as FileSetRow | undefined,
    getPool,
  };
}
