import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { burrow } from '../proto/index.js';
import { decodeSettings, encodeSettings, sizeMatches, VALUE_OPTIONS, type OptionValues, type SizeMatch, type ValueKey } from './options.js';

/** Texts an administrator may write for each option, and the value each means. */
const SAMPLES: { readonly [K in ValueKey]: ReadonlyArray<readonly [string, NonNullable<OptionValues[K]>]> } = {
  signature: [['md5', 'MD5'], ['SHA1', 'SHA1'], ['sha256', 'SHA256'], ['Sha512', 'SHA512'], ['xxh128', 'XXH128']],
  compression: [['gzip', { algorithm: 'GZIP', level: 6 }], ['GZIP9', { algorithm: 'GZIP', level: 9 }], ['lz4', { algorithm: 'LZ4', level: 1 }],
    ['zstd', { algorithm: 'ZSTD', level: 3 }], ['LZO', { algorithm: 'LZ4', level: 1 }]],
  onefs: [['yes', true], ['No', false]],
  recurse: [['no', false]],
  exclude: [['yes', true]],
  sparse: [['yes', true]],
  aclsupport: [['no', false]],
  xattrsupport: [['no', false]],
  mtimeonly: [['yes', true]],
  accurate: [['mcs', 'mcs'], ['ipnugsamcd51A', 'ipnugsamcd51A']],
  verify: [['pins5', 'pins5'], ['1', '1']],
  ignorecase: [['yes', true]],
  readfifo: [['yes', true]],
  noatime: [['no', false]],
  keepatime: [['yes', true]],
  hardlinks: [['no', false]],
  honornodumpflag: [['yes', true]],
  fstype: [['ext4', ['ext4']], ['EXT4, xfs', ['ext4', 'xfs']]],
  checkfilechanges: [['yes', true]],
  size: [['<10k', { kind: 'smaller', low: 10240, high: 10240 }], ['>1 MB', { kind: 'greater', low: 1e6, high: 1e6 }],
    ['1k-2k', { kind: 'range', low: 1024, high: 2048 }], ['500', { kind: 'approx', low: 500, high: 500 }]],
};

describe('the shared FileSet options table', () => {
  it('round-trips every value option: text -> value -> wire text -> the same value', () => {
    for (const key of Object.keys(VALUE_OPTIONS) as ValueKey[]) {
      const samples = SAMPLES[key] as ReadonlyArray<readonly [string, unknown]>;
      assert.ok(samples.length > 0, `${key} has samples`);
      for (const [text, want] of samples) {
        const parsed = VALUE_OPTIONS[key].value.parse(text);
        assert.ok(parsed.ok, `${key} = ${text}`);
        assert.deepEqual(parsed.value, want, `${key} = ${text}`);
        const wire = encodeSettings({ [key]: parsed.value } as OptionValues);
        // Through the protobuf message the FileSet travels in, as the File daemon receives it.
        const received = burrow.FileSetOptions.decode(burrow.FileSetOptions.encode({ settings: wire }).finish()).settings;
        assert.deepEqual(decodeSettings(received), { [key]: want }, `${key} = ${text} on the File daemon`);
      }
    }
  });

  it('refuses on the File daemon what the table does not let through, naming each', () => {
    assert.throws(() => decodeSettings({ checkchanges: 'yes', signature: 'CRC32', onefs: 'maybe' }), (e: Error) => {
      assert.match(e.message, /checkchanges: not an option the File daemon acts on/);
      assert.match(e.message, /signature: "CRC32" is not one of MD5/);
      assert.match(e.message, /onefs: "maybe" is not yes or no/);
      return true;
    });
  });

  it('matches sizes as Bareos does: smaller, greater, an inclusive range, within 1%', () => {
    const m = (text: string): SizeMatch => {
      const p = VALUE_OPTIONS.size.value.parse(text);
      assert.ok(p.ok, text);
      return p.value;
    };
    assert.deepEqual([1023, 1024].map((n) => sizeMatches(m('<1k'), n)), [true, false]);
    assert.deepEqual([1024, 1025].map((n) => sizeMatches(m('>1k'), n)), [false, true]);
    assert.deepEqual([99, 100, 200, 201].map((n) => sizeMatches(m('100-200'), n)), [false, true, true, false]);
    assert.deepEqual([9899, 9901, 10099, 10100].map((n) => sizeMatches(m('10000'), n)), [false, true, true, false]);
    assert.ok(!VALUE_OPTIONS.size.value.parse('2k-1k').ok);
    assert.ok(!VALUE_OPTIONS.size.value.parse('big').ok);
  });

  it('checks option letters against Bareos permitted sets', () => {
    const bad = VALUE_OPTIONS.accurate.value.parse('mcsV');
    assert.ok(!bad.ok && /illegal option letter "V"/.test(bad.error));
    const verify = VALUE_OPTIONS.verify.value.parse('pinsA');
    assert.ok(!verify.ok, 'A (always) is an accurate letter only');
  });
});
