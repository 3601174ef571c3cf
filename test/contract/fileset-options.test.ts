/**
 * The FileSet Options contract between the Director and the File daemon, without
 * daemons: every option the File daemon acts on, written in a Director configuration,
 * goes through the Director's `-t` parse, its FileSet spec and the protobuf message,
 * and arrives in the File daemon's per-file options with the meaning it was given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDirectorConfig } from '@burrow/common/config/index';
import { withConfigDir } from '@burrow/common/config/testing';
import { VALUE_OPTIONS } from '@burrow/common/fileset/options';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { fileSetSpec } from '@burrow/director/setup/fileset';
import { compileFileSet, DEFAULT_FILE_OPTIONS, type FileOptions } from '@burrow/file-daemon/fileset/index';

const BASE = `
Director { Name = dir; Password = pw; Messages = Standard }
Catalog { Name = MyCatalog; DbName = burrow }
Messages { Name = Standard; Console = all }
`;

/** Each value option as an administrator writes it, and the File daemon option it must become. */
const WRITTEN: Record<keyof typeof VALUE_OPTIONS, [string, Partial<FileOptions>]> = {
  signature: ['Signature = sha512', { signature: 'SHA512' }],
  compression: ['Compression = GZIP3', { compression: { algorithm: 'GZIP', level: 3 } }],
  onefs: ['One FS = no', { onefs: false }],
  recurse: ['Recurse = no', { recurse: false }],
  exclude: ['Exclude = no', { exclude: false }],
  sparse: ['Sparse = yes', { sparse: true }],
  aclsupport: ['ACL Support = no', { acls: false }],
  xattrsupport: ['XAttr Support = no', { xattrs: false }],
  mtimeonly: ['Mtime Only = yes', { mtimeOnly: true }],
  accurate: ['Accurate = mcs5', { accurate: 'mcs5' }],
  verify: ['Verify = pins1', { verify: 'pins1' }],
  ignorecase: ['Ignore Case = yes', {}],
  readfifo: ['Read Fifo = yes', { readFifo: true }],
  noatime: ['No Atime = no', { noAtime: false }],
  keepatime: ['Keep Atime = yes', { keepAtime: true }],
  hardlinks: ['Hard Links = no', { hardLinks: false }],
  honornodumpflag: ['Honor No Dump Flag = yes', { honorNoDump: true }],
  fstype: ['FS Type = ext4\n FsType = XFS, btrfs', { fsTypes: ['ext4', 'xfs', 'btrfs'] }],
  checkfilechanges: ['Check File Changes = yes', { checkFileChanges: true }],
  size: ['Size = 1k-2m', { size: { kind: 'range', low: 1024, high: 2 * 1024 * 1024 } }],
};

test('every Options value reaches the File daemon with its meaning: Director -t -> wire -> FD', async () => {
  const lines = Object.values(WRITTEN).map(([text]) => text).join('\n    ');
  await withConfigDir({ 'burrow-dir.conf': `${BASE}
FileSet { Name = every
  Include {
    Options {
    ${lines}
    }
    File = /data
  }
}` }, (dir) => {
    const { config, warnings } = loadDirectorConfig(join(dir, 'burrow-dir.conf'));
    assert.deepEqual(warnings.filter((w) => w.resource.startsWith('FileSet')), [], 'no Options warning for what is implemented');
    const received = asReceived(burrow.FileSetSpec, fileSetSpec(config.fileSets[0]!));
    const selected = compileFileSet(received).includes[0]!.select(Buffer.from('/data/file'), false);
    const want = Object.assign({}, DEFAULT_FILE_OPTIONS, ...Object.values(WRITTEN).map(([, o]) => o));
    assert.deepEqual(selected, want);
  });
});

test('Ignore Case shapes the patterns on the File daemon', async () => {
  await withConfigDir({ 'burrow-dir.conf': `${BASE}
FileSet { Name = nocase
  Include { Options { Wild = "*.JPG"; Ignore Case = yes; Exclude = yes }
    File = /data }
}` }, (dir) => {
    const { config } = loadDirectorConfig(join(dir, 'burrow-dir.conf'));
    const inc = compileFileSet(asReceived(burrow.FileSetSpec, fileSetSpec(config.fileSets[0]!))).includes[0]!;
    assert.equal(inc.select(Buffer.from('/data/a.jpg'), false), null, 'excluded whatever the case');
  });
});
