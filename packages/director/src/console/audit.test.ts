import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectorConfig } from '@burrow/common/config/index';
import { aclFailure, auditWanted, commandLine } from './audit.js';
import { DEFAULT_CONSOLE_NAME } from './console-name.js';
import { execute, hostOf, runAsDirector } from './session.js';
import { openTestConsole } from './test-console.js';

const director = (auditing: boolean, auditEvents: string[] = []) => ({ auditing, auditEvents }) as unknown as DirectorConfig['director'];

test('which commands are audited: none without Auditing, Bareos\'s set by default, Audit Events narrows it', () => {
  assert.equal(auditWanted(director(false), 'run'), false);
  for (const c of ['run', 'restore', 'list', 'show', 'reload', 'query', 'label', 'cancel', '.bvfs_lsdirs', 'some-new-command']) {
    assert.equal(auditWanted(director(true), c), true, c);
  }
  for (const c of ['help', '.api', 'messages', 'version', 'wait']) assert.equal(auditWanted(director(true), c), false, c);
  assert.equal(auditWanted(director(true, ['Run', 'restore']), 'run'), true);
  assert.equal(auditWanted(director(true, ['run', 'restore']), 'list'), false);
  assert.equal(auditWanted(director(true, ['help']), 'help'), false, 'never the commands Bareos does not audit');
});

test("audit lines in Bareos's words", () => {
  assert.equal(commandLine({ consoleName: 'alice', from: '10.0.0.7' }, 'run job=x yes\n'), 'Console [alice] from [10.0.0.7] cmdline run job=x yes');
  assert.equal(commandLine({ consoleName: DEFAULT_CONSOLE_NAME, from: '127.0.0.1' }, 'list jobs'), 'Console [default] from [127.0.0.1] cmdline list jobs');
  assert.equal(aclFailure({ consoleName: 'alice' }, 'delete'), 'Console [alice] from [unknown], Audit acl failure for Command delete');
});

test('with Auditing = yes the session writes audited commands and CommandACL refusals to audit destinations', async (t) => {
  const logDir = mkdtempSync(join(tmpdir(), 'burrow-audit-'));
  t.after(() => rmSync(logDir, { recursive: true, force: true }));
  const auditLog = join(logDir, 'audit.log');
  const tc = await openTestConsole('Console { Name = alice; Password = "a"; CommandACL = list }', {
    director: 'Auditing = yes', daemonMessages: `Append = "${auditLog}" = audit; Append = "${join(logDir, 'other.log')}" = all, !audit`,
  });
  t.after(() => tc.close());
  await execute(tc.context(), 'list clients');
  await execute(tc.context(), 'version');
  await execute(tc.context('alice'), 'status dir');
  await runAsDirector(tc.services, 'list pools');
  const lines = readFileSync(auditLog, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 3, lines.join('\n'));
  assert.match(lines[0] ?? '', /^\d{2}-\w{3} \d{2}:\d{2} test-dir: Console \[default\] from \[127\.0\.0\.1\] cmdline list clients$/);
  assert.match(lines[1] ?? '', /test-dir: Console \[alice\] from \[127\.0\.0\.1\], Audit acl failure for Command status$/);
  assert.match(lines[2] ?? '', /test-dir: Console \[default\] from \[unknown\] cmdline list pools$/, 'a run script\'s console line');
  assert.equal(existsSync(join(logDir, 'other.log')), false, 'audit lines go only where audit is taken');
});

test('Audit Events narrows what is logged; without Auditing nothing is', async (t) => {
  const logDir = mkdtempSync(join(tmpdir(), 'burrow-audit-'));
  t.after(() => rmSync(logDir, { recursive: true, force: true }));
  const auditLog = join(logDir, 'audit.log');
  const narrow = await openTestConsole('', { director: 'Auditing = yes; Audit Events = show', daemonMessages: `Append = "${auditLog}" = audit` });
  t.after(() => narrow.close());
  await execute(narrow.context(), 'list clients');
  await execute(narrow.context(), 'show pools');
  assert.match(readFileSync(auditLog, 'utf8'), /^[^\n]*cmdline show pools\n$/);
  const off = await openTestConsole('', { daemonMessages: `Append = "${join(logDir, 'off.log')}" = audit` });
  t.after(() => off.close());
  await execute(off.context(), 'list clients');
  assert.equal(existsSync(join(logDir, 'off.log')), false);
});

test('a console is named by its address without the port, an IPv4 one of a dual-stack listener as IPv4', () => {
  assert.equal(hostOf('10.0.0.7:53122'), '10.0.0.7');
  assert.equal(hostOf('::ffff:127.0.0.1:40000'), '127.0.0.1');
  assert.equal(hostOf('::1:40000'), '::1');
  assert.equal(hostOf('fe80::1:40000'), 'fe80::1');
});
