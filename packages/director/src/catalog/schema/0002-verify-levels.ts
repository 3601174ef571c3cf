/**
 * Schema version 2: a Verify job's level is stored, in Bareos's letters (include/
 * job_level.h): V InitCatalog, C Catalog, O VolumeToCatalog, d DiskToCatalog,
 * A Data. Version 1 allowed only F, I, D and blank, so verify jobs were stored blank
 * and the last InitCatalog could only be guessed.
 *
 * SQLite cannot change a CHECK constraint in place, so the Job table is rebuilt
 * (SQLite's documented procedure, run with foreign keys off: migrate.ts does that for
 * a migration that says `rebuildsTables`). Its AUTOINCREMENT counter is carried over,
 * so no job id is ever handed out twice. Verify jobs of version 1 get their level back
 * from their own start line ("Start Verify JobId=N Level=X Job=..."), or, with no log
 * left, InitCatalog when they stored files (only InitCatalog does); else they stay blank.
 */
export const VERIFY_LEVELS_SCHEMA = `
CREATE TABLE Job_new (
  JobId INTEGER PRIMARY KEY AUTOINCREMENT,
  Job TEXT NOT NULL UNIQUE,
  Name TEXT NOT NULL,
  Type TEXT NOT NULL CHECK (Type IN ('B','R','V')),
  Level TEXT NOT NULL CHECK (Level IN ('F','I','D','V','C','O','d','A',' ')),
  JobStatus TEXT NOT NULL DEFAULT 'C',
  ClientId INTEGER REFERENCES Client(ClientId),
  FileSetId INTEGER REFERENCES FileSet(FileSetId),
  PoolId INTEGER REFERENCES Pool(PoolId),
  StorageId INTEGER REFERENCES Storage(StorageId),
  PriorJobId INTEGER REFERENCES Job(JobId),
  SchedTime INTEGER NOT NULL,
  StartTime INTEGER,
  EndTime INTEGER,
  Since INTEGER,
  JobFiles INTEGER NOT NULL DEFAULT 0,
  JobBytes INTEGER NOT NULL DEFAULT 0,
  ReadBytes INTEGER NOT NULL DEFAULT 0,
  JobErrors INTEGER NOT NULL DEFAULT 0
);
INSERT INTO Job_new (JobId, Job, Name, Type, Level, JobStatus, ClientId, FileSetId, PoolId, StorageId,
    PriorJobId, SchedTime, StartTime, EndTime, Since, JobFiles, JobBytes, ReadBytes, JobErrors)
  SELECT JobId, Job, Name, Type, Level, JobStatus, ClientId, FileSetId, PoolId, StorageId,
    PriorJobId, SchedTime, StartTime, EndTime, Since, JobFiles, JobBytes, ReadBytes, JobErrors FROM Job;
DELETE FROM sqlite_sequence WHERE name = 'Job_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'Job_new', seq FROM sqlite_sequence WHERE name = 'Job';
DROP TABLE Job;
ALTER TABLE Job_new RENAME TO Job;
CREATE INDEX Job_Name ON Job (Name, ClientId, FileSetId, JobStatus);
CREATE INDEX Job_Client ON Job (ClientId, FileSetId, Type);
CREATE INDEX Job_Status ON Job (JobStatus);

UPDATE Job SET Level = COALESCE((
    SELECT CASE
      WHEN L.LogText LIKE '% Level=InitCatalog %' THEN 'V'
      WHEN L.LogText LIKE '% Level=Catalog %' THEN 'C'
      WHEN L.LogText LIKE '% Level=VolumeToCatalog %' THEN 'O'
      WHEN L.LogText LIKE '% Level=DiskToCatalog %' THEN 'd'
      WHEN L.LogText LIKE '% Level=Data %' THEN 'A'
    END
    FROM Log L WHERE L.JobId = Job.JobId AND L.LogText LIKE '%Start Verify JobId=%'
    ORDER BY L.LogId LIMIT 1),
  CASE WHEN EXISTS (SELECT 1 FROM File F WHERE F.JobId = Job.JobId) THEN 'V' END,
  ' ')
WHERE Type = 'V' AND Level = ' ';
`;
