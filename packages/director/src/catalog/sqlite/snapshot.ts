import type Database from 'better-sqlite3';
import type { StateEntry } from '../catalog.js';

/** A state snapshot on the connection that made it (Catalog's StateSnapshot, read synchronously). */
export interface LocalSnapshot {
  readonly count: number;
  page(afterSeq: number, limit: number): StateEntry[];
  get(seqs: readonly number[]): Array<Buffer | undefined>;
  drop(): void;
}

/**
 * Catalog.snapshotCurrentState, run by the reader thread: its temporary tables are its
 * connection's (a read-only connection may still write its own temporary tables).
 */
export function stateSnapshots(db: Database.Database): { snapshotCurrentState(jobIds: readonly number[], options?: { readonly digests?: boolean }): LocalSnapshot } {
  const jobs = 'SELECT value FROM json_each(@jobs)';
  // Accurate mode's view of a chain, made once into a temporary table so that it can
  // be read in pages (other catalog work goes on meanwhile) and its n-th entry found
  // again when the File daemon names the entries it did not see (deleted files).
  let snapshots = 0;
  // With digests (accurate= 5 or 1), the two digest columns come along; otherwise they
  // stay NULL and the pages carry none, so the usual state costs no more than before.
  const snapshotCurrentState = (jobIds: readonly number[], options?: { readonly digests?: boolean }): LocalSnapshot => {
    const table = `temp.accurate_${++snapshots}`;
    const digests = options?.digests === true;
    db.prepare(`CREATE TABLE ${table} (Seq INTEGER PRIMARY KEY, Attributes BLOB NOT NULL, Digest BLOB, DigestAlgorithm INTEGER)`).run();
    db.prepare(`INSERT INTO ${table} (Attributes, Digest, DigestAlgorithm)
      WITH Latest AS (SELECT PathId, Name, MAX(JobId) AS JobId FROM File WHERE JobId IN (${jobs}) GROUP BY PathId, Name)
      SELECT F.Attributes, ${digests ? 'F.Digest, F.DigestAlgorithm' : 'NULL, NULL'} FROM Latest L
      JOIN File F ON F.JobId = L.JobId AND F.PathId = L.PathId AND F.Name = L.Name
      WHERE F.FileIndex > 0 ORDER BY F.PathId, F.Name`).run({ jobs: JSON.stringify(jobIds) });
    const count = Number(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get());
    const page = db.prepare(`SELECT Seq AS seq, Attributes AS attributes, Digest AS digest, DigestAlgorithm AS algorithm
      FROM ${table} WHERE Seq > ? ORDER BY Seq LIMIT ?`);
    const one = db.prepare(`SELECT Attributes FROM ${table} WHERE Seq = ?`).pluck();
    type Row = { seq: number; attributes: Buffer; digest: Buffer | null; algorithm: number | null };
    const entry = (r: Row): StateEntry => (digests
      ? { seq: r.seq, attributes: r.attributes, digest: r.digest !== null && r.algorithm ? { algorithm: r.algorithm, value: r.digest } : null }
      : { seq: r.seq, attributes: r.attributes });
    return {
      count,
      page: (afterSeq, limit) => (page.all(afterSeq, limit) as Row[]).map(entry),
      get: (seqs) => seqs.map((seq) => one.get(seq) as Buffer | undefined),
      drop: () => { db.prepare(`DROP TABLE IF EXISTS ${table}`).run(); },
    };
  };

  return { snapshotCurrentState };
}
