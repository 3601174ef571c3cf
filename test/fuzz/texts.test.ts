/**
 * Fuzzing the texts an administrator hands Burrow (issue 14): configuration files (the
 * lexer and parser, and each daemon's loader on mutated stock configurations) and
 * bootstrap (.bsr) files (the parser, its round trip with the writer, and the wire form
 * the Director makes of them). No crash, no hang, every refusal a clear BurrowError
 * that names where.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { tokenize } from '@burrow/common/config/syntax/lexer';
import { parseTokens } from '@burrow/common/config/syntax/parser';
import { loadConsoleConfig, loadDirectorConfig, loadFileDaemonConfig, loadStorageConfig } from '@burrow/common/config/index';
import { BurrowError } from '@burrow/common/errors/index';
import { parseBootstrapText, writeBootstrapText } from '@burrow/common/bootstrap/text';
import { bootstrapFileCount, bootstrapToWire } from '@burrow/common/bootstrap/wire';
import type { Bootstrap } from '@burrow/common/bootstrap/bootstrap';
import { REPO } from '../harness/paths.js';
import { check, mutated, refusedClearly } from './budget.js';

const CONFIG_CODES = ['CONFIG_SYNTAX', 'CONFIG_INVALID', 'CONFIG_INCLUDE'];

/** Every file of a stock configuration, one text (a .d directory read in name order). */
function stockText(path: string): string {
  if (!statSync(path).isDirectory()) return readFileSync(path, 'utf8');
  return readdirSync(path).sort().map((n) => stockText(join(path, n))).join('\n');
}

/** Text in the configuration's alphabet: words, quotes, braces, separators, comments, odd bytes. */
const configish = fc.array(fc.oneof(
  fc.constantFrom('Director', 'Job', 'Name', '=', '{', '}', ';', ',', '"', '\\', '#', '\n', ' ', '@', 'yes', '10 GB', '"a b"', 'Include', 'File', 'Options', '\t', '\r\n', '*', '@"x"'),
  fc.string({ maxLength: 6 }),
  fc.integer().map(String),
), { maxLength: 60 }).map((parts) => parts.join(''));

describe('fuzz: configuration texts', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'burrow-fuzz-conf-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the lexer and parser take any text: resources or a clear refusal', async (t) => {
    const noIncludes = (spec: string, at: { file: string; line: number }): never => {
      throw new BurrowError('CONFIG_INCLUDE', `${at.file}:${at.line}: no includes here (${spec})`);
    };
    await check(t, fc.property(fc.oneof(configish, fc.string({ maxLength: 200 })), (text) => {
      const nodes = refusedClearly(() => parseTokens(tokenize(text, 'fuzz.conf', noIncludes)), CONFIG_CODES);
      if (nodes !== undefined) assert.ok(Array.isArray(nodes));
    }), 400);
  });

  const daemons = [
    { name: 'Director', stock: join(REPO, 'configs', 'burrow-dir.d'), load: loadDirectorConfig },
    { name: 'Storage daemon', stock: join(REPO, 'configs', 'burrow-sd.d'), load: loadStorageConfig },
    { name: 'console', stock: join(REPO, 'configs', 'bconsole.conf'), load: loadConsoleConfig },
  ] as const;
  for (const d of daemons) {
    it(`the ${d.name}'s loader takes any mutation of its stock configuration: a configuration or a clear refusal`, async (t) => {
      const stock = Buffer.from(stockText(d.stock));
      let n = 0;
      await check(t, fc.property(mutated(stock, 8), (bytes) => {
        const file = join(dir, `case-${n++}.conf`);
        writeFileSync(file, bytes);
        refusedClearly(() => d.load(file), CONFIG_CODES);
        rmSync(file);
      }), 60);
    });
  }

  it("the File daemon's loader takes configuration-like text: a configuration or a clear refusal", async (t) => {
    const base = 'FileDaemon { Name = fd; FDPort = 9102; Working Directory = "/tmp" }\nDirector { Name = d; Password = "p" }\n';
    let n = 0;
    await check(t, fc.property(fc.oneof(mutated(Buffer.from(base), 8), configish.map((s) => Buffer.from(base + s))), (bytes) => {
      const file = join(dir, `fd-${n++}.conf`);
      writeFileSync(file, bytes);
      refusedClearly(() => loadFileDaemonConfig(file), CONFIG_CODES);
      rmSync(file);
    }), 100);
  });
});

