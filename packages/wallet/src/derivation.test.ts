import { describe, expect, it } from 'vitest';
import { bytesToHex } from './bytes.js';
import { DEV_PHRASE, junctionChainCode, parseSecretUri } from './derivation.js';

describe('junctionChainCode', () => {
  it('encodes a u64 decimal as 8 little-endian bytes, zero padded', () => {
    expect(bytesToHex(junctionChainCode('1'))).toBe(`0x01${'00'.repeat(31)}`);
  });

  it('encodes names as SCALE strings (compact length, then UTF-8)', () => {
    expect(bytesToHex(junctionChainCode('Alice'))).toBe(`0x14416c696365${'00'.repeat(26)}`);
  });

  it('encodes a decimal above u64 as a string, as Substrate does', () => {
    // polkadot-js truncates such numbers to 64 bits; sp_core (used by btwallet) falls back
    // to the SCALE string, and btcli wallets are what we must agree with.
    const code = '18446744073709551616';
    expect(bytesToHex(junctionChainCode(code))).toBe(
      `0x50${Buffer.from(code).toString('hex')}${'00'.repeat(11)}`,
    );
  });

  it('hashes encodings longer than 32 bytes with blake2b-256', () => {
    const code = junctionChainCode('x'.repeat(40));
    expect(code).toHaveLength(32);
    expect(bytesToHex(code)).not.toContain(Buffer.from('xxxx').toString('hex'));
  });
});

describe('parseSecretUri', () => {
  it('uses the dev phrase when the URI starts with a path', () => {
    const parsed = parseSecretUri('//Alice/soft///pw');
    expect(parsed.phrase).toBe(DEV_PHRASE);
    expect(parsed.password).toBe('pw');
    expect(parsed.junctions.map((j) => [j.hard, j.label])).toEqual([
      [true, '//Alice'],
      [false, '/soft'],
    ]);
  });

  it('rejects an empty URI and empty junctions', () => {
    expect(() => parseSecretUri('')).toThrowError(/non-empty/);
    expect(parseSecretUri('//Alice////x').password).toBe('/x');
    expect(() => parseSecretUri('//Alice/')).toThrowError(/malformed near "\/"/);
  });
});
