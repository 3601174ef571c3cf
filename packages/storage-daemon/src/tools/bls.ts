#!/usr/bin/env node
/**
 * bls: lists what a volume holds without Director or catalog — the volume label,
 * each session label and each file (index, address, path).
 *
 *   bls [-j] [-c config]... -V VolumeName[|VolumeName...] ArchiveDeviceDir
 *   bls [-j] [-c config]... -b bootstrap.bsr ArchiveDeviceDir
 *
 * -j lists only the jobs (session labels), as Bareos's bls does. -V takes several
 * volumes separated by `|`, read in that order. -b lists only what a bootstrap selects
 * (its volumes, sessions and file indexes), as a restore would read it. -c is accepted
 * for Bareos compatibility and ignored: the archive directory is given directly.
 * Exit status: 0 ok, 1 the volume is unreadable or damaged, 2 usage.
 */
import { parseArgs } from 'node:util';
import { describeError } from '@burrow/common/errors/index';
import { burrow, timestampToMs } from '@burrow/common/proto/index';
import { readFileSync } from 'node:fs';
import { parseBootstrapText } from '@burrow/common/bootstrap/text';
import { displayPath } from '@burrow/common/names/index';
import { archiveVolumes, partsOfBootstrap, readVolume, readVolumes, type OpenVolume, type VolumeItem } from '../offline/index.js';

const USAGE = 'usage: bls [-j] [-c config]... {-V VolumeName[|VolumeName...] | -b bootstrap} ArchiveDeviceDir\n';

function fmtTime(ts: burrow.Timestamp | null): string {
  if (!ts) return '-';
  return new Date(timestampToMs(ts)).toISOString();
}

/** One line per item worth showing; undefined for items this listing leaves out. */
function render(item: VolumeItem, jobsOnly: boolean): string | undefined {
  switch (item.kind) {
    case 'volume-label': {
      const l = item.label;
      return `Volume Label: Volume="${l.volumeName}" Pool="${l.poolName}" MediaType="${l.mediaType}" `
        + `Labelled=${fmtTime(l.labelTime)} By="${l.labelledBy}" Format=${l.format} ${l.version}`
        + (l.previousVolume ? ` PrevVolume="${l.previousVolume}"` : '');
    }
    case 'session-start': {
      const l = item.label;
      return `Begin Job Session: JobId=${l.jobId} Job="${l.jobName}" Client="${l.client}" FileSet="${l.fileset}" `
        + `Level=${l.level} Pool="${l.pool}" Volume#=${l.volumeIndex}${l.continued ? ' (continued)' : ''} `
        + `Time=${fmtTime(l.time)} Addr=${item.addr}`;
    }
    case 'session-end': {
      const l = item.label;
      return `End Job Session: JobId=${l.jobId} Files=${l.files} Bytes=${l.bytes} Status=${l.status || '-'} Addr=${item.addr}`;
    }
    case 'record': {
      if (jobsOnly || item.stream !== burrow.Stream.STREAM_ATTRIBUTES) return undefined;
      let path: string;
      try {
        path = displayPath(burrow.FileAttributes.decode(item.data).path);
      } catch {
        path = '(undecodable attributes)';
      }
      return `  JobId=${item.sessionId} FileIndex=${item.fileIndex} Addr=${item.addr} ${path}`;
    }
    case 'incomplete':
      return jobsOnly ? undefined
        : `  JobId=${item.sessionId} FileIndex=${item.fileIndex} continues on the next volume (${item.bytes} bytes here)`;
    case 'unfinished':
      // Not damage: the job ended (a daemon was killed) while writing it, as its end label says.
      return jobsOnly ? undefined
        : `  JobId=${item.sessionId} FileIndex=${item.fileIndex} not finished: the job ended with status ${item.status} while writing it (${item.bytes} bytes here)`;
    case 'error':
    case 'truncated':
    case 'repaired':
    case 'block':
      return undefined;
  }
}

/** The items of the volumes named, whole and in order. */
async function* wholeVolumes(open: OpenVolume, names: readonly string[]): AsyncGenerator<VolumeItem> {
  for (const name of names) {
    const volume = await open(name);
    try {
      yield* readVolume(volume);
    } finally {
      await volume.close();
    }
  }
}

/** The items a bootstrap selects: per session, its volumes from the start address, its file indexes only. */
async function* selected(open: OpenVolume, bootstrapFile: string): AsyncGenerator<VolumeItem> {
  const bootstrap = parseBootstrapText(readFileSync(bootstrapFile, 'utf8'), bootstrapFile);
  for (const part of partsOfBootstrap(bootstrap)) {
    yield* readVolumes({ openVolume: open, volumes: part.volumes, sessionId: part.sessionId });
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        j: { type: 'boolean' }, c: { type: 'string', multiple: true }, V: { type: 'string' }, b: { type: 'string' }, h: { type: 'boolean' },
      },
    });
  } catch (err) {
    process.stderr.write(`bls: ${describeError(err)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.h) {
    process.stdout.write(USAGE);
    return 0;
  }
  const dir = positionals[0];
  if ((values.V === undefined) === (values.b === undefined) || dir === undefined || positionals.length !== 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const open = archiveVolumes(dir, 'bls');
  const items = values.b !== undefined ? selected(open, values.b) : wholeVolumes(open, (values.V ?? '').split('|'));
  let damaged = false;
  try {
    for await (const item of items) {
      if (item.kind === 'error' || item.kind === 'truncated' || item.kind === 'repaired') {
        if (item.kind === 'error') damaged = true;
        process.stderr.write(`bls: ${item.message}\n`);
        continue;
      }
      const line = render(item, values.j ?? false);
      if (line !== undefined) process.stdout.write(`${line}\n`);
    }
  } catch (err) {
    process.stderr.write(`bls: ${describeError(err)}\n`);
    return 1;
  }
  return damaged ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
