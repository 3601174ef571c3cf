/**
 * Schema version 3: what Bareos keeps per volume and per pool for the media lifecycle
 * (dird/next_vol.cc, recycle.cc, ua_update.cc; cats/make_*_tables), so that limits,
 * pruning, purging and recycling have their columns:
 *
 * - Media: each volume's own copy of the pool's limits, as Bareos keeps them (a change
 *   of the Pool resource reaches existing volumes only through `update volume
 *   frompool`/`fromallpools`): MaxVolJobs, MaxVolFiles, VolUseDuration (ms, counted
 *   from FirstWritten), Recycle, RecyclePoolId, ScratchPoolId, ActionOnPurge (Bareos's
 *   bit 1 = Truncate), Min/MaxBlocksize; its history: RecycleCount, VolMounts,
 *   VolErrors, InitialWrite (the first write ever, kept across recycling, where
 *   FirstWritten restarts). Enabled is Bareos's 0 disabled, 1 enabled, 2 archived.
 *   VolStatus gains Unlabeled (a record made by `add`, not yet labelled), Cleaning
 *   (a cleaning cartridge) and Disabled. SQLite cannot change a CHECK constraint in
 *   place, so Media is rebuilt (every row and MediaId kept; File and JobMedia refer
 *   to it, so migrate.ts checks the references before committing).
 * - Pool: the Pool resource's further directives, so the media module reads one row:
 *   MaxVolFiles, RecyclePoolId, ScratchPoolId, ActionOnPurge, CleaningPrefix, File and
 *   Job Retention (ms, 0 = not set: the Client's apply), Recycle/Purge Oldest Volume,
 *   Recycle Current Volume, Min/MaxBlocksize.
 * - Job: PurgedFiles, set once the job's File rows are pruned or purged (Bareos's
 *   column): the job still shows in listings, but its files can no longer be chosen.
 * Existing volumes take their pool's current values for the new limits, as `update
 * volume fromallpools` would give them.
 */
export const MEDIA_LIFECYCLE_SCHEMA = `
ALTER TABLE Pool ADD COLUMN MaxVolFiles INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Pool ADD COLUMN RecyclePoolId INTEGER REFERENCES Pool(PoolId);
ALTER TABLE Pool ADD COLUMN ScratchPoolId INTEGER REFERENCES Pool(PoolId);
ALTER TABLE Pool ADD COLUMN ActionOnPurge INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Pool ADD COLUMN CleaningPrefix TEXT NOT NULL DEFAULT 'CLN';
ALTER TABLE Pool ADD COLUMN FileRetention INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Pool ADD COLUMN JobRetention INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Pool ADD COLUMN RecycleOldestVolume INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Pool ADD COLUMN PurgeOldestVolume INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Pool ADD COLUMN RecycleCurrentVolume INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Pool ADD COLUMN MinBlocksize INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Pool ADD COLUMN MaxBlocksize INTEGER NOT NULL DEFAULT 0;

ALTER TABLE Job ADD COLUMN PurgedFiles INTEGER NOT NULL DEFAULT 0;

CREATE TABLE Media_new (
  MediaId INTEGER PRIMARY KEY,
  VolumeName TEXT NOT NULL UNIQUE,
  PoolId INTEGER NOT NULL REFERENCES Pool(PoolId),
  MediaType TEXT NOT NULL,
  StorageId INTEGER REFERENCES Storage(StorageId),
  VolStatus TEXT NOT NULL DEFAULT 'Append' CHECK (VolStatus IN
    ('Append','Full','Used','Error','Purged','Recycle','Archive','Read-Only',
     'Unlabeled','Cleaning','Disabled')),
  VolBytes INTEGER NOT NULL DEFAULT 0,
  VolBlocks INTEGER NOT NULL DEFAULT 0,
  VolJobs INTEGER NOT NULL DEFAULT 0,
  VolFiles INTEGER NOT NULL DEFAULT 0,
  VolMounts INTEGER NOT NULL DEFAULT 0,
  VolErrors INTEGER NOT NULL DEFAULT 0,
  MaxVolBytes INTEGER NOT NULL DEFAULT 0,
  MaxVolJobs INTEGER NOT NULL DEFAULT 0,
  MaxVolFiles INTEGER NOT NULL DEFAULT 0,
  VolRetention INTEGER NOT NULL DEFAULT 0,
  VolUseDuration INTEGER NOT NULL DEFAULT 0,
  Recycle INTEGER NOT NULL DEFAULT 1,
  RecycleCount INTEGER NOT NULL DEFAULT 0,
  RecyclePoolId INTEGER REFERENCES Pool(PoolId),
  ScratchPoolId INTEGER REFERENCES Pool(PoolId),
  ActionOnPurge INTEGER NOT NULL DEFAULT 0,
  MinBlocksize INTEGER NOT NULL DEFAULT 0,
  MaxBlocksize INTEGER NOT NULL DEFAULT 0,
  InitialWrite INTEGER,
  FirstWritten INTEGER,
  LastWritten INTEGER,
  LabelDate INTEGER,
  Slot INTEGER NOT NULL DEFAULT 0,
  InChanger INTEGER NOT NULL DEFAULT 0,
  Enabled INTEGER NOT NULL DEFAULT 1 CHECK (Enabled IN (0, 1, 2)),
  CreateTime INTEGER NOT NULL
);
INSERT INTO Media_new (MediaId, VolumeName, PoolId, MediaType, StorageId, VolStatus, VolBytes,
    VolBlocks, VolJobs, VolFiles, MaxVolBytes, MaxVolJobs, VolRetention, VolUseDuration, Recycle,
    InitialWrite, FirstWritten, LastWritten, LabelDate, Slot, InChanger, Enabled, CreateTime)
  SELECT M.MediaId, M.VolumeName, M.PoolId, M.MediaType, M.StorageId, M.VolStatus, M.VolBytes,
    M.VolBlocks, M.VolJobs, M.VolFiles, M.MaxVolBytes, P.MaxVolJobs, M.VolRetention,
    P.VolUseDuration, P.Recycle, M.FirstWritten, M.FirstWritten, M.LastWritten, M.LabelDate,
    M.Slot, M.InChanger, CASE WHEN M.Enabled = 0 THEN 0 ELSE 1 END, M.CreateTime
  FROM Media M JOIN Pool P ON P.PoolId = M.PoolId;
DROP TABLE Media;
ALTER TABLE Media_new RENAME TO Media;
CREATE INDEX Media_Pool ON Media (PoolId, MediaType, VolStatus);
CREATE INDEX Media_RecyclePool ON Media (RecyclePoolId);
`;
