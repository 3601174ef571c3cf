/**
 * Schema version 4: Log ids are never handed out twice. Pruning deletes a job's Log
 * rows; without AUTOINCREMENT SQLite would give the next line the id of a deleted one,
 * below the place the `messages` command keeps in the log, and that line would never
 * be shown. Log is rebuilt with AUTOINCREMENT (its counter starts above every id kept).
 */
export const LOG_IDS_SCHEMA = `
CREATE TABLE Log_new (
  LogId INTEGER PRIMARY KEY AUTOINCREMENT,
  JobId INTEGER REFERENCES Job(JobId),
  Time INTEGER NOT NULL,
  LogText TEXT NOT NULL
);
INSERT INTO Log_new (LogId, JobId, Time, LogText) SELECT LogId, JobId, Time, LogText FROM Log;
DROP TABLE Log;
ALTER TABLE Log_new RENAME TO Log;
CREATE INDEX Log_Job ON Log (JobId);
`;
