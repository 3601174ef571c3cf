import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayPath, parseDisplayPath } from './index.js';

test('names shown are unambiguous and read back to the same bytes', () => {
  const cases = [
    Buffer.from('/etc/passwd'),
    Buffer.from('/tmp/caf\u00e9 na\u0308me'),
    Buffer.from([0x2f, 0x61, 0xff, 0xfe, 0x0a, 0x09, 0x5c, 0x78, 0x34, 0x31]),
    Buffer.from('/back\\slash\\x41'),
    Buffer.from([0x2f, 0xc3]),
  ];
  for (const c of cases) {
    const shown = displayPath(c);
    assert.doesNotMatch(shown, /[\x00-\x1f]/);
    assert.deepEqual(parseDisplayPath(shown), c, shown);
  }
  assert.equal(displayPath(Buffer.from('/a\nb')), '/a\\x0ab');
  assert.equal(displayPath(Buffer.from('/caf\u00e9')), '/caf\u00e9');
  assert.throws(() => parseDisplayPath('/bad\\q'), /bad escape/);
});
