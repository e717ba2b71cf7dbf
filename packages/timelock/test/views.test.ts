import { describe, expect, it } from 'vitest';
import {
  decodeLegacyWeightsTlockPayload,
  decodeWeightsPayload,
  decodeWeightsTlockPayload,
  encodeWeightsPayload,
  parseAesOutput,
  serializeAesOutput,
} from '../src/index.js';

// Issue 13 item 4: decoders must read any `Uint8Array` view, not the whole backing buffer.
// `Buffer.from` of a small payload lands in Node's shared pool (byteOffset ≠ 0, buffer shared).

const HOTKEY = new Uint8Array(32).fill(7);
const PAYLOAD = encodeWeightsPayload({
  hotkey: HOTKEY,
  uids: [0, 3, 9],
  values: [65535, 1200, 7],
  versionKey: 42,
});
// Legacy `{ uids, values, version_key }`: the current form without its compact(32) + hotkey.
const LEGACY = PAYLOAD.slice(33);

/** The same bytes as a pooled Buffer, an offset subarray with junk around it, and a copy. */
function views(bytes: Uint8Array): [string, Uint8Array][] {
  const pooled = Buffer.from(bytes);
  const framed = new Uint8Array(bytes.length + 13).fill(0xee);
  framed.set(bytes, 5);
  return [
    ['pooled Buffer', pooled],
    ['Buffer subarray', Buffer.concat([Buffer.alloc(3, 0xab), pooled]).subarray(3)],
    ['offset subarray', framed.subarray(5, 5 + bytes.length)],
  ];
}

describe('decoders on Buffers and offset views', () => {
  it('the pooled Buffer really is an offset view (the case under test)', () => {
    const b = Buffer.from(PAYLOAD);
    expect(b.byteOffset !== 0 || b.buffer.byteLength !== b.byteLength).toBe(true);
  });

  for (const [name, view] of views(PAYLOAD)) {
    it(`decodeWeightsTlockPayload: ${name}`, () => {
      const p = decodeWeightsTlockPayload(view);
      expect(p.versionKey).toBe(42n);
      expect(p.uids).toEqual([0, 3, 9]);
      expect(p.values).toEqual([65535, 1200, 7]);
      expect([...p.hotkey]).toEqual([...HOTKEY]);
      expect(Buffer.isBuffer(p.hotkey)).toBe(false);
    });
    it(`decodeWeightsPayload: ${name}`, () => {
      const r = decodeWeightsPayload(view, HOTKEY);
      expect(r).toEqual({
        format: 'current',
        uids: [0, 3, 9],
        values: [65535, 1200, 7],
        versionKey: 42n,
      });
    });
  }

  for (const [name, view] of views(LEGACY)) {
    it(`decodeLegacyWeightsTlockPayload and the legacy fallback: ${name}`, () => {
      expect(decodeLegacyWeightsTlockPayload(view)).toEqual({
        uids: [0, 3, 9],
        values: [65535, 1200, 7],
        versionKey: 42n,
      });
      expect(decodeWeightsPayload(view, HOTKEY).versionKey).toBe(42n);
    });
  }

  const aes = { ciphertext: Uint8Array.from([1, 2, 3, 4, 5]), nonce: new Uint8Array(12).fill(9) };
  for (const [name, view] of views(serializeAesOutput(aes))) {
    it(`parseAesOutput: ${name}`, () => {
      const out = parseAesOutput(view);
      expect([...out.ciphertext]).toEqual([1, 2, 3, 4, 5]);
      expect([...out.nonce]).toEqual([...aes.nonce]);
    });
  }
});
