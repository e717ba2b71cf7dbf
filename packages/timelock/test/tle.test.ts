import { describe, expect, it } from 'vitest';
import {
  AES_GCM_CIPHER_SUITE,
  createDrandSimulator,
  decrypt,
  decryptWithEphemeralKey,
  encrypt,
  encryptToIdentity,
  parseAesOutput,
  parseCiphertext,
  roundMessage,
  serializeAesOutput,
  serializeCiphertext,
  TimelockError,
  toHex,
} from '../src/index.js';
import { referenceDecrypt, referenceEncrypt } from './reference-wasm.js';
import { hexToBytes } from './vectors.js';

const sim = createDrandSimulator({ seed: 'tle tests', genesisTime: 1_700_000_000 });
const enc = new TextEncoder();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof TimelockError ? e.code : `not a TimelockError: ${String(e)}`;
  }
  return undefined;
}

/** Deterministic byte source, for reproducible ciphertexts. */
function counterRandom(start = 1): (n: number) => Uint8Array {
  let c = start;
  return (n) => Uint8Array.from({ length: n }, () => c++ & 0xff);
}

describe('round trip with the drand simulator', () => {
  it('decrypts with the pulse of the round, and only with it', () => {
    const msg = enc.encode('weights go here');
    const ct = encrypt(msg, 42, sim.publicKey);
    expect(decrypt(ct, sim.pulse(42).signature)).toEqual(msg);
    expect(codeOf(() => decrypt(ct, sim.pulse(43).signature))).toBe('WRONG_KEY');
    const other = createDrandSimulator({ seed: 'another beacon' });
    expect(codeOf(() => decrypt(ct, other.pulse(42).signature))).toBe('WRONG_KEY');
  });

  it('is randomized by default and deterministic with an injected random source', () => {
    const msg = enc.encode('same');
    expect(toHex(encrypt(msg, 5, sim.publicKey))).not.toBe(toHex(encrypt(msg, 5, sim.publicKey)));
    const a = encrypt(msg, 5, sim.publicKey, { random: counterRandom() });
    const b = encrypt(msg, 5, sim.publicKey, { random: counterRandom() });
    expect(toHex(a)).toBe(toHex(b));
  });

  it('interoperates with the reference for a non-quicknet key (simulator pulses)', () => {
    const msg = enc.encode('simulated beacon');
    const ours = encrypt(msg, 77, sim.publicKey);
    expect(referenceDecrypt(ours, sim.pulse(77).signature)).toEqual(msg);
    const theirs = referenceEncrypt(
      roundMessage(77),
      msg,
      new Uint8Array(32).fill(3),
      sim.publicKey,
    );
    expect(decrypt(theirs, sim.pulse(77).signature)).toEqual(msg);
    expect(decryptWithEphemeralKey(theirs, new Uint8Array(32).fill(3))).toEqual(msg);
  });

  it('encrypts to arbitrary identities', () => {
    const ct = encryptToIdentity(enc.encode('id'), roundMessage(9), sim.publicKey);
    expect(new TextDecoder().decode(decrypt(ct, sim.pulse(9).signature))).toBe('id');
  });
});

