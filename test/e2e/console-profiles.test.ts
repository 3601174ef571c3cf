/**
 * Profile resources give a Console the rights they list, combined with the Console's
 * own ACLs as Bareos combines them: a read-only profile lists but cannot run, cancel
 * or label; a console's own `!` entry wins over its profile's `*all*`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Burrow } from '../harness/daemons.js';
import { namedConsoleConfig } from '../harness/alice.js';

const RESOURCES = `
Profile { Name = "webui-readonly"
  CommandACL = .api, .help, use, version, status
  CommandACL = list, llist
  Job ACL = *all*; Schedule ACL = *all*; Catalog ACL = *all*; Pool ACL = *all*
  Storage ACL = *all*; Client ACL = *all*; FileSet ACL = *all*; Where ACL = *all* }
Profile { Name = "operator"
  CommandACL = !delete, !purge, *all*
  Job ACL = *all*; Client ACL = *all*; Storage ACL = *all*; Pool ACL = *all*; FileSet ACL = *all*; Catalog ACL = *all* }
Console { Name = viewer; Password = "viewer-secret"; Profile = webui-readonly }
Console { Name = nolabel; Password = "nolabel-secret"; CommandACL = !label; Profile = operator }
`;

test('a console with only a read-only profile lists but cannot run, cancel or label', async (t) => {
  const src = mkdtempSync(join(tmpdir(), 'burrow-profile-'));
  writeFileSync(join(src, 'f.txt'), 'f\n');
  t.after(() => rmSync(src, { recursive: true, force: true }));
  const burrow = await Burrow.start({ include: [src], directorResources: RESOURCES });
  t.after(() => burrow.stop());

  const admin = await burrow.console(['run job=backup-test yes', 'wait']);
  assert.equal(admin.code, 0, admin.stdout + burrow.logs());

  const viewer = (lines: string[]) => burrow.console(lines, namedConsoleConfig(burrow, 'viewer', 'viewer-secret'));
  const listed = await viewer(['list jobs', 'llist jobid=1', 'status dir']);
  assert.equal(listed.code, 0, listed.stdout + listed.stderr);
  assert.match(listed.stdout, /\| 1\s+\| backup-test/);
  assert.match(listed.stdout, /jobstatus: T/);
  for (const line of ['run job=backup-test yes', 'cancel jobid=1', 'label storage=File volume=Nope pool=Full', 'restore client=test-fd jobid=1 all yes']) {
    const r = await viewer([line]);
    assert.notEqual(r.code, 0, `${line} should be refused:\n${r.stdout}`);
    assert.match(r.stdout, /is an invalid command or not permitted for this console/, line);
  }

  // Its own "!label" decides before the operator profile's "*all*"; the rest the profile allows.
  const nolabel = (lines: string[]) => burrow.console(lines, namedConsoleConfig(burrow, 'nolabel', 'nolabel-secret'));
  const refused = await nolabel(['label storage=File volume=Nope pool=Full']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stdout, /not permitted for this console/);
  const ran = await nolabel(['run job=backup-test level=Full yes', 'wait', 'list jobs']);
  assert.equal(ran.code, 0, ran.stdout + burrow.logs());
  assert.match(ran.stdout, /\| 2\s+\| backup-test/);
});
