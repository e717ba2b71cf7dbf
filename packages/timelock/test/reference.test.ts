import { describe, expect, it } from 'vitest';
import {
  decrypt,
  decryptWithEphemeralKey,
  encrypt,
  parseAesOutput,
  parseCiphertext,
  QUICKNET,
  roundMessage,
  TimelockError,
} from '../src/index.js';
import { referenceDecrypt, referenceEncrypt } from './reference-wasm.js';
import { bytesToHex, hexToBytes, QUICKNET_ROUND_1000, QUICKNET_ROUND_21000000 } from './vectors.js';

const PK = hexToBytes(QUICKNET.publicKey);
const SIG_1000 = hexToBytes(QUICKNET_ROUND_1000.signature);
const enc = new TextEncoder();

describe('interop with the reference tle (Rust, compiled to wasm) on drand quicknet', () => {
  it('decrypts ciphertexts the reference made for round 1000 with the real round-1000 signature', () => {
    for (const text of ['', 'hello, bittensor!', 'x'.repeat(1000)]) {
      const esk = crypto.getRandomValues(new Uint8Array(32));
      const ct = referenceEncrypt(roundMessage(1000), enc.encode(text), esk, PK);
      expect(new TextDecoder().decode(decrypt(ct, SIG_1000))).toBe(text);
    }
  });

  it('makes ciphertexts the reference decrypts with the real round-1000 signature', () => {
    for (const text of ['', 'this is a test', 'y'.repeat(777)]) {
      const ct = encrypt(enc.encode(text), 1000, QUICKNET.publicKey);
      expect(new TextDecoder().decode(referenceDecrypt(ct, SIG_1000))).toBe(text);
    }
  });

  it('agrees with the reference that another round’s signature does not open it', () => {
    const sig21m = hexToBytes(QUICKNET_ROUND_21000000.signature);
    const ours = encrypt(enc.encode('m'), 1000);
    expect(() => referenceDecrypt(ours, sig21m)).toThrow(/InvalidSignature/);
    const theirs = referenceEncrypt(roundMessage(1000), enc.encode('m'), new Uint8Array(32), PK);
    expect(() => decrypt(theirs, sig21m)).toThrow(TimelockError);
    try {
      decrypt(theirs, sig21m);
    } catch (e) {
      expect((e as TimelockError).code).toBe('WRONG_KEY');
    }
  });

  it('serializes exactly like the reference: same fields, same lengths, same framing', () => {
    const msg = enc.encode('layout');
    const esk = new Uint8Array(32).fill(9);
    const ref = referenceEncrypt(roundMessage(7), msg, esk, PK);
    const ours = encrypt(msg, 7, PK, { ephemeralKey: esk });
    expect(ours.length).toBe(ref.length);
    expect(ours.length).toBe(msg.length + 244);
    const a = parseCiphertext(ours);
    const b = parseCiphertext(ref);
    expect(a.consumed).toBe(ours.length);
    expect(b.consumed).toBe(ref.length);
    const shape = (p: ReturnType<typeof parseCiphertext>) => {
      const body = parseAesOutput(p.ciphertext.body);
      return [
        p.ciphertext.header.v.length,
        p.ciphertext.header.w.length,
        body.ciphertext.length,
        body.nonce.length,
        bytesToHex(p.ciphertext.cipherSuite),
      ];
    };
    expect(shape(a)).toEqual(shape(b));
    // Same esk: both symmetric layers open with it.
    expect(decryptWithEphemeralKey(ref, esk)).toEqual(msg);
    expect(decryptWithEphemeralKey(ours, esk)).toEqual(msg);
  });
});
