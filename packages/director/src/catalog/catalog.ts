import type {
  ClientRow, FileInput, FileRow, FileSetRow, JobAgeQuery, JobEnd, JobInput, JobMediaInput, JobMediaRow,
  JobQuery, JobRow, JobStatus, LastJobQuery, LogRow, MediaDefaults, MediaFilter, MediaInput, MediaPatch,
  MediaRow, MediaEventInput, MediaEventRow, MediaSearch, MediaUsage, PurgedMedia, PoolInput, PoolRow, RestoreFileRow, RestoreFilter, StorageRow,
  VolStatus, TreePage, FileVersion, QueryParam, QueryRows,
} from './types.js';

/**
 * What the rest of the Director knows of the catalog (STYLE.md habit 3): job logic
 * depends on this, never on the database library, so another database can stand in.
 * Every operation is atomic (deleteJobs and deleteFiles say how they are safe instead).
 * Asynchronous (ADR 0010), as a PostgreSQL catalog must be: every operation returns a
 * Promise or an AsyncIterable (close excepted). Writes are kept in the order they are
 * asked for, awaited or not. A failure rejects with a BurrowError with code CATALOG (or
 * NOT_FOUND where a named row must exist, BAD_REQUEST for a value no row may hold) and
 * changes nothing.
 * Units: see types.ts (epoch milliseconds, bytes, Buffers for names).
 */
export interface Catalog {
  // ---- resources, written from the configuration at start and reload (asynchronous)
  ensureClient(name: string): Promise<number>;
  /** A FileSet row per distinct digest of the include/exclude lists. */
  ensureFileSet(name: string, digest: string): Promise<number>;
  /** Creates the pool or updates its directives from the configuration. */
  ensurePool(pool: PoolInput): Promise<number>;
  ensureStorage(name: string): Promise<number>;
  getClient(name: string): Promise<ClientRow | undefined>;
  getPool(name: string): Promise<PoolRow | undefined>;
  getPoolById(poolId: number): Promise<PoolRow | undefined>;
  /** Every pool row, by PoolId (pools no longer configured too). */
  listPools(): Promise<PoolRow[]>;
  getStorage(name: string): Promise<StorageRow | undefined>;
  getFileSet(fileSetId: number): Promise<FileSetRow | undefined>;

  // ---- media (volumes; asynchronous); what the statuses mean is the media module's (media/)
  /** Refuses a volume name already in the catalog. */
  createMedia(media: MediaInput): Promise<number>;
  getMediaByName(volumeName: string): Promise<MediaRow | undefined>;
  getMedia(mediaId: number): Promise<MediaRow | undefined>;
  /**
   * The volume a job should append to: VolStatus Append and enabled; volumes already
   * written come first, oldest LastWritten first, then unwritten ones by MediaId, so a
   * started volume is filled before a fresh one is opened.
   */
  findAppendableMedia(poolId: number, mediaType: string): Promise<MediaRow | undefined>;
  /**
   * One step of the next-volume search: the first enabled volume (Enabled = 1) of the
   * pool and media type in one of the statuses, in the search's order, not excluded.
   */
  findMedia(search: MediaSearch): Promise<MediaRow | undefined>;
  updateMediaUsage(mediaId: number, usage: MediaUsage): Promise<void>;
  setMediaStatus(mediaId: number, status: VolStatus): Promise<void>;
  /** Sets the fields the patch names, in one statement. */
  updateMedia(mediaId: number, patch: MediaPatch): Promise<void>;
  /**
   * Copies a pool's limits into volumes (`update volume frompool`, `allfrompool`,
   * `fromallpools`): one volume, or every volume of a pool. Returns the volumes changed.
   */
  updateMediaDefaults(defaults: MediaDefaults, target: { mediaId: number } | { poolId: number }): Promise<number>;
  /**
   * Marks Purged, in one statement, those of the volumes that are Full, Used or Error,
   * have been written on, and hold no job any more (Bareos's IsVolumePurged without
   * force); returns them. What Purged means and where they go next is the media module's.
   */
  markEmptyMediaPurged(mediaIds: readonly number[]): Promise<PurgedMedia[]>;
  /** Removes the volume's row; refused (CATALOG) while jobs or files still refer to it. */
  deleteMedia(mediaId: number): Promise<void>;
  listMedia(filter?: MediaFilter): Promise<MediaRow[]>;
  /** Volumes ever created in the pool, for Label Format numbering. */
  countMedia(poolId: number): Promise<number>;
  /** The highest MediaId in the catalog (0 for none): Bareos numbers new volumes from it. */
  highestMediaId(): Promise<number>;
  /** Adds one event to a cartridge's history. */
  addMediaEvent(event: MediaEventInput): Promise<void>;
  /** A cartridge's history by volume name (kept after the volume is deleted), oldest first. */
  listMediaEvents(volumeName: string): Promise<MediaEventRow[]>;
  /** The newest event of each volume, by volume name. */
  lastMediaEvents(): Promise<Map<string, MediaEventRow>>;

