import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { argsError, choice, count, flag, ids, many, maybeEmpty, text } from './arg-types.js';
import { keywordInput, parseCommand } from './args.js';

const schema = z.object({
  what: choice(['jobs', 'volumes']).optional(),
  client: text().optional(),
  where: maybeEmpty().optional(),
  limit: count().optional(),
  jobid: ids().optional(),
  file: many().default([]),
  yes: flag().default(false),
}).strict();
const command = { name: 'demo', usage: 'demo [jobs|volumes] [client=] ...', positional: 'what' };

/** Checks a console line the way the session does: words, then the schema. */
function line(text: string): z.output<typeof schema> {
  const parsed = schema.safeParse(keywordInput(parseCommand(`demo ${text}`).args, 'what'));
  if (!parsed.success) throw argsError(command, parsed.error);
  return parsed.data;
}

function refused(text: string, message: RegExp): void {
  assert.throws(() => line(text), (err: unknown) => err instanceof BurrowError && err.code === 'BAD_REQUEST' && message.test(err.message), text);
}

test('a console line and JSON give the same arguments', () => {
  const fromLine = line('Jobs client=c1 limit=10 jobid=1,2 jobid=3 file=/a file=/b yes where=');
  const fromJson = schema.parse({ what: 'jobs', client: 'c1', limit: 10, jobid: [1, 2, 3], file: ['/a', '/b'], yes: true, where: '' });
  assert.deepEqual(fromLine, fromJson);
  assert.deepEqual(fromLine, { what: 'jobs', client: 'c1', limit: 10, jobid: [1, 2, 3], file: ['/a', '/b'], yes: true, where: '' });
  assert.deepEqual(schema.parse({ jobid: 7, file: '/one' }), { jobid: [7], file: ['/one'], yes: false });
  assert.deepEqual(line('jobid=" 4 , 5 "'), { jobid: [4, 5], file: [], yes: false });
});

test('every problem names its keyword, all of them at once', () => {
  refused('limit=1x', /^demo: limit= must be a number, not "1x"$/);
  refused('limit=-1', /limit= must be a number/);
  refused('jobs limit', /^demo: limit= needs a value$/);
  refused('jobid=4,x', /^demo: jobid= must be numbers separated by commas, not "4,x"$/);
  refused('client=', /^demo: missing client=$/);
  refused('client=a client=b', /^demo: client= given more than once$/);
  refused('yes=no', /^demo: yes= takes no value, not "no"$/);
  refused('jobs file', /^demo: file= needs a value$/);
  refused('limit=x client=', /^demo: missing client=; limit= must be a number, not "x"$/);
});

test('an unknown keyword is refused by name, with the usage', () => {
  refused('jobstatus=T', /^demo: unknown keyword "jobstatus"; usage: demo \[jobs\|volumes\]/);
  refused('jobs select pool=x', /unknown keywords "select", "pool"/);
});

test('a positional word outside its choices says what to give', () => {
  refused('foo', /^demo: must be one of jobs, volumes, not "foo"$/);
  const hinted = z.object({ what: choice(['dir'], 'say dir or client=NAME') }).strict();
  const parsed = hinted.safeParse({ what: 'x' });
  assert.equal(parsed.success, false);
  if (!parsed.success) assert.equal(argsError({ name: 'status', usage: '', positional: 'what' }, parsed.error).message, 'status: say dir or client=NAME, not "x"');
});
