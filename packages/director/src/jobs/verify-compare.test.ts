import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asReceived, burrow } from '@burrow/common/proto/index';
import { differences, type Reference } from './verify-compare.js';

const base = { path: Buffer.from('/etc/passwd'), mode: 0o644, uid: 0, gid: 0, size: 100, ino: 7, nlink: 1, mtime: { sec: 10, nsec: 0 } };
/** Attributes as the Director decodes them (from the FD's entry or the catalog's blob). */
const received = (a: burrow.IFileAttributes): burrow.FileAttributes => asReceived(burrow.FileAttributes, a);
const attrs = received(base);
const cat: Reference = {
  path: Buffer.from('/etc/passwd'), attributes: attrs,
  digest: Buffer.from('aa', 'hex'), digestAlgorithm: burrow.DigestAlgorithm.DIGEST_MD5, seen: false,
};

describe('verify= letters', () => {
  it('compare only what they name', () => {
    const changed = received({ ...base, size: 120, mode: 0o600, mtime: { sec: 11, nsec: 0 } });
    assert.deepEqual(differences('', cat, { attributes: changed }), []);
    assert.deepEqual(differences('s', cat, { attributes: changed }), ['size differs (Cat: 100 File: 120)']);
    assert.deepEqual(differences('pins', cat, { attributes: changed }), ['mode differs (Cat: 644 File: 600)', 'size differs (Cat: 100 File: 120)']);
    assert.deepEqual(differences('m', cat, { attributes: changed }), ['mtime differs (Cat: 10.000000000 File: 11.000000000)']);
    assert.deepEqual(differences('d', cat, { attributes: changed }), [], 'd reports only a size decrease');
    assert.deepEqual(differences('d', cat, { attributes: received({ ...base, size: 50 }) }), ['size decreased (Cat: 100 File: 50)']);
  });

  it('compare digests of one algorithm only', () => {
    const md5 = (hex: string): burrow.FileDigest => asReceived(burrow.FileDigest, { algorithm: burrow.DigestAlgorithm.DIGEST_MD5, value: Buffer.from(hex, 'hex') });
    assert.deepEqual(differences('5', cat, { attributes: attrs, digest: md5('aa') }), []);
    assert.deepEqual(differences('5', cat, { attributes: attrs, digest: md5('bb') }), ['MD5 differs (Cat: qg File: uw)'], 'shown in base64, as the catalog of Bareos has them');
    assert.deepEqual(differences('s', cat, { attributes: attrs, digest: md5('bb') }), [], 'no digest letter: not compared');
    const sha1 = asReceived(burrow.FileDigest, { algorithm: burrow.DigestAlgorithm.DIGEST_SHA1, value: Buffer.from('bb', 'hex') });
    assert.deepEqual(differences('1', cat, { attributes: attrs, digest: sha1 }), [], 'another algorithm cannot be compared');
  });
});