describe('serialization (ark-serialize compressed TLECiphertext)', () => {
  it('has the documented layout', () => {
    const msg = enc.encode('abc');
    const ct = encrypt(msg, 1, sim.publicKey, { ephemeralKey: new Uint8Array(32).fill(1) });
    const { ciphertext, consumed } = parseCiphertext(ct);
    expect(consumed).toBe(ct.length);
    expect(ciphertext.header.u.length).toBe(96);
    expect(ciphertext.header.v.length).toBe(32);
    expect(ciphertext.header.w.length).toBe(32);
    expect(ciphertext.cipherSuite).toEqual(AES_GCM_CIPHER_SUITE);
    const body = parseAesOutput(ciphertext.body);
    expect(body.nonce.length).toBe(12);
    expect(body.ciphertext.length).toBe(msg.length + 16);
    // 96 + (8+32) + (8+32) + (8 + 8+len+16 + 8+12) + (8+8)
    expect(ct.length).toBe(96 + 40 + 40 + 8 + 8 + msg.length + 16 + 8 + 12 + 16);
    expect(serializeCiphertext(ciphertext)).toEqual(ct);
    expect(serializeAesOutput(body)).toEqual(ciphertext.body);
  });

  it('parses a real mainnet commit_timelocked_mechanism_weights ciphertext', () => {
    // A signed SubtensorModule.commit_timelocked_mechanism_weights (call 0x07 0x76) recorded from
    // finney (netuid 7, mecid 0, reveal_round 32340463, commit_reveal_version 4), as quoted in a
    // public test suite. Its round's signature is not available offline, so this shows the
    // framing the Python SDK produces (and that U is a valid G2 subgroup point), not decryption.
    const call = hexToBytes(MAINNET_CALL);
    expect([call[0], call[1]]).toEqual([0x07, 0x76]);
    const len = (call[5]! | (call[6]! << 8)) >> 2;
    const commit = call.slice(7, 7 + len);
    const { ciphertext, consumed } = parseCiphertext(commit);
    expect(consumed).toBe(commit.length);
    expect([ciphertext.header.v.length, ciphertext.header.w.length]).toEqual([32, 32]);
    expect(new TextDecoder().decode(ciphertext.cipherSuite)).toBe('AES_GCM_');
    const body = parseAesOutput(ciphertext.body);
    expect(body.nonce.length).toBe(12);
    // 59-byte plaintext = SCALE payload with a 32-byte hotkey and 4 uids (33 + 9 + 9 + 8).
    expect(body.ciphertext.length - 16).toBe(59);
    // Our ciphertext for a 59-byte payload has exactly the same size.
    expect(encrypt(new Uint8Array(59), 1).length).toBe(commit.length);
    const tail = new DataView(call.buffer, 7 + len);
    expect(tail.getBigUint64(0, true)).toBe(32340463n);
    expect(tail.getUint16(8, true)).toBe(4);
  });
});

