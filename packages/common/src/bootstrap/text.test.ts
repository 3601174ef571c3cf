import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bootstrap } from './bootstrap.js';
import { parseBootstrapText, writeBootstrapText } from './text.js';
import { bootstrapFileCount, bootstrapToWire } from './wire.js';

const SAMPLE: Bootstrap = {
  sections: [
    { storage: 'File', volume: 'Full-0001', mediaType: 'File', sessionId: 3, startAddr: 4096, endAddr: 1_052_672,
      fileIndexes: [{ first: 1, last: 57 }], count: 57 },
    { volume: 'Full "odd" \\ name', mediaType: 'File', sessionId: 3, startAddr: 0, endAddr: 8192,
      fileIndexes: [{ first: 57, last: 60 }, { first: 70, last: 70 }] },
    // A tape address: file 2, block 9.
    { volume: 'Tape-7', sessionId: 4294967295, startAddr: 2 * 2 ** 32 + 9, endAddr: 2 * 2 ** 32 + 40, fileIndexes: [{ first: 2147483647, last: 2147483647 }] },
  ],
};

test('what the writer writes, the parser reads back as it was', () => {
  const text = writeBootstrapText(SAMPLE, { comments: ['05-Dec-2026 10:00:00 - backup.2026-12-05_10.00.00_03 - Full'] });
  assert.equal(text.split('\n').slice(0, 9).join('\n'), [
    '# 05-Dec-2026 10:00:00 - backup.2026-12-05_10.00.00_03 - Full',
    'Storage="File"', 'Volume="Full-0001"', 'MediaType="File"', 'VolSessionId=3', 'VolAddr=4096-1052672', 'FileIndex=1-57', 'Count=57',
    'Volume="Full \\"odd\\" \\\\ name"',
  ].join('\n'));
  assert.deepEqual(parseBootstrapText(text), SAMPLE);
  assert.equal(writeBootstrapText(parseBootstrapText(text)), writeBootstrapText(SAMPLE));
});

test('Bareos\'s spellings are read: any case, spaces around =, bare words, comma lists, several FileIndex lines', () => {
  const b = parseBootstrapText([
    '  # a comment', '', 'volume = Vol1', 'mediatype=File', 'VOLSESSIONID=12', 'voladdr = 10 - 20',
    'FileIndex=5,1-3', 'FileIndex=4', 'FileIndex=9-9', 'count=2',
  ].join('\r\n'));
  assert.deepEqual(b.sections, [{ volume: 'Vol1', mediaType: 'File', sessionId: 12, startAddr: 10, endAddr: 20, fileIndexes: [{ first: 1, last: 5 }, { first: 9, last: 9 }], count: 2 }]);
  assert.equal(bootstrapFileCount(b), 2);
});

test('the protobuf form carries the same selection: volume, session, start, every file index', () => {
  const text = writeBootstrapText(SAMPLE);
  // Files 1-60 and 70 of session 3 (57 is on both volumes: one file), one of session 2^32-1.
  assert.equal(bootstrapFileCount(SAMPLE), 62);
  assert.deepEqual(bootstrapToWire(parseBootstrapText(text)), [
    { volumeName: 'Full-0001', sessionId: 3, startAddr: 4096, fileIndexes: Array.from({ length: 57 }, (_, i) => i + 1) },
    { volumeName: 'Full "odd" \\ name', sessionId: 3, startAddr: 0, fileIndexes: [57, 58, 59, 60, 70] },
    { volumeName: 'Tape-7', sessionId: 4294967295, startAddr: 2 * 2 ** 32 + 9, fileIndexes: [2147483647] },
  ]);
  assert.throws(() => bootstrapToWire({ sections: [{ volume: 'V', sessionId: 1, startAddr: 0, endAddr: 0, fileIndexes: [{ first: 1, last: 2_000_000 }] }] }),
    { code: 'BOOTSTRAP_INVALID', message: /2000000 file indexes; at most 1000000/ });
});

test('malformed input is refused with the file and line that is wrong', () => {
  const bad = (text: string, message: RegExp): void => {
    assert.throws(() => parseBootstrapText(text, 'restore.bsr'), { name: 'BurrowError', code: 'BOOTSTRAP_INVALID', message }, text);
  };
  bad('Volume="A"\nVolSessionId=1\nVolAddr=0-1\nFileIndex=1\nVolSessionTime=1700000000', /^restore\.bsr:5: VolSessionTime is not taken by Burrow: Burrow volumes have no session time/);
  bad('Volume="A"\nVolBlock=1-2', /^restore\.bsr:2: VolBlock is not taken by Burrow: Burrow addresses a block with VolAddr/);
  bad('Volume="A"\nWhatever=1', /^restore\.bsr:2: unknown keyword Whatever/);
  bad('Volume="A"\nthis is not a line', /^restore\.bsr:2: expected Keyword=value/);
  bad('VolSessionId=1', /^restore\.bsr:1: VolSessionId= before any Volume=/);
  bad('Volume="A"\nVolSessionId=1\nFileIndex=1\nVolume="B"\nVolSessionId=1\nVolAddr=0-1\nFileIndex=1', /^restore\.bsr:1: the section of Volume "A" has no VolAddr/);
  bad('Volume="A"\nVolSessionId=1\nVolSessionId=2', /^restore\.bsr:3: a second VolSessionId= in the section of Volume "A" \(line 1\)/);
  bad('Volume="A"\nVolSessionId=0', /^restore\.bsr:2: VolSessionId=0 is outside 1-4294967295/);
  bad('Volume="A"\nVolSessionId=x', /^restore\.bsr:2: VolSessionId=x: expected a whole number/);
  bad('Volume="A"\nVolAddr=20-10', /^restore\.bsr:2: VolAddr=20-10: the range ends before it starts/);
  bad('Volume="A"\nVolAddr=20', /^restore\.bsr:2: VolAddr=20: expected FIRST-LAST/);
  bad('Volume="A"\nFileIndex=0', /^restore\.bsr:2: FileIndex=0 is outside 1-2147483647/);
  bad('Volume="A', /^restore\.bsr:1: Volume= has no closing quote/);
  bad('Volume="A" x', /^restore\.bsr:1: text after the closing quote of Volume=/);
  bad('Volume=two words', /^restore\.bsr:1: Volume= needs a name, quoted if it has spaces/);
  bad('Volume="A"\nVolSessionId=1\nVolAddr=0-1\nFileIndex=1-2\nCount=3', /^restore\.bsr:1: Count=3 in the section of Volume "A" is more than its FileIndex ranges hold \(2\)/);
  bad('Volume="A"\nVolSessionId=1\nVolAddr=0-1\nFileIndex=1\nStorage="File"', /^restore\.bsr:5: Storage= with no Volume= after it/);
  bad('# nothing\n\n', /^restore\.bsr:3: no Volume= in the bootstrap/);
  assert.throws(() => writeBootstrapText({ sections: [{ volume: 'a\nb', sessionId: 1, startAddr: 0, endAddr: 0, fileIndexes: [{ first: 1, last: 1 }] }] }),
    { code: 'BOOTSTRAP_INVALID', message: /control character/ });
});
