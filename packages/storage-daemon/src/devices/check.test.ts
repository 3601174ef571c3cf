import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadStorageConfig } from '@burrow/common/config/index';
import { Problems } from '@burrow/common/config/schema/problems';
import { withConfigDir } from '@burrow/common/config/testing';
import { checkAutochangers, checkDevices } from './check.js';

const STORAGE = 'Storage { Name = sd }\nDirector { Name = d; Password = p }\n';

function check(devices: string): Promise<{ problems: Problems; drivable: string[] }> {
  return new Promise((resolve, reject) => {
    withConfigDir({ 'burrow-sd.conf': STORAGE + devices }, (dir) => {
      const { config } = loadStorageConfig(dir);
      const problems = new Problems();
      const drivable = checkDevices(problems, config.devices, (p) => (p.startsWith('/') ? p : `${dir}/${p}`));
      resolve({ problems, drivable: drivable.map((d) => d.resource.name) });
    }).catch(reject);
  });
}

test('a File device described as Bareos ships it is accepted without a word', async () => {
  const { problems, drivable } = await check(`Device {
  Name = FileStorage; Media Type = File; Archive Device = vols
  Label Media = yes; Random Access = yes; Automatic Mount = yes; Removable Media = no; Always Open = no
}`);
  assert.deepEqual([problems.errors, problems.warnings, drivable], [[], [], ['FileStorage']]);
});

test('tape behaviour asked of a File device is a warning naming the directive and why', async () => {
  const { problems } = await check(`Device {
  Name = FileStorage; Media Type = File; Archive Device = vols
  Random Access = no
  Removable Media = yes
  Always Open = yes
  Automatic Mount = no
}`);
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.warnings.map((w) => [w.line, w.directive]), [[5, 'Random Access'], [6, 'Removable Media'], [7, 'Always Open'], [8, 'Automatic Mount']]);
  for (const w of problems.warnings) assert.match(w.message, /has no effect on a File device: .*tape drives/);
});

test('a device the SD cannot drive is an error, and is not driven', async () => {
  const { problems, drivable } = await check(`Device { Name = Drive0; Media Type = LTO; Archive Device = /dev/nst0; Device Type = Tape }
Device { Name = Pipe; Media Type = Fifo; Archive Device = /tmp/fifo; Device Type = Fifo }
Device { Name = NotATape; Media Type = LTO; Archive Device = burrow-sd.conf; Device Type = Tape }
Device { Name = FileStorage; Media Type = File; Archive Device = vols }`);
  // /dev/nst0 may be absent until a drive is attached; a file that is not a tape drive is refused.
  assert.deepEqual(drivable, ['Drive0', 'FileStorage']);
  assert.deepEqual(problems.errors.map((e) => [e.resource, e.directive]), [['Device "Pipe"', 'Device Type'], ['Device "NotATape"', 'Archive Device']]);
  assert.match(problems.errors[0]!.message, /Fifo devices are not available yet in Burrow: only File devices/);
  assert.match(problems.errors[1]!.message, /is not a character device/);
});

test('a VTape device is one drive whose Archive Device is the cartridge file; tape directives on a File device are warnings', async () => {
  const { problems, drivable } = await check(`Device { Name = Tape0; Media Type = LTO; Archive Device = drive0; Device Type = VTape
  Maximum File Size = 1M; Minimum Block Size = 64k; Maximum Block Size = 64k; Two EOF = yes; Offline On Unmount = yes
  Hardware End Of Medium = no; Fast Forward Space File = no; BSF At EOM = yes; Volume Capacity = 20G }
Device { Name = Tape1; Media Type = LTO; Archive Device = drive1; Device Type = VTape; Count = 2 }
Device { Name = Tape2; Media Type = LTO; Archive Device = .; Device Type = VTape }
Device { Name = Tape3; Media Type = LTO; Archive Device = drive3; Device Type = VTape; Minimum Block Size = 2M; Maximum Block Size = 1M }
Device { Name = FileStorage; Media Type = File; Archive Device = vols; Maximum File Size = 1G; Two EOF = yes; Maximum Block Size = 1M }`);
  assert.deepEqual(drivable, ['Tape0', 'FileStorage']);
  assert.deepEqual(problems.errors.map((e) => [e.resource, e.directive]), [
    ['Device "Tape1"', 'Count'], ['Device "Tape2"', 'Archive Device'], ['Device "Tape3"', 'Minimum Block Size'],
  ]);
  assert.deepEqual(problems.warnings.map((w) => [w.resource, w.directive]), [
    ['Device "FileStorage"', 'Maximum Block Size'], ['Device "FileStorage"', 'Maximum File Size'], ['Device "FileStorage"', 'Two EOF'],
  ]);
});

test('an Autochanger groups File devices without a changer, and is a library of Tape/VTape drives with one', async () => {
  await withConfigDir({ 'burrow-sd.conf': `${STORAGE}
Device { Name = FileStorage; Media Type = File; Archive Device = /tmp/v1 }
Device { Name = Other; Media Type = File; Archive Device = /tmp/v2 }
Device { Name = T0; Media Type = LTO; Archive Device = /tmp/t0; Device Type = VTape; Autochanger = yes; Drive Index = 0 }
Device { Name = T1; Media Type = LTO; Archive Device = /tmp/t1; Device Type = VTape; Autochanger = yes; Drive Index = 1; Maximum Changer Wait = 10 min }
Device { Name = T2; Media Type = LTO; Archive Device = /tmp/t2; Device Type = VTape; Drive Index = 1 }
Autochanger { Name = FileStorage; Changer Device = /dev/null; Changer Command = ""; Device = FileStorage }
Autochanger { Name = Group; Device = Other, FileStorage }
Autochanger { Name = Robot; Changer Device = /dev/sg0; Changer Command = "/usr/lib/bareos/scripts/mtx-changer %c %o %S %a %d"; Device = Other }
Autochanger { Name = Library; Changer Device = /var/lib/vchanger; Changer Command = "burrow-vchanger %c %o %S %a %d"; Device = T0, T1 }
Autochanger { Name = Clash; Changer Device = /var/lib/vchanger; Changer Command = "burrow-vchanger %c %o %S %a %d"; Device = T1, T2 }
Autochanger { Name = NoCommand; Device = T0 }
` }, (dir) => {
    const { config } = loadStorageConfig(dir);
    const problems = new Problems();
    const groups = checkAutochangers(problems, config.autochangers, config.devices);
    assert.deepEqual(groups.map((g) => [g.name, g.devices, g.changer?.maximumChangerWait, [...g.changer?.driveIndex ?? []]]), [
      ['FileStorage', ['FileStorage'], undefined, []], ['Group', ['Other', 'FileStorage'], undefined, []],
      ['Library', ['T0', 'T1'], 600, [['T0', 0], ['T1', 1]]],
    ]);
    assert.deepEqual(problems.warnings.map((w) => [w.resource, w.directive]), [['Device "T2"', 'Autochanger']]);
    assert.deepEqual(problems.errors.map((e) => [e.line, e.directive]), [[11, 'Device'], [8, 'Drive Index'], [14, 'Device']]);
    assert.match(problems.errors[0]!.message, /Other: a changer loads Tape and VTape drives only/);
    assert.match(problems.errors[1]!.message, /1 is also Device "T1"'s in Autochanger "Clash"/);
    assert.match(problems.errors[2]!.message, /needs its Changer Command/);
  });
});
