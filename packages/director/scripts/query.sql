#
# Queries for the bconsole "query" command (Director directive QueryFile).
#
# Format (Bareos's): a line ":Title" starts a query and is its menu entry; each
# "*Prompt" line asks the console for a value, which replaces %1, %2, ... in order;
# then SQL statements, each ending with ";" at the end of a line. A statement that
# starts with "!" is listed one value per line. Lines starting with "#" are comments.
#
# Burrow binds every answer as an SQL parameter (it is never pasted into the SQL) and
# runs each statement on a read-only connection: only SELECT and WITH statements
# are accepted. Written against Burrow's catalog (times are milliseconds since 1970,
# shown here in the Director's local time; file and path names are byte strings).
#

:List up to 20 places where a file is saved, whatever its directory and client
*Enter the file name (without its directory):
SELECT DISTINCT Job.JobId, Client.Name AS Client, Path.Path, File.Name,
  datetime(Job.StartTime / 1000, 'unixepoch', 'localtime') AS StartTime, Job.Level,
  Job.JobFiles, ROUND(Job.JobBytes / 1073741824.0, 3) AS GB
 FROM File
 JOIN Path ON Path.PathId = File.PathId
 JOIN Job ON Job.JobId = File.JobId
 JOIN Client ON Client.ClientId = Job.ClientId
 WHERE File.Name = CAST('%1' AS BLOB) AND File.FileIndex > 0 AND Job.JobStatus IN ('T', 'W')
 ORDER BY Job.StartTime
 LIMIT 20;

:List the volumes holding the newest copies of a file of a client
*Enter the directory, with its trailing slash:
*Enter the file name:
*Enter the Client name:
SELECT DISTINCT Job.JobId, datetime(Job.StartTime / 1000, 'unixepoch', 'localtime') AS StartTime,
  Media.VolumeName, Client.Name AS Client
 FROM File
 JOIN Path ON Path.PathId = File.PathId
 JOIN Job ON Job.JobId = File.JobId
 JOIN Client ON Client.ClientId = Job.ClientId
 JOIN Media ON Media.MediaId = File.MediaId
 WHERE Path.Path = CAST('%1' AS BLOB) AND File.Name = CAST('%2' AS BLOB) AND Client.Name = '%3'
   AND File.FileIndex > 0
 ORDER BY Job.StartTime DESC
 LIMIT 5;

:List the last 20 Full backups of a Client
*Enter the Client name:
SELECT Job.JobId, Client.Name AS Client, datetime(Job.StartTime / 1000, 'unixepoch', 'localtime') AS StartTime,
  Job.JobFiles, ROUND(Job.JobBytes / 1073741824.0, 3) AS GB
 FROM Job JOIN Client ON Client.ClientId = Job.ClientId
 WHERE Client.Name = '%1' AND Job.Type = 'B' AND Job.Level = 'F' AND Job.JobStatus IN ('T', 'W')
 ORDER BY Job.StartTime DESC
 LIMIT 20;

:List every backup of a Client since a time
*Enter the Client name:
*Enter the time as YYYY-MM-DD HH:MM:SS:
SELECT Job.JobId, Client.Name AS Client, Job.Level,
  datetime(Job.StartTime / 1000, 'unixepoch', 'localtime') AS StartTime,
  Job.JobFiles, ROUND(Job.JobBytes / 1073741824.0, 3) AS GB,
  (SELECT COUNT(DISTINCT JobMedia.MediaId) FROM JobMedia WHERE JobMedia.JobId = Job.JobId) AS Volumes
 FROM Job JOIN Client ON Client.ClientId = Job.ClientId
 WHERE Client.Name = '%1' AND Job.Type = 'B' AND Job.JobStatus IN ('T', 'W')
   AND Job.StartTime >= CAST(strftime('%s', '%2', 'utc') AS INTEGER) * 1000
 ORDER BY Job.StartTime;

:List every backup of a Client with its FileSet and the number of volumes it used
*Enter the Client name:
SELECT Job.JobId, Client.Name AS Client, FileSet.Name AS FileSet, Job.Level,
  datetime(Job.StartTime / 1000, 'unixepoch', 'localtime') AS StartTime,
  Job.JobFiles, ROUND(Job.JobBytes / 1073741824.0, 3) AS GB,
  (SELECT COUNT(DISTINCT JobMedia.MediaId) FROM JobMedia WHERE JobMedia.JobId = Job.JobId) AS Volumes
 FROM Job
 JOIN Client ON Client.ClientId = Job.ClientId
 LEFT JOIN FileSet ON FileSet.FileSetId = Job.FileSetId
 WHERE Client.Name = '%1' AND Job.Type = 'B' AND Job.JobStatus IN ('T', 'W')
 ORDER BY Job.StartTime;

