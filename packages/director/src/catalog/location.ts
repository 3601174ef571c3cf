/**
 * Where a Catalog resource's files lie, as Bareos lays them out for SQLite: the
 * database at `<WorkingDirectory>/<DbName>.db`, and the dump that make_catalog_backup
 * writes and the stock `Catalog` FileSet saves at `<WorkingDirectory>/<DbName>.sql`
 * (Bareos's `@working_dir@/@db_name@.sql`).
 */
import { join } from 'node:path';

/** DbName when the configuration has no Catalog resource at all. */
export const DEFAULT_DB_NAME = 'burrow';

export interface CatalogFiles {
  database: string;
  dump: string;
}

export function catalogFiles(workingDirectory: string, dbName: string): CatalogFiles {
  return { database: join(workingDirectory, `${dbName}.db`), dump: join(workingDirectory, `${dbName}.sql`) };
}
