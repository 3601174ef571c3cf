import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameAcl, unrestricted, whereAcl } from './acl.js';

test('the first matching entry decides; ! denies; *all* matches everything; nothing matching denies', () => {
  const acl = nameAcl([['!delete', '!purge', '*all*']]);
  assert.equal(acl('list'), true);
  assert.equal(acl('DELETE'), false, 'names match ignoring case');
  assert.equal(acl('purge'), false);
  const order = nameAcl([['*all*', '!delete']]);
  assert.equal(order('delete'), true, 'an entry after *all* is never reached');
  assert.equal(nameAcl([['list']])('run'), false);
  assert.equal(nameAcl([[]])('run'), false);
  assert.equal(nameAcl([['!*all*']])('run'), false);
});

test('an entry with regular-expression characters matches whole names, ignoring case', () => {
  const acl = nameAcl([['backup-.*', '!secret.+', 'client[0-9]']]);
  assert.equal(acl('backup-web'), true);
  assert.equal(acl('BACKUP-db'), true);
  assert.equal(acl('nightly-backup-web'), false, 'a partial match is no match');
  assert.equal(acl('client7'), true);
  assert.equal(acl('client77'), false);
  assert.equal(nameAcl([['[unclosed', 'x']])('[unclosed'), true, 'an entry that does not compile still matches itself exactly');
  assert.equal(nameAcl([['[unclosed']])('u'), false);
});

test("a console's own list decides first, then its profiles' in order", () => {
  const own = ['!run'];
  const readonly = ['list', 'llist', 'status'];
  const admin = ['!delete', '*all*'];
  const acl = nameAcl([own, readonly, admin]);
  assert.equal(acl('run'), false, "the console's own deny wins over a profile's *all*");
  assert.equal(acl('list'), true);
  assert.equal(acl('label'), true, 'the second profile allows what the first does not mention');
  assert.equal(acl('delete'), false, "the second profile's deny");
  assert.equal(nameAcl([[], readonly])('label'), false, 'no profile mentions it: denied');
  assert.equal(nameAcl([['!list'], ['list']])('list'), false);
  assert.equal(nameAcl([[], ['!list'], ['list']])('list'), false, 'the first profile with an opinion decides');
});

test('WhereACL: a folder and what lies below it, ! and *all*, never ..', () => {
  const acl = whereAcl([['!/srv/restores/secret', '/srv/restores/'], ['/tmp/x']]);
  assert.equal(acl('/srv/restores'), true);
  assert.equal(acl('/srv/restores/alice'), true);
  assert.equal(acl('/srv/restores-other'), false);
  assert.equal(acl('/srv/restores/secret/a'), false);
  assert.equal(acl('/tmp/x/y'), true, "a profile's entry");
  assert.equal(acl('/srv/restores/../etc'), false);
  assert.equal(whereAcl([['*all*']])('/anywhere'), true);
  assert.equal(whereAcl([['*all*']])('/a/../b'), false);
  assert.equal(whereAcl([['/srv/r.d']])('/srv/rxd'), false, 'dots in a path are dots');
});

test('unrestricted: *all* before any ! entry, in the console\'s list or a profile\'s', () => {
  assert.equal(unrestricted([['*all*']]), true);
  assert.equal(unrestricted([[], ['a'], ['*all*']]), true);
  assert.equal(unrestricted([['!secret', '*all*']]), false);
  assert.equal(unrestricted([['a', 'b']]), false);
  assert.equal(unrestricted([]), false);
});