describe('tampering and malformed input give typed errors', () => {
  const msg = enc.encode('do not touch');
  const ct = encrypt(msg, 11, sim.publicKey);
  const sig = sim.pulse(11).signature;
  const flip = (offset: number) => {
    const c = Uint8Array.from(ct);
    c[offset]! ^= 0x01;
    return c;
  };

  it('U flipped → malformed (not a subgroup point) or wrong key', () => {
    for (const off of [0, 10, 95]) {
      expect(['MALFORMED_CIPHERTEXT', 'WRONG_KEY']).toContain(
        codeOf(() => decrypt(flip(off), sig)),
      );
    }
  });

  it('V or W flipped → WRONG_KEY', () => {
    expect(codeOf(() => decrypt(flip(96 + 8 + 5), sig))).toBe('WRONG_KEY');
    expect(codeOf(() => decrypt(flip(96 + 40 + 8 + 31), sig))).toBe('WRONG_KEY');
  });

  it('AES ciphertext, tag or nonce flipped → DECRYPTION_FAILED', () => {
    const bodyStart = 96 + 40 + 40 + 8;
    const aesStart = bodyStart + 8;
    expect(codeOf(() => decrypt(flip(aesStart), sig))).toBe('DECRYPTION_FAILED');
    expect(codeOf(() => decrypt(flip(aesStart + msg.length + 15), sig))).toBe('DECRYPTION_FAILED');
    expect(codeOf(() => decrypt(flip(aesStart + msg.length + 16 + 8), sig))).toBe(
      'DECRYPTION_FAILED',
    );
  });

  it('lengths broken → MALFORMED_CIPHERTEXT / MALFORMED_BODY / DECRYPTION_FAILED', () => {
    expect(codeOf(() => decrypt(ct.slice(0, ct.length - 1), sig))).toBe('MALFORMED_CIPHERTEXT');
    expect(codeOf(() => decrypt(ct.slice(0, 50), sig))).toBe('MALFORMED_CIPHERTEXT');
    expect(codeOf(() => decrypt(new Uint8Array(0), sig))).toBe('MALFORMED_CIPHERTEXT');
    const { ciphertext } = parseCiphertext(ct);
    const huge = Uint8Array.from(ct);
    huge[96 + 7] = 0x7f; // v length ~ 2^62
    expect(codeOf(() => decrypt(huge, sig))).toBe('MALFORMED_CIPHERTEXT');
    const shortV = serializeCiphertext({
      ...ciphertext,
      header: { ...ciphertext.header, v: ciphertext.header.v.slice(0, 31) },
    });
    expect(codeOf(() => decrypt(shortV, sig))).toBe('MALFORMED_CIPHERTEXT');
    const body = parseAesOutput(ciphertext.body);
    const cutBody = serializeCiphertext({ ...ciphertext, body: ciphertext.body.slice(0, 20) });
    expect(codeOf(() => decrypt(cutBody, sig))).toBe('MALFORMED_BODY');
    const badNonce = serializeCiphertext({
      ...ciphertext,
      body: serializeAesOutput({ ciphertext: body.ciphertext, nonce: body.nonce.slice(0, 8) }),
    });
    expect(codeOf(() => decrypt(badNonce, sig))).toBe('DECRYPTION_FAILED');
    expect(codeOf(() => decrypt('zz', sig))).toBe('INVALID_INPUT');
  });

  it('bad signatures → INVALID_INPUT / INVALID_POINT', () => {
    expect(codeOf(() => decrypt(ct, sig.slice(0, 47)))).toBe('INVALID_INPUT');
    const s = Uint8Array.from(sig);
    s[0] = (s[0] ?? 0) & 0x7f;
    expect(codeOf(() => decrypt(ct, s))).toBe('INVALID_POINT');
  });

  it('like subtensor (ark), ignores trailing bytes and the cipher-suite label', () => {
    const trailing = new Uint8Array([...ct, 1, 2, 3]);
    expect(decrypt(trailing, sig)).toEqual(msg);
    expect(parseCiphertext(trailing).consumed).toBe(ct.length);
    const { ciphertext } = parseCiphertext(ct);
    const relabelled = serializeCiphertext({ ...ciphertext, cipherSuite: enc.encode('XCHACHA') });
    expect(decrypt(relabelled, sig)).toEqual(msg);
    expect(referenceDecrypt(relabelled, sig)).toEqual(msg);
  });

  it('rejects bad encryption inputs', () => {
    expect(codeOf(() => encrypt(msg, 1, sim.publicKey.slice(1)))).toBe('INVALID_INPUT');
    expect(codeOf(() => encrypt(msg, 1.5, sim.publicKey))).toBe('INVALID_INPUT');
    expect(codeOf(() => encrypt(msg, 1, sim.publicKey, { ephemeralKey: new Uint8Array(31) }))).toBe(
      'INVALID_INPUT',
    );
    expect(codeOf(() => encrypt(msg, 1, sim.publicKey, { random: () => new Uint8Array(1) }))).toBe(
      'INVALID_INPUT',
    );
  });
});

const MAINNET_CALL =
  '0776070000bd04add79c4f91c9b56920e48e41d7de2bb50289966534371c16faa5a023d0052165283424fbb6f6b4121516acb75f50f2181301bd76c3df06e40409b293b2e4e6d4c5d29dfaf57239e2d21ec7a65f1fdd00905d91dee6baebc895c9deb76849c8cf2000000000000000ce281554cf945eba34e9159487c3fe6854f039ebfb99c23e56075b6782187c402000000000000000c6650336df21d47c5cbd05e202b072c38c7d9c7ff7dad2ff9811ebddb41b3e7067000000000000004b0000000000000045f7265fea37fb03a04611dac062e06e03585ba9c05a17784e6a34efb1a7f787b4b9e5c5dd615c1746f01a2806db82524a93f616fe8981c62ab4ec28fe9839b75d0608593f6f72aceaaca10c00000000000000f6e30fc8e613b20200bf45fe08000000000000004145535f47434d5fef79ed01000000000400';
