import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DirectorConfig } from '@burrow/common/config/index';
import { aclFailure, auditWanted, commandLine } from './audit.js';
import { DEFAULT_CONSOLE_NAME } from './console-name.js';

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