:List the attributes of a volume
*Enter the volume name:
!SELECT Media.VolumeName, Pool.Name AS Pool, Media.MediaType, Media.VolStatus, Media.Enabled,
  Media.VolJobs, Media.VolFiles, Media.VolBytes, Media.MaxVolBytes,
  Media.VolRetention / 86400000 AS VolRetentionDays,
  datetime(Media.LabelDate / 1000, 'unixepoch', 'localtime') AS LabelDate,
  datetime(Media.FirstWritten / 1000, 'unixepoch', 'localtime') AS FirstWritten,
  datetime(Media.LastWritten / 1000, 'unixepoch', 'localtime') AS LastWritten,
  Media.Slot, Media.InChanger
 FROM Media JOIN Pool ON Pool.PoolId = Media.PoolId
 WHERE Media.VolumeName = '%1';

:List the volumes a job used
*Enter the JobId:
SELECT JobMedia.JobId, Media.VolumeName, JobMedia.VolIndex, JobMedia.FirstIndex, JobMedia.LastIndex
 FROM JobMedia JOIN Media ON Media.MediaId = JobMedia.MediaId
 WHERE JobMedia.JobId = %1
 ORDER BY JobMedia.VolIndex;

:List the volumes needed to restore the newest state of a Client
*Enter the Client name:
WITH who AS (SELECT ClientId FROM Client WHERE Name = '%1'),
 good AS (SELECT JobId, Level, StartTime FROM Job
   WHERE ClientId = (SELECT ClientId FROM who) AND Type = 'B' AND JobStatus IN ('T', 'W')),
 full AS (SELECT JobId, StartTime FROM good WHERE Level = 'F' ORDER BY StartTime DESC LIMIT 1),
 diff AS (SELECT JobId, StartTime FROM good WHERE Level = 'D' AND StartTime > (SELECT StartTime FROM full)
   ORDER BY StartTime DESC LIMIT 1),
 since AS (SELECT MAX(StartTime) AS t FROM (SELECT StartTime FROM full UNION ALL SELECT StartTime FROM diff)),
 chain AS (SELECT JobId FROM full UNION SELECT JobId FROM diff
   UNION SELECT JobId FROM good WHERE Level = 'I' AND StartTime > (SELECT t FROM since))
SELECT DISTINCT Media.VolumeName, Media.VolStatus, Media.MediaType
 FROM chain
 JOIN JobMedia ON JobMedia.JobId = chain.JobId
 JOIN Media ON Media.MediaId = JobMedia.MediaId
 ORDER BY Media.VolumeName;

:List the attributes of a pool
*Enter the pool name:
!SELECT Pool.Name, Pool.PoolType, Pool.LabelFormat, Pool.Recycle, Pool.AutoPrune,
  Pool.VolRetention / 86400000 AS VolRetentionDays, Pool.VolUseDuration / 1000 AS VolUseSeconds,
  Pool.MaxVols, Pool.MaxVolJobs, Pool.MaxVolBytes,
  (SELECT COUNT(*) FROM Media WHERE Media.PoolId = Pool.PoolId) AS Volumes
 FROM Pool WHERE Pool.Name = '%1';

:List the total files and bytes of each Job
SELECT Job.Name AS Job, COUNT(*) AS Jobs, SUM(Job.JobFiles) AS Files,
  ROUND(SUM(Job.JobBytes) / 1073741824.0, 3) AS GB
 FROM Job
 GROUP BY Job.Name
 ORDER BY Job.Name;

:List the total files and bytes of each volume
SELECT Media.VolumeName, COUNT(DISTINCT Job.JobId) AS Jobs, SUM(Job.JobFiles) AS Files,
  ROUND(SUM(Job.JobBytes) / 1073741824.0, 3) AS GB
 FROM Media
 JOIN JobMedia ON JobMedia.MediaId = Media.MediaId
 JOIN Job ON Job.JobId = JobMedia.JobId
 GROUP BY Media.VolumeName
 ORDER BY Media.VolumeName;

:List the files of a job
*Enter the JobId:
SELECT Path.Path, File.Name, File.Size
 FROM File JOIN Path ON Path.PathId = File.PathId
 WHERE File.JobId = %1 AND File.FileIndex > 0
 ORDER BY Path.Path, File.Name;

:List the jobs stored on a volume, by MediaId
*Enter the MediaId:
SELECT DISTINCT Job.JobId, Job.Name, datetime(Job.StartTime / 1000, 'unixepoch', 'localtime') AS StartTime,
  Job.Type, Job.Level, Job.JobFiles, ROUND(Job.JobBytes / 1073741824.0, 3) AS GB, Job.JobStatus
 FROM JobMedia JOIN Job ON Job.JobId = JobMedia.JobId
 WHERE JobMedia.MediaId = %1
 ORDER BY Job.StartTime;

