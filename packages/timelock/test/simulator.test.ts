import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  createDrandSimulator,
  DrandSimulator,
  decrypt,
  encrypt,
  QUICKNET,
  TimelockError,
  toHex,
  verifyBeacon,
} from '../src/index.js';
import { QUICKNET_ROUND_1000 } from './vectors.js';

describe('DrandSimulator', () => {
  it('signs like quicknet: pulses verify with verifyBeacon and its public key', () => {
    const sim = createDrandSimulator({ seed: 'localnet', genesisTime: 1000, period: 3 });
    expect(sim.publicKey.length).toBe(96);
    for (const round of [1, 2, 1000, 123_456_789]) {
      const p = sim.pulse(round);
      expect(p.signature.length).toBe(48);
      expect(toHex(p.randomness)).toBe(toHex(sha256(p.signature)));
      expect(verifyBeacon(round, p.signature, sim.publicKey)).toBe(true);
      expect(sim.verify(p)).toBe(true);
      expect(verifyBeacon(round + 1, p.signature, sim.publicKey)).toBe(false);
      expect(verifyBeacon(round, p.signature, QUICKNET.publicKey)).toBe(false);
    }
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = createDrandSimulator({ seed: 'a' });
    const a2 = new DrandSimulator({ seed: 'a' });
    const b = createDrandSimulator({ seed: 'b' });
    expect(toHex(a.publicKey)).toBe(toHex(a2.publicKey));
    expect(toHex(a.pulse(5).signature)).toBe(toHex(a2.pulse(5).signature));
    expect(toHex(a.publicKey)).not.toBe(toHex(b.publicKey));
    expect(toHex(createDrandSimulator().publicKey)).not.toBe(
      toHex(createDrandSimulator().publicKey),
    );
  });

  it('accepts an explicit secret key; sk = 1 gives the G2 generator', () => {
    const one = new Uint8Array(32);
    one[31] = 1;
    const sim = createDrandSimulator({ secretKey: one });
    expect(toHex(sim.publicKey)).toBe(
      '93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8',
    );
  });

  it('keeps its own clock', () => {
    const sim = createDrandSimulator({ seed: 'c', genesisTime: 1_000_000, period: 2 });
    expect(sim.roundAt(999_999)).toBe(0);
    expect(sim.roundAt(1_000_000)).toBe(1);
    expect(sim.roundAt(1_000_005)).toBe(3);
    expect(sim.roundTime(3)).toBe(1_000_004);
    expect(sim.info.genesisTime).toBe(1_000_000);
    expect(sim.info.chainHash).toBeUndefined();
    const clocked = createDrandSimulator({ seed: 'c' }, { now: () => 1_234_567_890_999 });
    expect(clocked.info.genesisTime).toBe(1_234_567_890);
    const fixed = () => new Uint8Array(32).fill(4);
    expect(toHex(createDrandSimulator({}, { randomBytes: fixed }).publicKey)).toBe(
      toHex(createDrandSimulator({ seed: new Uint8Array(32).fill(4) }).publicKey),
    );
  });

  it('opens what is encrypted to it, and not quicknet ciphertexts', () => {
    const sim = createDrandSimulator({ seed: 'd' });
    const ct = encrypt(new Uint8Array([1, 2, 3]), 50, sim.publicKey);
    expect(decrypt(ct, sim.pulse(50).signature)).toEqual(new Uint8Array([1, 2, 3]));
    const q = encrypt(new Uint8Array([1]), 1000);
    expect(() => decrypt(q, sim.pulse(1000).signature)).toThrow(TimelockError);
    expect(decrypt(q, QUICKNET_ROUND_1000.signature)).toEqual(new Uint8Array([1]));
  });

  it('validates options', () => {
    expect(() => createDrandSimulator({ secretKey: new Uint8Array(32) })).toThrow(/secretKey/);
    expect(() => createDrandSimulator({ secretKey: 'ff'.repeat(32) })).toThrow(/secretKey/);
    expect(() => createDrandSimulator({ seed: 'x', secretKey: '01'.repeat(32) })).toThrow(/either/);
    expect(() => createDrandSimulator({ period: 0 })).toThrow(/period/);
    expect(() => createDrandSimulator({ seed: 'x' }).pulse(0)).toThrow(/round/);
  });
});