  // ---- jobs (asynchronous)
  createJob(job: JobInput): Promise<number>;
  /** C -> R, recording the start time (the *since* of jobs built on this one). */
  startJob(jobId: number, startTime: number): Promise<void>;
  /** A waiting or running state (R, F, S, m, M); refused once the job is final. */
  setJobStatus(jobId: number, status: JobStatus): Promise<void>;
  finishJob(jobId: number, end: JobEnd): Promise<void>;
  getJob(jobId: number): Promise<JobRow | undefined>;
  getJobByName(job: string): Promise<JobRow | undefined>;
  listJobs(query?: JobQuery): Promise<JobRow[]>;
  /**
   * The newest job that ended T or W for this client and FileSet at one of the levels
   * (backup levels by default; a verify level finds Verify jobs, e.g. the last InitCatalog).
   */
  lastSuccessfulJob(query: LastJobQuery): Promise<JobRow | undefined>;
  /**
   * Called on Director start: every job not in a final state was cut off by a dying
   * daemon, so it becomes 'f' with a log line. Returns the job ids changed.
   */
  /**
   * Jobs a previous Director left alive are ended: a backup that made a checkpoint
   * (checkpointJob) becomes Incomplete with the files it had saved then, any other
   * fails (f).
   */
  markInterruptedJobs(now?: number): Promise<number[]>;
  /**
   * A running backup's checkpoint: files 1..savedFiles (FileIndex is given in order) are
   * whole on its volumes and in the catalog; kept as its JobFiles until it ends.
   */
  checkpointJob(jobId: number, savedFiles: number): Promise<void>;
  /** Jobs a retention has passed, oldest first (running ones too: the caller decides). */
  jobsOlderThan(query: JobAgeQuery): Promise<JobRow[]>;
  /** The jobs with data on a volume (its JobMedia rows), oldest first. */
  jobsOnMedia(mediaId: number): Promise<JobRow[]>;
  /**
   * Removes jobs and everything that is theirs (File, JobMedia and Log rows); jobs that
   * named one of them as PriorJobId keep their row, without it. Returns the MediaIds the
   * jobs had data on. A million File rows take seconds: they go as deleteFiles's do,
   * then the rest in one transaction, so a deletion cut off half-way leaves jobs marked
   * PurgedFiles with their JobMedia rows, found and finished by the next prune or purge.
   */
  deleteJobs(jobIds: readonly number[]): Promise<number[]>;
  /**
   * Marks the jobs PurgedFiles, then removes their File rows, in pieces that let other
   * catalog work run between them; returns the rows removed. From the mark on, no
   * restore, restore tree, file version or Accurate state reads the jobs' files, so a
   * deletion cut off half-way leaves rows nothing reads, and jobsOlderThan `withFiles`
   * finds the jobs again until they are gone.
   */
  deleteFiles(jobIds: readonly number[]): Promise<number>;

  // ---- job log (asynchronous; a line need not be awaited before the next write:
  //      the catalog keeps its writes in the order they are asked for)
  addLog(jobId: number | null, time: number, text: string): Promise<number>;
  getLog(jobId: number): Promise<LogRow[]>;
  /** Lines with a LogId above `logId`, oldest first (the `messages` command). */
  listLogsSince(logId: number, limit?: number): Promise<LogRow[]>;

  // ---- files
  /**
   * All rows in one transaction; either all are stored or none. Asynchronous, as the
   * job log: batches asked for without awaiting the one before are stored in that order.
   */
  insertFiles(jobId: number, rows: readonly FileInput[]): Promise<void>;
  /**
   * The job's files grouped by directory (not in FileIndex order), all at once on the
   * caller's thread: for a small job; iterateFiles reads a large one off it.
   */
  listFiles(jobId: number): Promise<FileRow[]>;
  /**
   * The same rows one by one, for jobs too large to hold in memory: read off the
   * caller's thread in pages, the catalog as it was when the first was read; a consumer
   * that stops early ends it.
   */
  iterateFiles(jobId: number): AsyncIterable<FileRow>;
  /** The row of one path in a job (its newest if the job names it twice), by the File index. */
  findFile(jobId: number, path: Buffer): Promise<FileRow | undefined>;
  /**
   * The path of a job's file by its FileIndex: a damaged volume knows a lost file only
   * by its index (a restore's job log names it). Scans the job's rows: for a few lines.
   */
  filePath(jobId: number, fileIndex: number): Promise<Buffer | undefined>;
  countFiles(jobId: number): Promise<number>;

