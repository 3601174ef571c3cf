/**
 * How long the property-based tests (fast-check) run. In `npm test` each property gets
 * a fixed, small number of cases: the fuzzers together take seconds. `npm run fuzz`
 * sets BURROW_FUZZ_SECONDS, and each property then runs for that many seconds (as
 * many cases as fit), with a fresh seed each run; a failure prints its seed and
 * shrunk case, to be kept as a regression test. BURROW_FUZZ_SEED replays one.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import fc from 'fast-check';
import { BurrowError, isBurrowErrorCode } from '@burrow/common/errors/index';

const LONG_SECONDS = Number(process.env['BURROW_FUZZ_SECONDS'] ?? 0);
const SEED = process.env['BURROW_FUZZ_SEED'];

/**
 * Runs `property`: `shortRuns` cases in npm test, or batches of them for
 * BURROW_FUZZ_SECONDS; says how many. Batches, not fast-check's own time limit: that
 * one leaves an async case running when time is up, to overlap the next property's.
 */
export async function check<Ts>(t: TestContext, property: fc.IAsyncPropertyWithHooks<Ts> | fc.IPropertyWithHooks<Ts>, shortRuns: number): Promise<void> {
  const long = Number.isFinite(LONG_SECONDS) && LONG_SECONDS > 0;
  const started = Date.now();
  const until = started + LONG_SECONDS * 1000;
  let cases = 0;
  let seed = SEED === undefined ? undefined : Number(SEED);
  do {
    const params: fc.Parameters<Ts> = seed === undefined ? { numRuns: shortRuns } : { numRuns: shortRuns, seed };
    const details = await fc.check(property as fc.IAsyncProperty<Ts>, params);
    cases += details.numRuns;
    if (details.failed) {
      const why = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      assert.fail(`${why}\n${fc.defaultReportMessage(details) ?? 'property failed'}`);
    }
    seed = undefined; // a replayed seed once, then fresh ones
  } while (long && Date.now() < until);
  t.diagnostic(`${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * What a refusal must be: a BurrowError with a code of the vocabulary and a message
 * that says something. Anything else thrown (a TypeError, a RangeError from a Buffer
 * read) is a crash the fuzzer found.
 */
export function assertClearRefusal(err: unknown, codes?: readonly string[]): void {
  if (!(err instanceof BurrowError)) throw new Error(`not a clear refusal: ${err instanceof Error ? err.stack : String(err)}`);
  assert.ok(isBurrowErrorCode(err.code), `unknown code ${err.code}`);
  if (codes !== undefined) assert.ok(codes.includes(err.code), `code ${err.code} (${err.message}), expected one of ${codes.join(', ')}`);
  assert.ok(err.message.trim().length >= 8, `a refusal that says nothing: "${err.message}"`);
}

/** Calls `f`; a throw must be a clear refusal (assertClearRefusal). Returns f's value or undefined. */
export function refusedClearly<T>(f: () => T, codes?: readonly string[]): T | undefined {
  try {
    return f();
  } catch (err) {
    assertClearRefusal(err, codes);
    return undefined;
  }
}

/** `bytes` with up to `n` random changes: flips, overwrites, cuts, insertions, zeroed runs, a cut-off end. */
export function mutated(bytes: Buffer, n = 4): fc.Arbitrary<Buffer> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), data: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant('zero' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4096 }) }),
    fc.record({ kind: fc.constant('end' as const), at: fc.nat() }),
  );
  return fc.array(edit, { minLength: 1, maxLength: n }).map((edits) => {
    let out = Buffer.from(bytes);
    for (const e of edits) {
      const at = out.length === 0 ? 0 : e.at % (out.length + (e.kind === 'insert' ? 1 : 0));
      if (e.kind === 'flip' && out.length > 0) out[at] = (out[at] ?? 0) ^ (1 << e.bit);
      else if (e.kind === 'set' && out.length > 0) out[at] = e.value;
      else if (e.kind === 'cut') out = Buffer.concat([out.subarray(0, at), out.subarray(at + e.length)]);
      else if (e.kind === 'insert') out = Buffer.concat([out.subarray(0, at), Buffer.from(e.data), out.subarray(at)]);
      else if (e.kind === 'zero') out.fill(0, at, Math.min(out.length, at + e.length));
      else if (e.kind === 'end') out = out.subarray(0, at);
    }
    return out;
  });
}