:List the jobs stored on a volume, by name
*Enter the volume name:
SELECT DISTINCT Job.JobId, Job.Name, datetime(Job.StartTime / 1000, 'unixepoch', 'localtime') AS StartTime,
  Job.Type, Job.Level, Job.JobFiles AS Files, ROUND(Job.JobBytes / 1073741824.0, 3) AS GB, Job.JobStatus AS Status
 FROM Media
 JOIN JobMedia ON JobMedia.MediaId = Media.MediaId
 JOIN Job ON Job.JobId = JobMedia.JobId
 WHERE Media.VolumeName = '%1'
 ORDER BY Job.StartTime;

:List the volumes in Error, Full or disabled
SELECT Media.VolumeName, Pool.Name AS Pool, Media.VolStatus, Media.Enabled, Media.VolJobs,
  ROUND(Media.VolBytes / 1073741824.0, 3) AS GB,
  datetime(Media.LastWritten / 1000, 'unixepoch', 'localtime') AS LastWritten
 FROM Media JOIN Pool ON Pool.PoolId = Media.PoolId
 WHERE Media.VolStatus IN ('Error', 'Full') OR Media.Enabled = 0
 ORDER BY Media.VolStatus, Media.VolumeName;

:List each volume with the jobs on it
SELECT Media.VolumeName, Job.JobId, Job.Name AS Job,
  datetime(Job.StartTime / 1000, 'unixepoch', 'localtime') AS StartTime,
  Job.JobFiles AS Files, ROUND(Job.JobBytes / 1073741824.0, 3) AS GB
 FROM Media
 JOIN JobMedia ON JobMedia.MediaId = Media.MediaId
 JOIN Job ON Job.JobId = JobMedia.JobId
 GROUP BY Media.VolumeName, Job.JobId
 ORDER BY Media.VolumeName, Job.StartTime;

:List the volumes of each run of a Job
*Enter the Job name:
SELECT Job.Name AS Job, Job.JobId, Media.VolumeName,
  datetime(Job.StartTime / 1000, 'unixepoch', 'localtime') AS StartTime,
  Job.JobFiles AS Files, ROUND(Job.JobBytes / 1073741824.0, 3) AS GB
 FROM Job
 JOIN JobMedia ON JobMedia.JobId = Job.JobId
 JOIN Media ON Media.MediaId = JobMedia.MediaId
 WHERE Job.Name = '%1'
 GROUP BY Job.JobId, Media.VolumeName
 ORDER BY Job.StartTime, Media.VolumeName;

:List the jobs of a Client that saved a file (SQL LIKE pattern: % any text, _ one character)
*Enter the Client name:
*Enter the file name pattern (without its directory):
*Enter how many rows to list at most:
SELECT Job.JobId, Path.Path, File.Name, datetime(Job.StartTime / 1000, 'unixepoch', 'localtime') AS StartTime,
  Job.Level, Media.VolumeName
 FROM File
 JOIN Path ON Path.PathId = File.PathId
 JOIN Job ON Job.JobId = File.JobId
 JOIN Client ON Client.ClientId = Job.ClientId
 LEFT JOIN Media ON Media.MediaId = File.MediaId
 WHERE Client.Name = '%1' AND File.Name LIKE '%2' AND File.FileIndex > 0 AND Job.JobStatus IN ('T', 'W')
 ORDER BY File.Name, Job.StartTime DESC
 LIMIT %3;

:List the largest files of a job
*Enter the JobId:
*Enter how many files to list:
SELECT File.Size, Path.Path, File.Name
 FROM File JOIN Path ON Path.PathId = File.PathId
 WHERE File.JobId = %1 AND File.FileIndex > 0
 ORDER BY File.Size DESC
 LIMIT %2;

:List the jobs that did not end well in the last days
*Enter the number of days:
SELECT Job.JobId, Job.Name, Client.Name AS Client, Job.Type, Job.Level, Job.JobStatus,
  datetime(Job.EndTime / 1000, 'unixepoch', 'localtime') AS EndTime, Job.JobErrors
 FROM Job LEFT JOIN Client ON Client.ClientId = Job.ClientId
 WHERE Job.JobStatus NOT IN ('T', 'W', 'C', 'R')
   AND Job.SchedTime >= (CAST(strftime('%s', 'now') AS INTEGER) - %1 * 86400) * 1000
 ORDER BY Job.JobId;

:List the bytes stored in each pool
SELECT Pool.Name AS Pool, COUNT(Media.MediaId) AS Volumes, SUM(Media.VolJobs) AS Jobs,
  ROUND(COALESCE(SUM(Media.VolBytes), 0) / 1073741824.0, 3) AS GB
 FROM Pool LEFT JOIN Media ON Media.PoolId = Pool.PoolId
 GROUP BY Pool.Name
 ORDER BY Pool.Name;