const SAMPLE: Bootstrap = {
  sections: [
    { storage: 'File', volume: 'Full-0001', mediaType: 'File', sessionId: 3, startAddr: 4096, endAddr: 1052672, fileIndexes: [{ first: 1, last: 57 }, { first: 60, last: 60 }], count: 58 },
    { volume: 'Incr "odd" \\ name', sessionId: 9, startAddr: 2 ** 32 + 5, endAddr: 2 ** 33, fileIndexes: [{ first: 4, last: 4 }] },
  ],
};

/** A model a writer could make: names of any text, numbers in range, sorted disjoint ranges. */
const bootstrapModel: fc.Arbitrary<Bootstrap> = fc.array(fc.record({
  storage: fc.option(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\n\r]/.test(s)), { nil: undefined }),
  volume: fc.string({ minLength: 1, maxLength: 16 }).filter((s) => !/[\n\r]/.test(s)),
  mediaType: fc.option(fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/[\n\r]/.test(s)), { nil: undefined }),
  sessionId: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
  startAddr: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  length: fc.nat({ max: 2 ** 40 }),
  points: fc.uniqueArray(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 12 }),
}), { minLength: 1, maxLength: 4 }).map((secs) => ({
  sections: secs.map((s) => {
    const sorted = [...s.points].sort((a, b) => a - b);
    const fileIndexes = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) fileIndexes.push({ first: sorted[i]!, last: sorted[i + 1]! });
    if (sorted.length % 2 === 1) fileIndexes.push({ first: sorted.at(-1)!, last: sorted.at(-1)! });
    const section = { volume: s.volume, sessionId: s.sessionId, startAddr: s.startAddr, endAddr: Math.min(s.startAddr + s.length, Number.MAX_SAFE_INTEGER), fileIndexes };
    return { ...section, ...(s.storage === undefined ? {} : { storage: s.storage }), ...(s.mediaType === undefined ? {} : { mediaType: s.mediaType }) };
  }),
}));

describe('fuzz: bootstrap texts', () => {
  it('what the writer writes, the parser reads back the same', async (t) => {
    await check(t, fc.property(bootstrapModel, (b) => {
      // Ranges next to each other are one range to the parser: compare in that form.
      const text = writeBootstrapText(b);
      const back = parseBootstrapText(text, 'fuzz.bsr');
      assert.deepEqual(parseBootstrapText(writeBootstrapText(back), 'again.bsr'), back);
      assert.equal(back.sections.length, b.sections.length);
      back.sections.forEach((s, i) => assert.equal(s.volume, b.sections[i]!.volume));
    }), 200);
  });

  it('any text, or a mutated bootstrap, is a bootstrap the wire can carry or a clear refusal naming the line', async (t) => {
    const text = fc.oneof(
      mutated(Buffer.from(writeBootstrapText(SAMPLE)), 8).map((b) => b.toString('utf8')),
      fc.array(fc.oneof(fc.constantFrom('Volume=', 'VolSessionId=', 'VolAddr=', 'FileIndex=', 'Count=', 'Storage=', '"', '-', ',', '\n', '#', ' ', '='), fc.nat().map(String), fc.string({ maxLength: 5 })), { maxLength: 40 }).map((p) => p.join('')),
    );
    await check(t, fc.property(text, (s) => {
      const b = refusedClearly(() => parseBootstrapText(s, 'fuzz.bsr'), ['BOOTSTRAP_INVALID']);
      if (b === undefined) return;
      const wire = refusedClearly(() => bootstrapToWire(b), ['BOOTSTRAP_INVALID']);
      assert.ok(bootstrapFileCount(b) >= 0);
      if (wire !== undefined) assert.equal(wire.length, b.sections.length);
    }), 400);
  });

  it('a refusal names the file and line', () => {
    const err = (() => { try { parseBootstrapText('Volume="V"\nVolSessionTime=3\n', 'r.bsr'); } catch (e) { return e as Error; } return undefined; })();
    assert.match(err?.message ?? '', /^r\.bsr:2: /);
  });
});
