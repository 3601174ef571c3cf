import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { BurrowError } from '../../errors/index.js';
import { withConfigDir } from '../testing.js';
import { loadConsoleConfig } from './console.js';
import { loadFileDaemonConfig } from './filedaemon.js';
import { loadStorageConfig } from './storage.js';

const STOCK = fileURLToPath(new URL('../../../src/config/fixtures/stock', import.meta.url));

function rejects(load: (p: string) => unknown, file: string, text: string, patterns: RegExp[]): Promise<void> {
  return withConfigDir({ [file]: text }, (dir) => {
    assert.throws(() => load(dir), (e: unknown) => {
      assert.ok(e instanceof BurrowError);
      assert.equal(e.code, 'CONFIG_INVALID');
      const m = e.message.replaceAll(join(dir, file), 'F');
      for (const p of patterns) assert.match(m, p);
      return true;
    });
  });
}

test('storage daemon: stock-style config, sizes, defaults, an Autochanger (judged by the SD itself)', () => {
  const { config, warnings } = loadStorageConfig(join(STOCK, 'burrow-sd.conf'));
  assert.equal(config.storage.name, 'burrow-sd');
  assert.equal(config.storage.sdPort, 9103);
  assert.equal(config.storage.sdAddress, '127.0.0.1');
  assert.equal(config.storage.maximumConcurrentJobs, 20);
  const dev = config.devices[0]!;
  assert.deepEqual([dev.deviceType, dev.labelMedia, dev.maximumVolumeSize, dev.maximumBlockSize], ['File', true, 2_000_000_000, 1024 * 1024]);
  assert.equal(config.directors[1]?.monitor, true);
  assert.deepEqual(config.autochangers.map((c) => [c.name, c.device, c.changerCommand, c.changerDevice]), [['virtual-changer', ['FileStorage'], '', '/dev/null']]);
  // Maximum Block Size applies to tape devices; on this File device the SD's device check warns (storage-daemon devices/check.ts).
  assert.deepEqual(warnings.map((w) => [w.line, w.directive]), []);
});

test('storage daemon errors: device type, missing Storage, unknown resource', () =>
  rejects(loadStorageConfig, 'burrow-sd.conf', `
Device { Name = d; Media Type = File; Archive Device = /x; Device Type = Floppy; Label Media = maybe }
Vault { Name = v }
Messages { Name = m; Console = all }
`, [
    /F:2: Device "d": Device Type: "Floppy" is not one of File, Tape, VTape, Fifo/,
    /F:2: Device "d": Label Media: "maybe" is not a boolean/,
    /F:3: Vault: unknown resource type for burrow-sd/,
    /Storage: a Storage resource is required/,
  ]));

test('file daemon: own resource spelled Client or FileDaemon', async () => {
  const { config, warnings } = loadFileDaemonConfig(join(STOCK, 'burrow-fd.conf'));
  assert.equal(config.fileDaemon.name, 'client1-fd');
  assert.equal(config.fileDaemon.fdPort, 9102);
  assert.deepEqual(config.fileDaemon.allowedScriptDir, ['/etc/burrow/scripts', '/usr/lib/burrow/scripts']);
  assert.equal(warnings.length, 0);
  await withConfigDir({ 'burrow-fd.d/client/me.conf': 'FileDaemon { Name = me; FD Address = 10.0.0.1; Port = 9999; PKI Signatures = yes }',
    'burrow-fd.d/director/dir.conf': 'Director { Name = d; Password = "p w" }' }, (dir) => {
    const { config: c, warnings: w } = loadFileDaemonConfig(dir);
    assert.deepEqual([c.fileDaemon.fdAddress, c.fileDaemon.fdPort, c.directors[0]?.password], ['10.0.0.1', 9999, 'p w']);
    assert.deepEqual(w.map((x) => x.directive), ['PKI Signatures']);
  });
});

test('file daemon errors: two own resources, bad port, unknown Messages', () =>
  rejects(loadFileDaemonConfig, 'burrow-fd.conf', `
Client { Name = a; FD Port = 70000; Messages = nope }
FileDaemon { Name = b }
`, [
    /F:2: FileDaemon "a": FD Port: "70000" is not an integer from 0 to 65535/,
    /F:2: FileDaemon "a": Messages: Messages "nope" is not defined/,
    /F:3: FileDaemon: only one FileDaemon resource is allowed/,
  ]));

