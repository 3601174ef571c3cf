import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relayedText } from './file-lines.js';

test('a line about a file known by number gets its name from the catalog, or keeps the numbers', async () => {
  const names = new Map([['5:90', Buffer.from([0x2f, 0x62, 0xff])]]);
  const nameFile = async (jobId: number, fileIndex: number) => names.get(`${jobId}:${fileIndex}`);
  assert.equal(await relayedText({ text: 'plain', sessionId: 0, fileIndex: 0 }, nameFile), 'plain');
  assert.equal(await relayedText({ text: 'not restored', sessionId: 5, fileIndex: 90 }, nameFile), '/b\\xff: not restored');
  assert.equal(await relayedText({ text: 'not restored', sessionId: 5, fileIndex: 91 }, nameFile), 'JobId 5 FileIndex 91: not restored');
  assert.equal(await relayedText({ text: 'x', sessionId: 5, fileIndex: 90 }), 'JobId 5 FileIndex 90: x');
  const broken = async () => { throw new Error('catalog locked'); };
  assert.equal(await relayedText({ text: 'x', sessionId: 5, fileIndex: 90 }, broken), 'JobId 5 FileIndex 90: x');
});
