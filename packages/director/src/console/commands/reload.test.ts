/**
 * reload on the real parts (no daemons): a good change is in force for the next
 * command, a broken file and a change the running Director cannot take over are
 * refused with their reasons, and the configuration in force stays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { execute } from '../session.js';
import { openTestConsole } from '../test-console.js';
import { reloadCommand } from './reload.js';

test('reload: a new Job is in force at once; a broken file is refused, its errors said, the old kept', async (t) => {
  const tc = await openTestConsole();
  t.after(() => tc.close());
  // With a directive that is harmless on Linux, so that the new file has a warning to say.
  appendFileSync(tc.configPath, 'Pool { Name = Extra; Pool Type = Backup }\nFileSet { Name = Win; Enable VSS = yes; Include { File = /srv } }\n');
  const good = await execute(tc.context(), 'reload');
  assert.equal(good.ok, true, good.text());
  assert.match(good.text(), /\nreloaded$/);
  assert.deepEqual(good.result, { reload: { success: true }, errors: [], warnings: [...(good.result as { warnings: string[] }).warnings] });
  assert.match(good.text(), /^Warning: .*burrow-dir\.conf:\d+: FileSet "Win": Enable VSS: /m, 'warnings are said too');
  // A console's next command reads the generation in force.
  assert.equal((await execute(tc.context(), 'show pool=Extra')).ok, true);
  assert.ok((await execute(tc.context(), 'list pools')).text().includes('Extra'), 'the new Pool has its catalog row');

  const before = readFileSync(tc.configPath, 'utf8');
  appendFileSync(tc.configPath, 'Job { Name = broken; Type = Backup; Client = nowhere; FileSet = TestSet; Storage = File; Pool = Full; Messages = Daemon }\n');
  const broken = await execute(tc.context(), 'reload');
  assert.equal(broken.ok, false);
  assert.match(broken.text(), /^failed to reload\n {2}configuration has 1 problem:\n {2}.*burrow-dir\.conf:\d+: Job "broken": Client: Client "nowhere" is not defined\n[\s\S]*\nThe configuration in force is kept\.$/);
  assert.equal((await execute(tc.context(), 'show job=broken')).ok, false, 'not in force');
  assert.equal((await execute(tc.context(), 'show pool=Extra')).ok, true, 'the configuration in force is kept');

  writeFileSync(tc.configPath, before.replace('Name = test-dir;', 'Name = other-dir;'));
  const renamed = await execute(tc.context(), 'reload');
  assert.equal(renamed.ok, false);
  assert.match(renamed.text(), /Director Name changed \(from "test-dir" to "other-dir"\): the running Director cannot take that over; restart it instead/);
  assert.equal(tc.context().config.director.name, 'test-dir');
});

test('reload renders warnings with either outcome', () => {
  const render = reloadCommand.spec.render;
  assert.equal(render({ reload: { success: true }, errors: [], warnings: ['x.conf:3: Pool "P": Recycle Pool is not available yet'] }),
    'Warning: x.conf:3: Pool "P": Recycle Pool is not available yet\nreloaded');
  assert.equal(render({ reload: { success: false }, errors: ['a', 'b'], warnings: [] }), 'failed to reload\n  a\n  b\nThe configuration in force is kept.');
});