test('a daemon\'s own port may be 0 (the system picks one); a port to connect to may not', async () => {
  await withConfigDir({ 'burrow-fd.conf': 'FileDaemon { Name = me; FDPort = 0 }\nDirector { Name = d; Password = p }\n' }, (dir) => {
    assert.equal(loadFileDaemonConfig(join(dir, 'burrow-fd.conf')).config.fileDaemon.fdPort, 0);
  });
  await withConfigDir({ 'burrow-sd.conf': 'Storage { Name = me; SDAddresses = { ipv4 = { addr = 127.0.0.1; port = 0 } } }\nDirector { Name = d; Password = p }\n' }, (dir) => {
    assert.deepEqual(loadStorageConfig(join(dir, 'burrow-sd.conf')).config.storage.sdAddresses, [{ family: 'ipv4', addr: '127.0.0.1', port: 0 }]);
  });
  await rejects(loadConsoleConfig, 'bconsole.conf', 'Director { Name = d; Address = localhost; DIRport = 0; Password = p }\n', [
    /DIRport: "0" is not an integer from 1 to 65535/,
  ]);
});

test('bconsole config and its errors', async () => {
  const { config } = loadConsoleConfig(join(STOCK, 'bconsole.conf'));
  assert.deepEqual([config.directors[0]?.address, config.directors[0]?.dirPort], ['localhost', 9101]);
  assert.equal(config.consoles[0]?.director, 'burrow-dir');
  await rejects(loadConsoleConfig, 'bconsole.conf', 'Console { Name = c; Password = p; Director = elsewhere }\n', [
    /Director: a Director resource is required/,
    /F:1: Console "c": Director: Director "elsewhere" is not defined/,
  ]);
});

test('Maximum Bandwidth Per Job on the Storage resource and on the File daemon\'s Director, Heartbeat Interval on bconsole\'s resources: read, not warned of', async () => {
  await withConfigDir({ 'burrow-sd.conf': `Storage { Name = sd; Maximum Bandwidth Per Job = 500 kb/s }
Director { Name = d; Password = p; Maximum Bandwidth Per Job = 1 mb/s }
Device { Name = f; Media Type = File; Archive Device = /x }` }, (dir) => {
    const { config, warnings } = loadStorageConfig(join(dir, 'burrow-sd.conf'));
    assert.equal(config.storage.maximumBandwidthPerJob, 500_000);
    // The SD's Director resource does not apply one yet: still a warning.
    assert.deepEqual(warnings.map((w) => [w.resource, w.directive]), [['Director "d"', 'Maximum Bandwidth Per Job']]);
  });
  await withConfigDir({ 'burrow-fd.conf': `FileDaemon { Name = me; Maximum Bandwidth Per Job = 2 m/s }
Director { Name = d; Password = p; Maximum Bandwidth Per Job = 300 kb/s }
Director { Name = e; Password = q }` }, (dir) => {
    const { config, warnings } = loadFileDaemonConfig(join(dir, 'burrow-fd.conf'));
    assert.equal(config.fileDaemon.maximumBandwidthPerJob, 2 * 1024 * 1024);
    assert.deepEqual(config.directors.map((d) => d.maximumBandwidthPerJob), [300_000, undefined]);
    assert.deepEqual(warnings, []);
  });
  await withConfigDir({ 'bconsole.conf': `Director { Name = d; Address = h; Password = p; Heartbeat Interval = 1 min }
Console { Name = c; Password = q; Heartbeat Interval = 15 }` }, (dir) => {
    const { config, warnings } = loadConsoleConfig(join(dir, 'bconsole.conf'));
    assert.deepEqual([config.directors[0]?.heartbeatInterval, config.consoles[0]?.heartbeatInterval], [60, 15]);
    assert.deepEqual(warnings, []);
  });
  await rejects(loadStorageConfig, 'burrow-sd.conf', 'Storage { Name = sd; Maximum Bandwidth Per Job = fast }\n', [/F:1: Storage "sd": Maximum Bandwidth Per Job: .*speed/]);
});