  /**
   * A failed backup becomes Incomplete: its file rows past `lastIndex` (sent before their
   * data was durable) go; returns how many stay.
   */
  keepFilesUpTo(jobId: number, lastIndex: number): Promise<number>;

  // ---- job media
  /**
   * Records one volume visit of a job; a row of the same visit (job, volume, VolIndex)
   * is replaced: a checkpoint's row gives way to the visit's later checkpoints and end.
   */
  addJobMedia(row: JobMediaInput): Promise<number>;
  listJobMedia(jobId: number): Promise<JobMediaRow[]>;

  // ---- restore
  /**
   * For each path, the newest version (highest job id) among `jobIds` (those marked
   * PurgedFiles left out, as in every restore read below); paths whose
   * newest version is a deleted-file row are left out. Ordered by volume (in the order
   * the volumes are first needed), then job id, then file index. Feed to buildBootstrap.
   * Read off the caller's thread (a whole job's choice is a million rows).
   */
  selectRestoreFiles(jobIds: readonly number[], filter?: RestoreFilter): Promise<RestoreFileRow[]>;

  /**
   * The same choice as selectRestoreFiles over every path, with what a file browser
   * shows (type, size, mtime), in pages of columns, in no particular order, for the
   * restore tree. Long work (seconds for a million files), so it runs off the caller's
   * thread and the pages come as the consumer takes them, a few at most ahead; other
   * catalog calls go on meanwhile, and every page reflects the catalog as it was when
   * the first was read. A consumer that stops early (return, break, throw) ends it.
   * `owners`: each entry also carries its saved uid (decoded from the attributes, so
   * asked for only by a user's console).
   */
  restoreTreePages(jobIds: readonly number[], opts?: { owners?: boolean }): AsyncIterable<TreePage>;

  /**
   * Every version of one path among `jobIds` (deleted-file rows too), oldest job first;
   * read off the caller's thread, as restore browsing's other reads.
   */
  fileVersions(jobIds: readonly number[], path: Buffer): Promise<FileVersion[]>;

  /**
   * The state a chain of jobs (Full + Differential + Incrementals) left: for each path
   * the attributes (burrow.FileAttributes bytes) of its newest version, leaving out
   * files recorded as deleted, numbered 1..count. Read it in pages; `get` finds
   * entries again by their numbers (Accurate mode names deleted files that way). With
   * `digests`, each page entry carries the file's digest too (accurate= letters 5 and
   * 1 compare contents). Drop it when the job is done.
   */
  snapshotCurrentState(jobIds: readonly number[], options?: { readonly digests?: boolean }): Promise<StateSnapshot>;

  /**
   * Runs one statement that only reads (the `query` command's, from an administrator's
   * query file), with `params` bound to its `?`s, and returns at most `maxRows` rows.
   * It can never change the catalog: it runs on a connection that cannot write, and a
   * statement other than one SELECT (WITH, VALUES) is refused before it runs
   * (BAD_REQUEST, as is SQL that does not compile). An administrator's query may take
   * any time: it runs off the caller's thread.
   */
  readOnlyQuery(sql: string, params: readonly QueryParam[], maxRows: number): Promise<QueryRows>;

  /** Checkpoints the WAL and closes; the catalog is unusable afterwards. */
  close(): void;
}

/** One entry of a state snapshot; `digest` only when the snapshot was made with digests (null: the catalog has none). */
export interface StateEntry {
  seq: number;
  attributes: Buffer;
  digest?: { algorithm: number; value: Buffer } | null;
}

/**
 * A chain's state for Accurate mode, made off the caller's thread (a million files take
 * SQLite seconds to choose) and kept there until dropped; its reads are asynchronous.
 */
export interface StateSnapshot {
  readonly count: number;
  page(afterSeq: number, limit: number): Promise<StateEntry[]>;
  /** The attributes of these entries by number, in the same order (undefined: no such entry). */
  get(seqs: readonly number[]): Promise<Array<Buffer | undefined>>;
  drop(): Promise<void>;
}
