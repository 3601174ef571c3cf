/**
 * Burrow's LZ4 frames against the reference tool (Debian's `lz4`, installed when
 * missing) and against the records written before them: frames made by lz4-napi, the
 * binding the File daemon used until 2026-12, kept in test/fixtures/lz4-napi (made
 * from the contents below with its `compressFrameSync`, which its async form matched
 * byte for byte). A volume written then must still restore.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lz4Frame, readLz4Frame } from '@burrow/file-daemon/backup/lz4-frame';
import { ensureDebianPackage } from '../harness/debian.js';
import { REPO } from '../harness/paths.js';

const LZ4 = '/usr/bin/lz4';
const MiB = 1024 * 1024;

/** Incompressible bytes, the same on every run: AES-128-CTR's stream under a zero key. */
function noise(n: number): Buffer {
  return createCipheriv('aes-128-ctr', Buffer.alloc(16), Buffer.alloc(16)).update(Buffer.alloc(n));
}

const WORDS = ['volume', 'pool', 'catalog', 'storage', 'client', 'fileset', 'schedule', 'job', 'level', 'full', 'incremental', 'differential', 'restore', 'backup', 'label', 'mount'];

/** Text of words picked by a fixed linear congruential sequence (compresses, not to nothing). */
function text(n: number): Buffer {
  let x = 1;
  const parts: string[] = [];
  let length = 0;
  while (length < n) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const w = `${WORDS[x % WORDS.length]}${(x >> 8) % 7 === 0 ? '\n' : ' '}`;
    parts.push(w);
    length += w.length;
  }
  return Buffer.from(parts.join('')).subarray(0, n);
}

/** The fixtures, each with the content lz4-napi was given. */
const OLD: Record<string, Buffer> = {
  'empty': Buffer.alloc(0),
  'three-bytes': Buffer.from('abc'),
  'text-40k': text(40 * 1024),
  'text-200k': text(200 * 1024),
  'noise-20k': noise(20 * 1024),
  'mixed-1m': Buffer.concat([noise(16 * 1024), text(MiB - 16 * 1024)]),
};

function lz4(args: string[], input: Buffer): Buffer {
  const r = spawnSync(LZ4, args, { input, maxBuffer: 64 * MiB });
  assert.equal(r.status, 0, `lz4 ${args.join(' ')}: ${r.stderr?.toString()}`);
  return r.stdout;
}

describe('LZ4 frames and the lz4 tool', () => {
  ensureDebianPackage(LZ4, 'lz4');

  it('lz4 -d reads every frame Burrow writes', () => {
    for (const content of [Buffer.alloc(0), Buffer.from('x'), text(300_000), noise(MiB), Buffer.concat([text(5 * MiB), noise(100_000)])]) {
      assert.ok(lz4(['-d', '-c'], lz4Frame(content)).equals(content), `${content.length} bytes`);
    }
  });

  it('Burrow reads the frames lz4 writes: independent blocks, and one block of linked ones; more linked blocks are refused', async () => {
    const big = Buffer.concat([text(5 * MiB), noise(MiB)]);
    for (const [args, content] of [[['-BI', '-B4'], big], [['-BI', '-B7', '--content-size'], big], [['-BI', '-BX', '-B4'], text(300_000)], [['-BD'], text(300_000)]] as const) {
      const frame = lz4(['-c', ...args], content);
      assert.ok((await readLz4Frame(frame, 16 * MiB)).equals(content), `lz4 ${args.join(' ')}`);
    }
    await assert.rejects(readLz4Frame(lz4(['-c', '-BD', '-B4'], text(300_000)), 16 * MiB), /linked blocks/);
  });

  it('the frames lz4-napi wrote before still read, to the same bytes lz4 -d gives', async () => {
    for (const [name, content] of Object.entries(OLD)) {
      const frame = readFileSync(join(REPO, 'test', 'fixtures', 'lz4-napi', `${name}.lz4`));
      assert.ok((await readLz4Frame(frame, 16 * MiB)).equals(content), name);
      assert.ok(lz4(['-d', '-c'], frame).equals(content), `${name}: the fixture is what lz4 -d reads too`);
    }
  });
});
