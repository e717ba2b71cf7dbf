// sha3Hex: the SDK's get_hash (SHA3-256 of the UTF-8 bytes, FIPS-202 not Keccak), one-shot.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyHashOfRendered, EMPTY_BODY_HASH, sha3Hex } from '../src/hash.js';

describe('sha3Hex', () => {
  it('is FIPS-202 SHA3-256 of the UTF-8 bytes (known vectors)', () => {
    expect(sha3Hex('')).toBe(EMPTY_BODY_HASH);
    expect(sha3Hex('abc')).toBe('3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
  });

  it('matches a Hash object over the UTF-8 bytes for non-ASCII and astral text', () => {
    for (const text of ['héllo', '日本語', 'emoji 😀 and more', 'x'.repeat(10_000)]) {
      const want = createHash('sha3-256').update(Buffer.from(text, 'utf8')).digest('hex');
      expect(sha3Hex(text)).toBe(want);
    }
  });

  it('refuses a lone surrogate, high or low, anywhere in the text', () => {
    for (const text of ['\ud800', 'a\udc00b', 'ok \ud83d']) {
      expect(() => sha3Hex(text)).toThrow(/lone UTF-16 surrogate/);
    }
    expect(() => bodyHashOfRendered(['fine', '\udfff'])).toThrow(/lone UTF-16 surrogate/);
  });

  it('hashes the concatenated part hashes for a body hash', () => {
    expect(bodyHashOfRendered(['a', 'b'])).toBe(sha3Hex(sha3Hex('a') + sha3Hex('b')));
  });
});
