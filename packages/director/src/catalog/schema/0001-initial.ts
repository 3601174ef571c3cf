/**
 * Schema version 1: Bareos's catalog tables in spirit. Names and paths are BLOBs
 * (Linux names need not be UTF-8); times are epoch milliseconds; a File row carries
 * MediaId + Addr + FileIndex so a restore positions straight to it.
 * Never edit a migration once released: add the next number instead.
 */
export const INITIAL_SCHEMA = `
CREATE TABLE Client (
  ClientId INTEGER PRIMARY KEY,
  Name TEXT NOT NULL UNIQUE
);

CREATE TABLE Storage (
  StorageId INTEGER PRIMARY KEY,
  Name TEXT NOT NULL UNIQUE
);

-- One row per distinct digest of the include/exclude lists (Bareos's FileSet.MD5).
CREATE TABLE FileSet (
  FileSetId INTEGER PRIMARY KEY,
  Name TEXT NOT NULL,
  Digest TEXT NOT NULL,
  CreateTime INTEGER NOT NULL,
  UNIQUE (Name, Digest)
);

CREATE TABLE Pool (
  PoolId INTEGER PRIMARY KEY,
  Name TEXT NOT NULL UNIQUE,
  PoolType TEXT NOT NULL DEFAULT 'Backup',
  LabelFormat TEXT,
  MaxVols INTEGER NOT NULL DEFAULT 0,
  MaxVolJobs INTEGER NOT NULL DEFAULT 0,
  MaxVolBytes INTEGER NOT NULL DEFAULT 0,
  VolUseDuration INTEGER NOT NULL DEFAULT 0,
  VolRetention INTEGER NOT NULL DEFAULT 0,
  AutoPrune INTEGER NOT NULL DEFAULT 1,
  Recycle INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE Media (
  MediaId INTEGER PRIMARY KEY,
  VolumeName TEXT NOT NULL UNIQUE,
  PoolId INTEGER NOT NULL REFERENCES Pool(PoolId),
  MediaType TEXT NOT NULL,
  StorageId INTEGER REFERENCES Storage(StorageId),
  VolStatus TEXT NOT NULL DEFAULT 'Append' CHECK (VolStatus IN
    ('Append','Full','Used','Error','Purged','Recycle','Archive','Read-Only')),
  VolBytes INTEGER NOT NULL DEFAULT 0,
  VolBlocks INTEGER NOT NULL DEFAULT 0,
  VolJobs INTEGER NOT NULL DEFAULT 0,
  VolFiles INTEGER NOT NULL DEFAULT 0,
  MaxVolBytes INTEGER NOT NULL DEFAULT 0,
  VolRetention INTEGER NOT NULL DEFAULT 0,
  FirstWritten INTEGER,
  LastWritten INTEGER,
  LabelDate INTEGER,
  Slot INTEGER NOT NULL DEFAULT 0,
  InChanger INTEGER NOT NULL DEFAULT 0,
  Enabled INTEGER NOT NULL DEFAULT 1,
  CreateTime INTEGER NOT NULL
);
CREATE INDEX Media_Pool ON Media (PoolId, MediaType, VolStatus);

-- AUTOINCREMENT: a job id is the session id on volumes, so it is never reused, even
-- after the newest job is deleted.
CREATE TABLE Job (
  JobId INTEGER PRIMARY KEY AUTOINCREMENT,
  Job TEXT NOT NULL UNIQUE,
  Name TEXT NOT NULL,
  Type TEXT NOT NULL CHECK (Type IN ('B','R','V')),
  Level TEXT NOT NULL CHECK (Level IN ('F','I','D',' ')),
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
-- lastSuccessfulJob and "list jobs job=NAME" search by name, client and fileset.
CREATE INDEX Job_Name ON Job (Name, ClientId, FileSetId, JobStatus);
CREATE INDEX Job_Client ON Job (ClientId, FileSetId, Type);
CREATE INDEX Job_Status ON Job (JobStatus);

CREATE TABLE JobMedia (
  JobMediaId INTEGER PRIMARY KEY,
  JobId INTEGER NOT NULL REFERENCES Job(JobId),
  MediaId INTEGER NOT NULL REFERENCES Media(MediaId),
  FirstIndex INTEGER NOT NULL,
  LastIndex INTEGER NOT NULL,
  StartAddr INTEGER NOT NULL,
  EndAddr INTEGER NOT NULL,
  VolIndex INTEGER NOT NULL
);
CREATE INDEX JobMedia_Job ON JobMedia (JobId, MediaId);
CREATE INDEX JobMedia_Media ON JobMedia (MediaId);

-- Directory part of a name, with its trailing slash, as raw bytes.
CREATE TABLE Path (
  PathId INTEGER PRIMARY KEY,
  Path BLOB NOT NULL UNIQUE
);

-- Name is the last component of the path, raw bytes. FileIndex 0: deleted (Accurate).
CREATE TABLE File (
  FileId INTEGER PRIMARY KEY,
  JobId INTEGER NOT NULL REFERENCES Job(JobId),
  PathId INTEGER NOT NULL REFERENCES Path(PathId),
  Name BLOB NOT NULL,
  FileIndex INTEGER NOT NULL,
  MediaId INTEGER REFERENCES Media(MediaId),
  Addr INTEGER NOT NULL DEFAULT 0,
  Type INTEGER NOT NULL DEFAULT 0,
  Size INTEGER NOT NULL DEFAULT 0,
  MTime INTEGER NOT NULL DEFAULT 0,
  Attributes BLOB NOT NULL,
  Digest BLOB,
  DigestAlgorithm INTEGER NOT NULL DEFAULT 0
);
-- The only File index: every extra one slows the insert hot path. Restores and
-- listings go by job; pruning goes by job through JobMedia.
CREATE INDEX File_JobPathName ON File (JobId, PathId, Name);

CREATE TABLE Log (
  LogId INTEGER PRIMARY KEY,
  JobId INTEGER REFERENCES Job(JobId),
  Time INTEGER NOT NULL,
  LogText TEXT NOT NULL
);
CREATE INDEX Log_Job ON Log (JobId);
`;
