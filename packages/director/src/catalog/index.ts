/**
 * The Director's catalog: what was backed up, where it lies on which volume, and how
 * every job went. Only the Director opens it (STYLE.md habit 4); the rest of the
 * Director sees the `Catalog` interface, and `openSqliteCatalog` is the one place that
 * knows it is SQLite (WAL, foreign keys) at `<WorkingDirectory>/<DbName>.db`.
 *
 * Terms and units:
 *  - times are epoch milliseconds, durations milliseconds, sizes bytes;
 *  - paths and file names are Buffers, stored as BLOBs byte for byte;
 *  - a file's coordinates are MediaId + Addr (block address of its attribute record,
 *    docs/volume-format.md) + FileIndex within its job's session (session id = JobId);
 *  - job status, type and level and volume status use Bareos's letters and words;
 *  - a FileIndex of 0 marks a file Accurate mode found deleted.
 */
export type { Catalog, StateEntry, StateSnapshot } from './catalog.js';
export type * from './types.js';
export {
  JOB_STATUSES, FINAL_JOB_STATUSES, LEVEL_NAMES, VOL_STATUSES, MEDIA_ARCHIVED, MEDIA_DISABLED, MEDIA_ENABLED, ON_PURGE_NONE,
  ON_PURGE_TRUNCATE,
} from './types.js';
export { openSqliteCatalog, type SqliteCatalogOptions } from './sqlite/open.js';
export { dumpSqliteCatalog, type DumpSummary } from './sqlite/dump.js';
export { loadSqliteCatalog, type LoadSummary } from './sqlite/load.js';
export { catalogFiles, DEFAULT_DB_NAME, type CatalogFiles } from './location.js';
export { BootstrapBuilder, buildBootstrap, jobBootstrap, type ChosenFile } from './bootstrap.js';
export { filterTreePage } from './tree-page.js';
export { uniqueJobName } from './jobname.js';
export { splitPath, joinPath } from './paths.js';
export { SCHEMA_VERSION } from './schema/migrate.js';
