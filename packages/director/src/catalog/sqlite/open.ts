import Database from 'better-sqlite3';
import { BurrowError, toBurrowError } from '@burrow/common/errors/index';
import type { Catalog } from '../catalog.js';
import { checkSchemaVersion, migrate } from '../schema/migrate.js';
import { fileOps } from './files.js';
import { jobOps } from './jobs.js';
import { mediaOps } from './media.js';
import { pruneOps } from './prune.js';
import { resourceOps } from './resources.js';
import { CatalogReader } from './reader-thread.js';
import { PAGE_CACHE_PRAGMA } from './page-cache.js';

/** The writer's own checkpoint, a backstop (ADR 0010): 10,000 pages, 40 MiB of 4 KiB pages. */
const WRITER_CHECKPOINT_PAGES = 10_000;
/** The WAL's size kept after it starts again from its beginning. */
const WAL_KEPT_BYTES = 16 * 1024 * 1024;

export interface SqliteCatalogOptions {
  /** The clock for rows that record "now" (tests pass a fixed one). */
  now?: () => number;
}

/**
 * Opens (creating if needed) the SQLite catalog at `file`, normally
 * `<WorkingDirectory>/<DbName>.db`, and brings its schema up to date. A catalog
 * written by a newer Burrow is refused before anything in it changes.
 */
export function openSqliteCatalog(file: string, options: SqliteCatalogOptions = {}): Catalog {
  const now = options.now ?? Date.now;
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw new BurrowError('CATALOG', `cannot open catalog ${file}: ${String(err)}`, { cause: err });
  }
  try {
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(PAGE_CACHE_PRAGMA);
    checkSchemaVersion(db, file); // before anything is written, so a newer catalog stays untouched
    // WAL before migrating: a table renamed by a migration in rollback-journal mode
    // leaves the first WAL checkpoint failing with "database table is locked".
    db.pragma('journal_mode = WAL');
    migrate(db, file, now());
    // NORMAL is crash-safe in WAL mode (a process dying loses nothing committed); only
    // a power cut can roll back the last commits, and the database stays consistent.
    db.pragma('synchronous = NORMAL');
    // Checkpoints copy the WAL into the database file and sync it: 100-200 ms at a time
    // under load, which on this connection would stall the Director's main loop. The
    // reader thread makes them (keepCheckpointed below); this connection checkpoints
    // only if the WAL grows past WRITER_CHECKPOINT_PAGES (the thread stopped or fell
    // far behind), and a WAL that grew large is cut back when it starts again.
    db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${WAL_KEPT_BYTES}`);
  } catch (err) {
    db.close();
    throw err instanceof BurrowError ? err
      : new BurrowError('CATALOG', `cannot open catalog ${file}: ${String(err)}`, { cause: err });
  }

  const reader = new CatalogReader(file);
  reader.keepCheckpointed(`${file}-wal`);
  const ops = {
    ...resourceOps(db, now), ...mediaOps(db, now), ...jobOps(db, now),
    ...fileOps(db), ...pruneOps(db),
  };
  const catalog: Catalog = {
    ...ops,
    // The long reads, on the reader thread.
    restoreTreePages: (jobIds, opts) => reader.treePages(jobIds, opts),
    selectRestoreFiles: (jobIds, filter) => reader.selectRestoreFiles(jobIds, filter),
    fileVersions: (jobIds, path) => reader.fileVersions(jobIds, path),
    iterateFiles: (jobId) => reader.files(jobId),
    readOnlyQuery: (sql, params, maxRows) => reader.readOnlyQuery(sql, params, maxRows),
    snapshotCurrentState: (jobIds, options) => reader.snapshot(jobIds, options),
    close() {
      // The readers first: a reader's snapshot would hold up the checkpoint.
      reader.close();
      if (!db.open) return;
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
  return guarded(catalog, file);
}

/**
 * Every method converts what the database library throws (constraint violations,
 * a closed handle) into a BurrowError CATALOG naming the operation, so callers see
 * one error vocabulary (STYLE.md habit 8).
 */
function guarded(catalog: Catalog, file: string): Catalog {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(catalog) as [string, (...a: unknown[]) => unknown][]) {
    const failed = (err: unknown): BurrowError => {
      if (err instanceof BurrowError) return err;
      const e = toBurrowError(err, 'CATALOG');
      return new BurrowError('CATALOG', `catalog ${file}: ${name} failed: ${e.message}`, { cause: err });
    };
    wrapped[name] = (...args: unknown[]): unknown => {
      try {
        const out = fn(...args);
        // An asynchronous method rejects with the same error a synchronous one throws.
        return out instanceof Promise ? out.catch((err: unknown) => { throw failed(err); }) : out;
      } catch (err) {
        throw failed(err);
      }
    };
  }
  // Each wrapper has its method's exact signature (same arguments, same result), which
  // TypeScript cannot derive for a loop over the methods: hence the one cast.
  return wrapped as unknown as Catalog;
}
