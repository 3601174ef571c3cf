/**
 * The catalog a Director configuration names, for the tools that work on it beside
 * the Director (the catalog backup scripts, bscan): the Catalog resource by Name (or
 * DbName, as Bareos's older scripts took it) and its files in the Working Directory.
 */
import { findResource, type CatalogResource, type DirectorConfig } from '@burrow/common/config/index';
import { configRelative } from '@burrow/common/daemon/cli';
import { BurrowError } from '@burrow/common/errors/index';
import { catalogFiles, type CatalogFiles } from '../catalog/index.js';

export interface ConfigAt {
  configPath: string;
  config: DirectorConfig;
}

export function catalogFilesOf(at: ConfigAt, catalog: CatalogResource): CatalogFiles {
  return catalogFiles(configRelative(at.configPath, at.config.director.workingDirectory), catalog.dbName);
}

export function findCatalog(at: ConfigAt, name: string): CatalogResource {
  const found = findResource(at.config.catalogs, name) ?? at.config.catalogs.find((c) => c.dbName === name);
  if (found) return found;
  const known = at.config.catalogs.map((c) => c.name).join(', ') || 'none';
  throw new BurrowError('NOT_FOUND', `Can't find your catalog (${name}) in director configuration ${at.configPath} (Catalogs: ${known})`);
}
