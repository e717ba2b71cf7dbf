// Three sr25519 implementations must agree: ours (@polkadot-labs/schnorrkel-wasm behind the
// guard), @polkadot/wasm-crypto (the Rust schnorrkel build polkadot-js shipped) and
// @scure/sr25519 (pure JS, what @polkadot/util-crypto 14 signs with). Signatures are
// randomized, so agreement means each verifies every other's signatures.
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { ristretto255 } from '@noble/curves/ed25519.js';
import {
  cryptoWaitReady,
  sr25519Sign as scureSign,
  sr25519Verify as scureVerify,
  sr25519DeriveHard,
  sr25519DeriveSoft,
  sr25519PairFromSeed,
} from '@polkadot/util-crypto';
import * as wasmCrypto from '@polkadot/wasm-crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  canonicalToEd25519Secret,
  isSchnorrkelSecret,
  isSchnorrkelSignature,
  isSr25519PublicKey,
  Keypair,
  parseDerivationPath,
  SR25519_WASM_MODULE_PATH,
  sr25519Parses,
  sr25519Sign,
  sr25519Verify,
  WalletError,
} from './index.js';
import { deriveHard, deriveSoft, keypairFromSeed } from './sr25519.js';

beforeAll(async () => {
  expect(await wasmCrypto.waitReady()).toBe(true);
  await cryptoWaitReady();
});

