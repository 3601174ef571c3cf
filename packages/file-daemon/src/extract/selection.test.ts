import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listLines, nameSelection } from './selection.js';

const B = (s: string): Buffer => Buffer.from(s);

test('include lines select a path and what is below it, by bytes or by pattern; exclude lines leave out', () => {
  const select = nameSelection({
    include: listLines(Buffer.concat([B('/a/b/\n\n/c/*.txt\n'), Buffer.from([0x2f, 0xff, 0x0a])])),
    exclude: listLines(B('*.o\n/a/b/skip\n')),
  });
  const yes = ['/a/b', '/a/b/x', '/a/b/deep/y', '/c/one.txt', '/c/one.txt/inside'];
  const no = ['/a/bc', '/a', '/c/one.md', '/a/b/x.o', '/a/b/skip', '/a/b/skip/below', '/elsewhere'];
  for (const p of yes) assert.ok(select(B(p)), p);
  for (const p of no) assert.ok(!select(B(p)), p);
  assert.ok(select(Buffer.from([0x2f, 0xff])), 'a name that is not UTF-8');
  assert.ok(!select(Buffer.from([0x2f, 0xfe])));
  assert.ok(nameSelection({ exclude: [B('cache')] })(B('/var/x')), 'no include list: everything but the excluded');
  assert.ok(!nameSelection({ exclude: [B('cache')] })(B('/var/cache')));
});
