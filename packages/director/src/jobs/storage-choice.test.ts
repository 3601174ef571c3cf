import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BootstrapSection } from '@burrow/common/bootstrap/bootstrap';
import type { StorageTarget } from '../sd/storage-link.js';
import { partVolumes, readingParts } from './storage-choice.js';

const storage = (name: string, mediaType: string): StorageTarget => ({ name, address: '127.0.0.1', port: 9103, password: 'x', device: 'd', devices: ['d'], mediaType, autoChanger: false, maximumConcurrentJobs: 1 });
const sd1 = storage('sd1', 'File1');
const sd2 = storage('sd2', 'File2');

const section = (volume: string, sessionId: number, more: Partial<BootstrapSection> = {}): BootstrapSection => ({
  volume, sessionId, startAddr: 0, endAddr: 0, fileIndexes: [{ first: 1, last: 1 }], ...more,
});

const shown = (sections: BootstrapSection[], fallback = sd1): string[] =>
  readingParts({ sections }, [sd1, sd2], fallback).map((p) => `${p.storage.name}:${partVolumes(p).join('+')}`);

test('consecutive volumes of one Media Type make one read session, in the bootstrap\'s order', () => {
  assert.deepEqual(shown([
    section('A', 1, { mediaType: 'File2' }), section('B', 1, { mediaType: 'File2' }),
    section('C', 2, { mediaType: 'File1' }),
    section('D', 3, { mediaType: 'File2' }),
  ]), ['sd2:A+B', 'sd1:C', 'sd2:D']);
});

test('a volume read twice (two jobs on it) is named once in its part', () => {
  assert.deepEqual(shown([section('A', 1, { mediaType: 'File1' }), section('A', 2, { mediaType: 'File1' })]), ['sd1:A']);
});

test('a Storage= of a .bsr wins over the Media Type; without either, or with an unknown type, the fallback reads', () => {
  assert.deepEqual(shown([section('A', 1, { mediaType: 'File1', storage: 'SD2' })]), ['sd2:A']);
  assert.deepEqual(shown([section('A', 1), section('B', 2, { mediaType: 'Tape' })], sd2), ['sd2:A+B']);
});