interface Impl {
  name: string;
  sign(publicKey: Uint8Array, secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

/** scure throws on some encodings wasm-crypto and ours answer `false` to. */
const falseOnThrow = (fn: () => boolean) => {
  try {
    return fn();
  } catch {
    return false;
  }
};

const IMPLS: Impl[] = [
  { name: 'subnetkit', sign: sr25519Sign, verify: sr25519Verify },
  {
    name: 'wasm-crypto',
    sign: (pub, secret, msg) => wasmCrypto.sr25519Sign(pub, secret, msg),
    verify: (sig, msg, pub) => wasmCrypto.sr25519Verify(sig, msg, pub),
  },
  {
    name: 'scure',
    sign: (pub, secret, msg) => scureSign(msg, { publicKey: pub, secretKey: secret }),
    verify: (sig, msg, pub) => falseOnThrow(() => scureVerify(msg, sig, pub)),
  },
];

interface Pair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

function randomPair(): Pair {
  const raw = keypairFromSeed(randomBytes(32));
  return { secretKey: raw.slice(0, 64), publicKey: raw.slice(64) };
}

const flipBit = (bytes: Uint8Array, index: number, bit = 0) => {
  const out = bytes.slice();
  out[index]! ^= 1 << bit;
  return out;
};

const SIZES = [0, 1, 31, 32, 33, 255, 256, 257, 1000, 4096];

describe('sr25519 across implementations', () => {
  it('keys from one seed are byte-identical in all three (secret in the ed25519 form)', () => {
    for (let i = 0; i < 16; i++) {
      const seed = randomBytes(32);
      const ours = keypairFromSeed(seed);
      expect(Buffer.from(ours)).toEqual(Buffer.from(wasmCrypto.sr25519KeypairFromSeed(seed)));
      const scure = sr25519PairFromSeed(seed);
      expect(Buffer.from(ours.subarray(0, 64))).toEqual(Buffer.from(scure.secretKey));
      expect(Buffer.from(ours.subarray(64))).toEqual(Buffer.from(scure.publicKey));
      const pair = Keypair.fromSeed(seed);
      expect(Buffer.from(pair.publicKey)).toEqual(Buffer.from(ours.subarray(64)));
      expect(Buffer.from(canonicalToEd25519Secret(pair.exportSecretKey()))).toEqual(
        Buffer.from(ours.subarray(0, 64)),
      );
    }
  });

  it('every signature verifies in every implementation, both ways, empty to 4 KiB', () => {
    for (let k = 0; k < 6; k++) {
      const pair = randomPair();
      for (const size of SIZES) {
        const message = randomBytes(size);
        for (const signer of IMPLS) {
          const signature = signer.sign(pair.publicKey, pair.secretKey, message);
          expect(signature.length).toBe(64);
          for (const verifier of IMPLS) {
            const ok = verifier.verify(signature, message, pair.publicKey);
            expect(ok, `${signer.name} → ${verifier.name}, ${size} bytes`).toBe(true);
          }
        }
      }
    }
  });

  it('large messages (256 KiB, 2 MiB) cross-verify too', () => {
    const pair = randomPair();
    for (const size of [256 * 1024, 2 * 1024 * 1024]) {
      const message = randomBytes(size);
      const ours = sr25519Sign(pair.publicKey, pair.secretKey, message);
      const theirs = wasmCrypto.sr25519Sign(pair.publicKey, pair.secretKey, message);
      expect(wasmCrypto.sr25519Verify(ours, message, pair.publicKey)).toBe(true);
      expect(sr25519Verify(theirs, message, pair.publicKey)).toBe(true);
      expect(sr25519Verify(theirs, flipBit(message, size - 1, 7), pair.publicKey)).toBe(false);
    }
    const scureMessage = randomBytes(64 * 1024);
    const bySure = scureSign(scureMessage, pair);
    expect(sr25519Verify(bySure, scureMessage, pair.publicKey)).toBe(true);
    const byUs = sr25519Sign(pair.publicKey, pair.secretKey, scureMessage);
    expect(scureVerify(scureMessage, byUs, pair.publicKey)).toBe(true);
  });

  it('signs with the context "substrate" and fresh randomness each time', () => {
    const pair = randomPair();
    const message = new TextEncoder().encode('nonce.hotkey.hotkey.uuid.hash');
    const a = sr25519Sign(pair.publicKey, pair.secretKey, message);
    const b = sr25519Sign(pair.publicKey, pair.secretKey, message);
    expect(Buffer.from(a)).not.toEqual(Buffer.from(b));
    // The Substrate context is the one wasm-crypto hard-codes; a different context would fail.
    expect(wasmCrypto.sr25519Verify(a, message, pair.publicKey)).toBe(true);
    expect(wasmCrypto.sr25519Verify(b, message, pair.publicKey)).toBe(true);
  });

  it('a changed message, signature bit or key is rejected by every implementation', () => {
    const other = randomPair();
    for (let k = 0; k < 3; k++) {
      const pair = randomPair();
      const message = randomBytes(100);
      for (const signer of IMPLS) {
        const signature = signer.sign(pair.publicKey, pair.secretKey, message);
        const forgeries: [string, Uint8Array, Uint8Array, Uint8Array][] = [
          ['message bit', signature, flipBit(message, 50, 3), pair.publicKey],
          ['longer message', signature, Buffer.concat([message, Buffer.of(0)]), pair.publicKey],
          ['R bit', flipBit(signature, 0, 1), message, pair.publicKey],
          ['s bit', flipBit(signature, 40, 2), message, pair.publicKey],
          ['other key', signature, message, other.publicKey],
        ];
        for (const [what, sig, msg, pub] of forgeries) {
          for (const verifier of IMPLS) {
            expect(verifier.verify(sig, msg, pub), `${signer.name} ${what} ${verifier.name}`).toBe(
              false,
            );
          }
        }
      }
    }
  });
});

describe('derivation across implementations', () => {
  it('hard junctions are byte-identical (secret, nonce and public key)', () => {
    for (let i = 0; i < 12; i++) {
      const pair = keypairFromSeed(randomBytes(32));
      const chainCode = randomBytes(32);
      const ours = deriveHard(pair, chainCode);
      expect(Buffer.from(ours)).toEqual(
        Buffer.from(wasmCrypto.sr25519DeriveKeypairHard(pair, chainCode)),
      );
      const scure = sr25519DeriveHard(
        { secretKey: pair.slice(0, 64), publicKey: pair.slice(64) },
        chainCode,
      );
      expect(Buffer.from(ours)).toEqual(Buffer.concat([scure.secretKey, scure.publicKey]));
    }
  });

  it('soft junctions give the same key and public key; the nonce is random in each', () => {
    for (let i = 0; i < 12; i++) {
      const pair = keypairFromSeed(randomBytes(32));
      const chainCode = randomBytes(32);
      const ours = deriveSoft(pair, chainCode);
      const theirs = wasmCrypto.sr25519DeriveKeypairSoft(pair, chainCode);
      const scure = sr25519DeriveSoft(
        { secretKey: pair.slice(0, 64), publicKey: pair.slice(64) },
        chainCode,
      );
      for (const other of [theirs, Buffer.concat([scure.secretKey, scure.publicKey])]) {
        expect(Buffer.from(ours.subarray(0, 32))).toEqual(Buffer.from(other.subarray(0, 32)));
        expect(Buffer.from(ours.subarray(64))).toEqual(Buffer.from(other.subarray(64)));
      }
      // schnorrkel's HDKD draws the child's nonce from its RNG: two runs of one library differ.
      expect(Buffer.from(deriveSoft(pair, chainCode).subarray(32, 64))).not.toEqual(
        Buffer.from(ours.subarray(32, 64)),
      );
      const message = randomBytes(64);
      const child = { publicKey: ours.slice(64), secretKey: ours.slice(0, 64) };
      const signature = sr25519Sign(child.publicKey, child.secretKey, message);
      expect(wasmCrypto.sr25519Verify(signature, message, child.publicKey)).toBe(true);
      expect(scureVerify(message, signature, child.publicKey)).toBe(true);
    }
  });

  it('//hard/soft paths from a URI match wasm-crypto step by step', () => {
    for (const path of ['//Alice', '//hard/soft', '/soft', '//1//2/3', '/a/b//c', '//0/0']) {
      const base = Keypair.fromSeed(randomBytes(32));
      const ours = base.derive(path);
      let pair: Uint8Array = new Uint8Array(96);
      pair.set(canonicalToEd25519Secret(base.exportSecretKey()));
      pair.set(base.publicKey, 64);
      for (const junction of parseDerivationPath(path)) {
        pair = junction.hard
          ? wasmCrypto.sr25519DeriveKeypairHard(pair, junction.chainCode)
          : wasmCrypto.sr25519DeriveKeypairSoft(pair, junction.chainCode);
      }
      expect(ours.ss58Address, path).toBe(Keypair.fromPublicKey(pair.slice(64)).ss58Address);
    }
  });
});

const ORDER = ristretto255.Point.Fn.ORDER;

/** A copy of `signature` whose s is `s`, marker bit set. */
function withS(signature: Uint8Array, s: bigint): Uint8Array {
  const out = signature.slice();
  for (let i = 0; i < 32; i++, s >>= 8n) out[32 + i] = Number(s & 0xffn);
  out[63]! |= 0x80;
  return out;
}

const sOf = (signature: Uint8Array) => {
  let s = 0n;
  for (let i = 63; i >= 32; i--)
    s = (s << 8n) | BigInt(i === 63 ? signature[i]! & 0x7f : signature[i]!);
  return s;
};

describe('SR25519_WASM_MODULE_PATH', () => {
  it('is what a worker thread requires: it verifies our signatures, we verify its', async () => {
    const pair = randomPair();
    const message = randomBytes(300);
    const signature = sr25519Sign(pair.publicKey, pair.secretKey, message);
    const source = `
      const { parentPort, workerData: d } = require('node:worker_threads');
      const sk = require(d.modulePath);
      parentPort.postMessage({
        verified: sk.sr25519_verify(d.publicKey, d.message, d.signature),
        tampered: sk.sr25519_verify(d.publicKey, d.message.subarray(1), d.signature),
        countersignature: sk.sr25519_sign(d.publicKey, d.secretKey, d.message),
      });
    `;
    const worker = new Worker(source, {
      eval: true,
      workerData: { modulePath: SR25519_WASM_MODULE_PATH, ...pair, message, signature },
    });
    const result = await new Promise<{
      verified: boolean;
      tampered: boolean;
      countersignature: Uint8Array;
    }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(result.verified).toBe(true);
    expect(result.tampered).toBe(false);
    expect(sr25519Verify(result.countersignature, message, pair.publicKey)).toBe(true);
    expect(wasmCrypto.sr25519Verify(result.countersignature, message, pair.publicKey)).toBe(true);
  });
});

describe('the guard in front of schnorrkel-wasm', () => {
  it('answers false, like wasm-crypto, for inputs schnorrkel-wasm would panic on', () => {
    const errors = vi.spyOn(console, 'error');
    const pair = randomPair();
    const message = randomBytes(40);
    const good = sr25519Sign(pair.publicKey, pair.secretKey, message);
    const unmarked = good.slice();
    unmarked[63]! &= 0x7f;
    const nonCanonical = withS(good, sOf(good) + ORDER);
    const notAPoint = new Uint8Array(32).fill(0xff);
    const cases: [string, Uint8Array, Uint8Array][] = [
      ['unmarked signature', unmarked, pair.publicKey],
      ['s + ℓ', nonCanonical, pair.publicKey],
      ['s = ℓ', withS(good, ORDER), pair.publicKey],
      ['public key not a point', good, notAPoint],
      ['short signature', good.subarray(0, 63), pair.publicKey],
      ['short public key', good, pair.publicKey.subarray(0, 31)],
    ];
    for (const [what, sig, pub] of cases) {
      expect(sr25519Verify(sig, message, pub), what).toBe(false);
      if (sig.length === 64 && pub.length === 32) {
        expect(wasmCrypto.sr25519Verify(sig, message, pub), what).toBe(false);
      }
    }
    expect(sr25519Verify(good, message, pair.publicKey)).toBe(true);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('stays healthy after thousands of bad keys (unguarded, the instance dies after ~1,200 panics)', () => {
    const pair = randomPair();
    const message = randomBytes(16);
    const good = sr25519Sign(pair.publicKey, pair.secretKey, message);
    let bad = 0;
    while (bad < 2000) {
      const key = randomBytes(32);
      if (isSr25519PublicKey(key)) continue;
      bad++;
      expect(sr25519Verify(good, message, key)).toBe(false);
    }
    expect(sr25519Verify(good, message, pair.publicKey)).toBe(true);
    expect(() => sr25519Sign(new Uint8Array(32).fill(0xff), pair.secretKey, message)).toThrow(
      /not a ristretto255 point/,
    );
    expect(() => Keypair.fromSecretKey(pair.secretKey, notAPointKey(), 'ed25519')).toThrow(
      /not a ristretto255 point/,
    );
    const unreduced = pair.secretKey.slice();
    unreduced.fill(0xff, 0, 32);
    expect(() => sr25519Sign(pair.publicKey, unreduced, message)).toThrow(/group order/);
    for (const form of ['ed25519', 'canonical'] as const) {
      const attempt = () => Keypair.fromSecretKey(unreduced, pair.publicKey, form);
      expect(attempt).toThrow(WalletError);
      expect(attempt).toThrow(/group order|does not match/);
    }
    expect(sr25519Verify(good, message, pair.publicKey)).toBe(true);
  });

  it('accepts exactly the encodings schnorrkel-wasm parses (raw library as oracle, in a worker)', async () => {
    const pair = randomPair();
    const message = randomBytes(24);
    const good = sr25519Sign(pair.publicKey, pair.secretKey, message);
    const p = 2n ** 255n - 19n;
    const le = (n: bigint) => {
      const out = new Uint8Array(32);
      for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
      return out;
    };
    const keys = [
      new Uint8Array(32),
      le(p),
      le(p + 2n),
      le(1n),
      le(2n),
      pair.publicKey,
      flipBit(pair.publicKey, 0),
      flipBit(pair.publicKey, 31, 7),
      ...Array.from({ length: 150 }, () => randomBytes(32)),
      ...Array.from({ length: 20 }, () => randomPair().publicKey),
    ];
    const signatures = [
      good,
      withS(good, ORDER - 1n),
      withS(good, ORDER),
      withS(good, ORDER + 1n),
      withS(good, 2n ** 252n - 1n),
      withS(good, 2n ** 252n),
      withS(good, 2n ** 255n - 1n),
      ...Array.from({ length: 60 }, (_, i) => {
        const sig = randomBytes(64);
        sig[63] = 0x80 | (0x10 + (i % 3) - 1);
        return sig;
      }),
      ...Array.from({ length: 20 }, () => randomBytes(64)),
    ];
    const secretWithKey = (key: Uint8Array) => {
      const out = pair.secretKey.slice();
      out.set(key);
      return out;
    };
    const secrets = [
      pair.secretKey,
      secretWithKey(le(8n * ORDER - 1n)),
      secretWithKey(le(8n * ORDER)),
      secretWithKey(le(8n * ORDER + 1n)),
      secretWithKey(le(2n ** 255n - 1n)),
      secretWithKey(le(2n ** 256n - 1n)),
      secretWithKey(le(0n)),
      ...Array.from({ length: 30 }, () => secretWithKey(randomBytes(32))),
    ];
    const parsed = await rawLibraryParses(keys, signatures, secrets, pair.publicKey, good, message);
    keys.forEach((key, i) => {
      expect(isSr25519PublicKey(key), `key ${Buffer.from(key).toString('hex')}`).toBe(
        parsed.keys[i],
      );
    });
    signatures.forEach((sig, i) => {
      expect(isSchnorrkelSignature(sig), `signature ${i}`).toBe(parsed.signatures[i]);
      expect(sr25519Parses(sig, pair.publicKey)).toBe(parsed.signatures[i]);
    });
    secrets.forEach((secret, i) => {
      expect(isSchnorrkelSecret(secret), `secret ${i}`).toBe(parsed.secrets[i]);
    });
    expect(parsed.secrets.filter(Boolean).length).toBeGreaterThan(3);
    expect(parsed.secrets.filter((x) => !x).length).toBeGreaterThan(3);
    // The sample must hold both kinds, or it proves nothing.
    expect(parsed.keys.filter(Boolean).length).toBeGreaterThan(20);
    expect(parsed.keys.filter((x) => !x).length).toBeGreaterThan(20);
    expect(parsed.signatures.filter(Boolean).length).toBeGreaterThan(5);
    expect(parsed.signatures.filter((x) => !x).length).toBeGreaterThan(5);
  });
});

function notAPointKey(): Uint8Array {
  for (;;) {
    const key = randomBytes(32);
    if (!isSr25519PublicKey(key)) return key;
  }
}

/**
 * Asks the unguarded library which inputs it parses: a panic (thrown trap) means it does not.
 * In a worker of its own, since each panic leaks part of that wasm instance.
 */
function rawLibraryParses(
  keys: Uint8Array[],
  signatures: Uint8Array[],
  secrets: Uint8Array[],
  goodKey: Uint8Array,
  goodSignature: Uint8Array,
  message: Uint8Array,
): Promise<{ keys: boolean[]; signatures: boolean[]; secrets: boolean[] }> {
  const source = `
    const { parentPort, workerData: d } = require('node:worker_threads');
    console.error = () => {};
    const sk = require(d.modulePath);
    const parses = (pub, sig) => { try { sk.sr25519_verify(pub, d.message, sig); return true; } catch { return false; } };
    parentPort.postMessage({
      keys: d.keys.map((k) => parses(k, d.goodSignature)),
      signatures: d.signatures.map((s) => parses(d.goodKey, s)),
      secrets: d.secrets.map((secret) => {
        try { sk.sr25519_sign(d.goodKey, secret, d.message); return true; } catch { return false; }
      }),
    });
  `;
  const worker = new Worker(source, {
    eval: true,
    workerData: {
      modulePath: SR25519_WASM_MODULE_PATH,
      keys,
      signatures,
      secrets,
      goodKey,
      goodSignature,
      message,
    },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (result) => {
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', reject);
  });
}
