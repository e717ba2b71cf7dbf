import { compactFromU8a } from '@polkadot/util';
import { encodeAddress, sr25519PairFromSeed, sr25519Sign as utilSign } from '@polkadot/util-crypto';
import {
  sr25519KeypairFromSeed,
  waitReady,
  sr25519Sign as wasmCryptoSign,
} from '@polkadot/wasm-crypto';
import { sr25519Verify } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signCall } from '../bench/sign.js';
import { INVALID, RpcError } from '../src/chain/pool-error.js';
import { createLocalnet, type Localnet } from '../src/index.js';

// Counts the calls that reach @polkadot-labs/schnorrkel-wasm (the fast verifier).
const fast = vi.hoisted(() => ({ calls: 0 }));
vi.mock('@polkadot-labs/schnorrkel-wasm', async (importOriginal) => {
  const real = await importOriginal<typeof import('@polkadot-labs/schnorrkel-wasm')>();
  return {
    ...real,
    sr25519_verify: (pub: Uint8Array, msg: Uint8Array, sig: Uint8Array) => {
      fast.calls++;
      return real.sr25519_verify(pub, msg, sig);
    },
  };
});

await waitReady();

/** A signer the bench's signCall accepts, signing with the given sr25519 implementation. */
function signerOf(seed: number, lib: 'wasm-crypto' | 'util-crypto') {
  const s = new Uint8Array(32).fill(seed);
  if (lib === 'wasm-crypto') {
    const kp = sr25519KeypairFromSeed(s);
    const [secret, publicKey] = [kp.slice(0, 64), kp.slice(64)];
    return { publicKey, sign: (m: Uint8Array) => wasmCryptoSign(publicKey, secret, m) };
  }
  const pair = sr25519PairFromSeed(s);
  return { publicKey: pair.publicKey, sign: (m: Uint8Array) => utilSign(m, pair) };
}

/** The pool's error as code and data (what a JSON-RPC client sees). */
function rejection(submit: () => unknown): { code: number; data?: string } {
  try {
    submit();
  } catch (e) {
    if (e instanceof RpcError) return { code: e.code, data: e.data as string };
    throw e;
  }
  throw new Error('the pool accepted it');
}

const msg = new TextEncoder().encode('subnetkit localnet sr25519');
const tamper = (sig: Uint8Array, at: number) => {
  const t = sig.slice();
  t[at] = (t[at] as number) ^ 0x01;
  return t;
};

describe("sr25519 verification (the wallet's guarded schnorrkel-wasm)", () => {
  it('verifies signatures from @polkadot/wasm-crypto and @polkadot/util-crypto through the fast library, from the first one', () => {
    for (const [seed, lib] of [
      [1, 'wasm-crypto'],
      [2, 'util-crypto'],
    ] as const) {
      const p = signerOf(seed, lib);
      const before = fast.calls;
      expect(sr25519Verify(p.sign(msg), msg, p.publicKey)).toBe(true);
      expect(sr25519Verify(tamper(p.sign(msg), 5), msg, p.publicKey)).toBe(false);
      expect(sr25519Verify(p.sign(msg), tamper(msg, 0), p.publicKey)).toBe(false);
      expect(fast.calls).toBe(before + 3);
    }
  });

  it('answers false, without reaching the panicking library, for keys and signatures schnorrkel cannot parse', () => {
    const p = signerOf(3, 'wasm-crypto');
    const before = fast.calls;
    const unmarked = p.sign(msg);
    unmarked[63] = (unmarked[63] as number) & 0x7f;
    expect(sr25519Verify(unmarked, msg, p.publicKey)).toBe(false);
    const highScalar = p.sign(msg);
    highScalar[63] = (highScalar[63] as number) | 0x70;
    expect(sr25519Verify(highScalar, msg, p.publicKey)).toBe(false);
    expect(sr25519Verify(p.sign(msg).subarray(0, 63), msg, p.publicKey)).toBe(false);
    const notAPoint = new Uint8Array(32).fill(0xff);
    expect(sr25519Verify(p.sign(msg), msg, notAPoint)).toBe(false);
    expect(sr25519Verify(p.sign(msg), msg, notAPoint)).toBe(false);
    expect(fast.calls).toBe(before);
  });
});

describe('the pool verifies sr25519 extrinsics signed by other libraries', () => {
  let net: Localnet;
  beforeAll(async () => {
    net = await createLocalnet({ blockTime: 'manual', drand: false });
  });
  afterAll(() => net.close());

  for (const [seed, lib] of [
    [0x2a, 'wasm-crypto'],
    [0x2b, 'util-crypto'],
  ] as const) {
    it(`accepts a remark signed by ${lib} and rejects a tampered one as a bad signature`, () => {
      const p = signerOf(seed, lib);
      const pair = { ss58Address: encodeAddress(p.publicKey, 42), sign: p.sign } as never;
      const remark = (nonce: number) => signCall(net, pair, 'System', 'remark', ['0x01'], nonce);
      const tampered = (nonce: number) => {
        const x = remark(nonce);
        const [lenBytes] = compactFromU8a(x);
        const at = lenBytes + 1 + 1 + 32 + 1 + 9; // version, address kind, key, sig kind
        x[at] = (x[at] as number) ^ 0xff;
        return x;
      };
      const badProof = { code: 1010, data: 'Transaction has a bad signature' };
      expect(rejection(() => net.chain.submit(tampered(0)))).toEqual(badProof);
      // An unfunded account: the signature is checked before the payment, so this error means
      // the signature was accepted.
      const cannotPay = { code: 1010, data: INVALID.payment().data };
      expect(rejection(() => net.chain.submit(remark(0)))).toEqual(cannotPay);
      const before = fast.calls;
      expect(rejection(() => net.chain.submit(tampered(1)))).toEqual(badProof);
      expect(fast.calls).toBe(before + 1);
      expect(rejection(() => net.chain.submit(remark(1)))).toEqual(cannotPay);
    });
  }
});
