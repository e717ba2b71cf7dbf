import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  QUICKNET,
  roundAt,
  roundMessage,
  roundTime,
  TimelockError,
  toHex,
  verifyBeacon,
} from '../src/index.js';
import { hexToBytes, QUICKNET_ROUND_1000, QUICKNET_ROUND_21000000 } from './vectors.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof TimelockError ? e.code : `not a TimelockError: ${String(e)}`;
  }
  return undefined;
}

describe('verifyBeacon on real drand quicknet beacons', () => {
  for (const v of [QUICKNET_ROUND_1000, QUICKNET_ROUND_21000000]) {
    it(`verifies round ${v.round} against the quicknet public key`, () => {
      expect(verifyBeacon(v.round, v.signature, QUICKNET.publicKey)).toBe(true);
      expect(
        verifyBeacon(BigInt(v.round), `0x${v.signature}`, hexToBytes(QUICKNET.publicKey)),
      ).toBe(true);
      // drand randomness is sha256(signature).
      expect(toHex(sha256(hexToBytes(v.signature)))).toBe(v.randomness);
    });
  }

  it('rejects a real signature presented for another round', () => {
    expect(verifyBeacon(1001, QUICKNET_ROUND_1000.signature, QUICKNET.publicKey)).toBe(false);
    expect(verifyBeacon(1000, QUICKNET_ROUND_21000000.signature, QUICKNET.publicKey)).toBe(false);
  });

  it('rejects malformed inputs with typed errors', () => {
    expect(codeOf(() => verifyBeacon(1000, 'abcd', QUICKNET.publicKey))).toBe('INVALID_INPUT');
    const bad = hexToBytes(QUICKNET_ROUND_1000.signature);
    bad[47] = (bad[47] ?? 0) ^ 1; // x no longer gives a point of the subgroup (or of the curve)
    expect(codeOf(() => verifyBeacon(1000, bad, QUICKNET.publicKey))).toBe('INVALID_POINT');
    expect(codeOf(() => verifyBeacon(-1, QUICKNET_ROUND_1000.signature, QUICKNET.publicKey))).toBe(
      'INVALID_INPUT',
    );
    const pk = hexToBytes(QUICKNET.publicKey);
    pk[0] = (pk[0] ?? 0) & 0x7f; // clear the compression flag
    expect(codeOf(() => verifyBeacon(1000, QUICKNET_ROUND_1000.signature, pk))).toBe(
      'INVALID_POINT',
    );
  });

  it('rejects a point on the curve outside the prime-order subgroup', () => {
    // (0, 2) lies on y² = x³ + 4 but not in G1: compressed with the sign bit of y=2.
    const p = new Uint8Array(48);
    p[0] = 0x80; // compressed, not infinity, y is the "smaller" root
    const asSig = codeOf(() => verifyBeacon(1, p, QUICKNET.publicKey));
    const p2 = Uint8Array.from(p);
    p2[0] = 0xa0;
    const asSig2 = codeOf(() => verifyBeacon(1, p2, QUICKNET.publicKey));
    expect([asSig, asSig2]).toEqual(['INVALID_POINT', 'INVALID_POINT']);
  });

  it('builds the round message as sha256(u64 big-endian)', () => {
    const be = new Uint8Array(8);
    new DataView(be.buffer).setBigUint64(0, 1000n);
    expect(toHex(roundMessage(1000))).toBe(toHex(sha256(be)));
  });
});

describe('quicknet clock', () => {
  it('has the published constants', () => {
    expect(QUICKNET.genesisTime).toBe(1692803367);
    expect(QUICKNET.period).toBe(3);
    expect(QUICKNET.chainHash).toBe(
      '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
    );
  });

  it('maps rounds to times like drand (round 1 at genesis)', () => {
    expect(roundTime(1)).toBe(1692803367);
    expect(roundTime(1000)).toBe(1692806364);
    expect(roundAt(1692806364)).toBe(1000);
    expect(roundAt(1692806366.9)).toBe(1000);
    expect(roundAt(1692806367)).toBe(1001);
    expect(roundAt(1692803366)).toBe(0);
    expect(roundAt(1692803367)).toBe(1);
    expect(codeOf(() => roundAt(Number.NaN))).toBe('INVALID_INPUT');
    expect(codeOf(() => roundTime(0))).toBe('INVALID_INPUT');
  });
});
