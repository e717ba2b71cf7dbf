import { describe, expect, it } from 'vitest';
import {
  decodeLegacyWeightsTlockPayload,
  decodeWeightsPayload,
  decodeWeightsTlockPayload,
  encodeCompactLength,
  encodeWeightsPayload,
  TimelockError,
  toHex,
} from '../src/index.js';
import { hexToBytes } from './vectors.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof TimelockError ? e.code : `not a TimelockError: ${String(e)}`;
  }
  return undefined;
}

const HOTKEY = '01'.repeat(32);

describe('SCALE compact lengths', () => {
  it('matches the parity-scale-codec encodings at every mode boundary', () => {
    const cases: [number, string][] = [
      [0, '00'],
      [1, '04'],
      [63, 'fc'],
      [64, '0101'],
      [16383, 'fdff'],
      [16384, '02000100'],
      [2 ** 30 - 1, 'feffffff'],
      [2 ** 30, '0300000040'],
      [2 ** 32 - 1, '03ffffffff'],
    ];
    for (const [n, hex] of cases) expect(toHex(encodeCompactLength(n))).toBe(hex);
    expect(codeOf(() => encodeCompactLength(-1))).toBe('INVALID_INPUT');
  });
});

describe('WeightsTlockPayload', () => {
  it('encodes hotkey Vec<u8>, uids Vec<u16>, values Vec<u16>, version_key u64 in order', () => {
    // Worked by hand from the SCALE rules (bittensor-drand test_generate_commit_structure's values).
    const bytes = encodeWeightsPayload({
      hotkey: HOTKEY,
      uids: [1, 2, 3],
      values: [100, 200, 300],
      versionKey: 42,
    });
    expect(toHex(bytes)).toBe(`80${HOTKEY}0c0100020003000c6400c8002c012a00000000000000`);
    expect(decodeWeightsTlockPayload(bytes)).toEqual({
      hotkey: hexToBytes(HOTKEY),
      uids: [1, 2, 3],
      values: [100, 200, 300],
      versionKey: 42n,
    });
  });

  it('handles empty vectors, a u64 version key and a 2-byte compact length', () => {
    expect(
      toHex(encodeWeightsPayload({ hotkey: HOTKEY, uids: [], values: [], versionKey: 0n })),
    ).toBe(`80${HOTKEY}00000000000000000000`);
    const uids = Array.from({ length: 100 }, (_, i) => i);
    const bytes = encodeWeightsPayload({
      hotkey: HOTKEY,
      uids,
      values: uids.map((u) => 65535 - u),
      versionKey: 2n ** 64n - 1n,
    });
    expect(toHex(bytes.slice(33, 35))).toBe('9101'); // compact(100)
    expect(bytes.length).toBe(33 + 2 + 200 + 2 + 200 + 8);
    expect(toHex(bytes.slice(-8))).toBe('ffffffffffffffff');
    const back = decodeWeightsTlockPayload(bytes);
    expect(back.uids).toEqual(uids);
    expect(back.versionKey).toBe(2n ** 64n - 1n);
  });

  it('a 4-uid payload is 59 bytes, the size of the mainnet commit in tle.test.ts', () => {
    const bytes = encodeWeightsPayload({
      hotkey: HOTKEY,
      uids: [0, 1, 2, 3],
      values: [1, 2, 3, 4],
      versionKey: 1,
    });
    expect(bytes.length).toBe(59);
  });

  it('names the bad field', () => {
    const base = { hotkey: HOTKEY, uids: [1], values: [1], versionKey: 1 };
    expect(codeOf(() => encodeWeightsPayload({ ...base, hotkey: '0102' }))).toBe('INVALID_INPUT');
    expect(() => encodeWeightsPayload({ ...base, uids: [70000] })).toThrow(/uids\[0\]/);
    expect(() => encodeWeightsPayload({ ...base, values: [1, 2] })).toThrow(/values/);
    expect(() => encodeWeightsPayload({ ...base, versionKey: -1 })).toThrow(/versionKey/);
    expect(() => encodeWeightsPayload({ ...base, values: [1.5] })).toThrow(/values\[0\]/);
  });
});

describe('decodeWeightsPayload follows subtensor reveal_crv3_commits_for_subnet', () => {
  const committer = hexToBytes(HOTKEY);

  it('accepts the current form from the committer', () => {
    const bytes = encodeWeightsPayload({ hotkey: HOTKEY, uids: [5], values: [9], versionKey: 3 });
    expect(decodeWeightsPayload(bytes, committer)).toEqual({
      format: 'current',
      uids: [5],
      values: [9],
      versionKey: 3n,
    });
    // Decode, not decode_all: trailing bytes are fine.
    expect(decodeWeightsPayload(new Uint8Array([...bytes, 0xff]), committer).uids).toEqual([5]);
  });

  it('refuses a payload made for another hotkey', () => {
    const bytes = encodeWeightsPayload({
      hotkey: '02'.repeat(32),
      uids: [5],
      values: [9],
      versionKey: 3,
    });
    expect(codeOf(() => decodeWeightsPayload(bytes, committer))).toBe('HOTKEY_MISMATCH');
  });

  it('falls back to the legacy form (no hotkey)', () => {
    // LegacyWeightsTlockPayload { uids: [1, 2], values: [11, 22], version_key: 50 }
    const legacy = hexToBytes('0801000200080b0016003200000000000000');
    expect(decodeLegacyWeightsTlockPayload(legacy)).toEqual({
      uids: [1, 2],
      values: [11, 22],
      versionKey: 50n,
    });
    expect(decodeWeightsPayload(legacy, committer)).toEqual({
      format: 'legacy',
      uids: [1, 2],
      values: [11, 22],
      versionKey: 50n,
    });
  });

  it('rejects garbage, truncation and non-canonical compact prefixes', () => {
    expect(codeOf(() => decodeWeightsPayload(new Uint8Array([0xff]), committer))).toBe(
      'MALFORMED_PAYLOAD',
    );
    const bytes = encodeWeightsPayload({ hotkey: HOTKEY, uids: [5], values: [9], versionKey: 3 });
    expect(codeOf(() => decodeWeightsTlockPayload(bytes.slice(0, bytes.length - 1)))).toBe(
      'MALFORMED_PAYLOAD',
    );
    // compact(1) written in the 2-byte mode is rejected by parity-scale-codec.
    expect(codeOf(() => decodeLegacyWeightsTlockPayload(hexToBytes('0500')))).toBe(
      'MALFORMED_PAYLOAD',
    );
    expect(codeOf(() => decodeWeightsPayload(bytes, '01'))).toBe('INVALID_INPUT');
  });
});
