import { encodeAddress as pjsEncode } from '@polkadot/util-crypto';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from './bytes.js';
import { WalletError } from './errors.js';
import { decodeAddress, encodeAddress, isValidAddress } from './ss58.js';

const ALICE_PUB = hexToBytes('0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d');
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof WalletError ? error.code : 'not a WalletError';
  }
  return undefined;
}

describe('SS58', () => {
  it('encodes and decodes Alice with prefix 42', () => {
    expect(encodeAddress(ALICE_PUB)).toBe(ALICE);
    expect(decodeAddress(ALICE)).toEqual({ publicKey: ALICE_PUB, prefix: 42 });
  });

  it.each([0, 2, 42, 63, 64, 255, 1000, 16383])(
    'agrees with polkadot-js for prefix %i',
    (prefix) => {
      const address = encodeAddress(ALICE_PUB, prefix);
      expect(address).toBe(pjsEncode(ALICE_PUB, prefix));
      expect(decodeAddress(address, prefix)).toEqual({ publicKey: ALICE_PUB, prefix });
    },
  );

  it('types every malformed input', () => {
    const badChecksum = `${ALICE.slice(0, -1)}Z`;
    expect(codeOf(() => decodeAddress(badChecksum))).toBe('INVALID_SS58_CHECKSUM');
    expect(codeOf(() => decodeAddress(encodeAddress(ALICE_PUB, 0)))).toBe('INVALID_SS58_PREFIX');
    expect(codeOf(() => decodeAddress('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKut'))).toBe(
      'INVALID_SS58',
    );
    expect(codeOf(() => decodeAddress('0OIl'))).toBe('INVALID_SS58');
    expect(codeOf(() => decodeAddress(''))).toBe('INVALID_SS58');
    expect(codeOf(() => encodeAddress(ALICE_PUB.subarray(1)))).toBe('INVALID_LENGTH');
    expect(codeOf(() => encodeAddress(ALICE_PUB, 46))).toBe('INVALID_SS58_PREFIX');
    expect(codeOf(() => hexToBytes('0x123'))).toBe('INVALID_HEX');
  });

  it('accepts any prefix when asked', () => {
    expect(decodeAddress(encodeAddress(ALICE_PUB, 0), null).prefix).toBe(0);
    expect(isValidAddress(ALICE)).toBe(true);
    expect(isValidAddress(encodeAddress(ALICE_PUB, 0))).toBe(false);
  });
});
