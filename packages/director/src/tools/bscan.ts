#!/usr/bin/env node
/**
 * bscan: reads volumes without the Storage daemon and rebuilds the catalog rows of
 * what they hold (scan/scan.ts): Pool, Media with its counters, Client, FileSet, Job,
 * JobMedia and File rows with positions and digests, into an empty catalog or beside
 * the rows already there.
 *
 *   bscan [-s] [-m] [-v] [-c director-config] [-n catalog] [-b bootstrap]
 *         [-V VolumeName[|VolumeName...]] ArchiveDeviceDir
 *
 * -s stores the rows (without it nothing is written: a dry run that reports what it
 * would add); -m updates the counters of Media rows already in the catalog; -v names
 * each row. Volumes come from -V, in the order given (a job that spans volumes is
 * followed from one to the next when they are given in the order written), or from
 * the volumes a bootstrap names (-b). The catalog is the Director configuration's
 * (-c, else $BURROW_CONFIG, else /etc/burrow/burrow-dir.d), Catalog -n or its first.
 * Stop the Director first: bscan writes JobIds of its own choosing.
 * Exit status: 0 done, 1 a volume or the catalog could not be read or written, or a
 * volume was damaged (each named on stderr), 2 usage.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseBootstrapText } from '@burrow/common/bootstrap/text';
import { loadDirectorConfig } from '@burrow/common/config/index';
import { HELP, toolMain } from '@burrow/common/daemon/tool-main';
import { archiveVolumes, readVolumes } from '@burrow/storage-daemon/offline/index';
import { openSqliteCatalog, type Catalog } from '../catalog/index.js';
import { CONFIG_ENV, DEFAULT_DIRECTOR_CONFIG } from '../setup/command-environment.js';
import { VolumeScan, type ScanTotals } from '../scan/scan.js';
import { catalogFilesOf, findCatalog } from './catalog-of-config.js';

const USAGE = 'usage: bscan [-s] [-m] [-v] [-c director-config] [-n catalog] {-V VolumeName[|VolumeName...] | -b bootstrap} ArchiveDeviceDir\n';

interface Request {
  archive: string;
  volumes: string[];
  store: boolean;
  updateMedia: boolean;
  verbose: boolean;
  configPath: string;
  catalogName?: string;
}

function request(argv: string[]): Request | typeof HELP | string {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      s: { type: 'boolean' }, m: { type: 'boolean' }, v: { type: 'boolean' }, c: { type: 'string' }, n: { type: 'string' },
      V: { type: 'string' }, b: { type: 'string' }, h: { type: 'boolean' },
    },
  });
  if (values.h) return HELP;
  const [archive, ...extra] = positionals;
  if (archive === undefined || extra.length > 0) return 'one archive device directory is needed';
  if ((values.V === undefined) === (values.b === undefined)) return 'give volume names (-V) or a bootstrap (-b), one of them';
  const volumes = values.V?.split('|')
    ?? [...new Set(parseBootstrapText(readFileSync(values.b ?? '', 'utf8'), values.b).sections.map((s) => s.volume))];
  return {
    archive, volumes, store: values.s ?? false, updateMedia: values.m ?? false, verbose: values.v ?? false,
    configPath: values.c ?? process.env[CONFIG_ENV] ?? DEFAULT_DIRECTOR_CONFIG, catalogName: values.n,
  };
}

function openCatalog(r: Request): Catalog {
  const at = { configPath: r.configPath, config: loadDirectorConfig(r.configPath).config };
  const resource = r.catalogName !== undefined ? findCatalog(at, r.catalogName) : at.config.catalogs[0];
  if (resource === undefined) throw new Error(`no Catalog resource in ${r.configPath}`);
  const file = catalogFilesOf(at, resource).database;
  process.stdout.write(`bscan: catalog "${resource.name}" at ${file}\n`);
  return openSqliteCatalog(file);
}

function summary(t: ScanTotals, stored: boolean): string {
  const rows: Array<[number, string]> = [[t.pools, 'Pool'], [t.media, 'Media'], [t.jobs, 'Job'], [t.jobMedia, 'JobMedia'], [t.files, 'File']];
  return `Records ${stored ? '' : 'would have been '}added or updated in the catalog:\n${rows.map(([n, what]) => `${String(n).padStart(7)} ${what}\n`).join('')}`;
}

async function run(r: Request): Promise<number> {
  const catalog = r.store ? openCatalog(r) : undefined;
  try {
    const scan = new VolumeScan({
      catalog, updateMedia: r.updateMedia,
      say: (line, detail) => {
        if (detail !== true) process.stderr.write(`bscan: ${line}\n`);
        else if (r.verbose) process.stdout.write(`${line}\n`);
      },
    });
    const items = readVolumes({
      openVolume: archiveVolumes(r.archive, 'bscan'), volumes: r.volumes.map((volumeName) => ({ volumeName })), reportBlocks: true,
    });
    for await (const item of items) await scan.see(item);
    const totals = await scan.finish();
    process.stdout.write(summary(totals, r.store));
    return totals.problems > 0 ? 1 : 0;
  } finally {
    catalog?.close();
  }
}

process.exitCode = await toolMain({ name: 'bscan', usage: USAGE, argv: process.argv.slice(2), parse: request, run });
