import { sr25519Verify as wasmCryptoVerify } from '@polkadot/wasm-crypto';
import { sr25519_verify } from '@polkadot-labs/schnorrkel-wasm';

/**
 * sr25519 verification (Substrate signing context) through `@polkadot-labs/schnorrkel-wasm`,
 * about 2× faster than `@polkadot/wasm-crypto`. That library has no batch verification.
 *
 * It panics (a wasm trap, plus a line on stderr) instead of returning false for a key that is
 * not a ristretto point or a signature schnorrkel cannot parse. So it only sees keys that have
 * already carried a valid signature (checked once by wasm-crypto, which answers false cleanly)
 * and signatures that pass schnorrkel's own format checks, done here first.
 */
const known = new Set<string>();
const MAX_KNOWN = 65_536;

const keyOf = (pub: Uint8Array) =>
  Buffer.from(pub.buffer, pub.byteOffset, pub.length).toString('latin1');

/**
 * What `schnorrkel::Signature::from_bytes` accepts without a canonical-scalar check: the
 * schnorrkel marker bit set and `s` below 2^252 (every honest signature but ~2^-125 of them).
 */
const parsesFast = (sig: Uint8Array) =>
  sig.length === 64 && ((sig[63] as number) & 0x80) !== 0 && ((sig[63] as number) & 0x70) === 0;

export function sr25519Verify(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array): boolean {
  if (pub.length !== 32) return false;
  const key = keyOf(pub);
  if (known.has(key) && parsesFast(sig)) {
    try {
      return sr25519_verify(pub, msg, sig);
    } catch {
      return wasmCryptoVerify(sig, msg, pub);
    }
  }
  const ok = wasmCryptoVerify(sig, msg, pub);
  if (ok) {
    if (known.size >= MAX_KNOWN) known.clear();
    known.add(key);
  }
  return ok;
}
