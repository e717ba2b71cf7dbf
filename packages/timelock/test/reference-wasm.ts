/**
 * The reference implementation, run here: `@ideallabs/timelock_wasm_wrapper@1.0.0` is Ideal Labs'
 * wasm-bindgen build of their `timelock` crate (the renamed `tle` crate) together with
 * arkworks 0.4.2 (`ark-ec-0.4.2`, `ark-serialize-0.4.2`, `ark-bls12-381-0.4.0`) and `w3f-bls-0.1.4`
 * — the version strings are in the .wasm binary. Its `tle`/`tld` call
 * `timelock::tlock::{tle, tld}::<TinyBLS381, AESGCMStreamCipherProvider>` and serialize with
 * `serialize_compressed`, like bittensor-drand `encrypt_and_compress` and subtensor
 * `reveal_crv3_commits_for_subnet`. The scheme code is unchanged from the rev they pin (see
 * README "Evidence").
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as wasm from '@ideallabs/timelock_wasm_wrapper';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@ideallabs/timelock_wasm_wrapper/package.json'));
wasm.initSync({ module: readFileSync(join(pkgDir, 'timelock_wasm_wrapper_bg.wasm')) });

const CURVE = 'bls12_381';

/** Reference `tle`: encrypts `message` to identity bytes `id` under `publicKey` (96 bytes). */
export function referenceEncrypt(
  id: Uint8Array,
  message: Uint8Array,
  ephemeralKey: Uint8Array,
  publicKey: Uint8Array,
): Uint8Array {
  const out = wasm.tle(
    Array.from(id),
    Array.from(message),
    Array.from(ephemeralKey),
    Array.from(publicKey),
    CURVE,
  ) as number[];
  return Uint8Array.from(out);
}

/** Reference `tld`: decrypts with a compressed G1 signature; throws on failure. */
export function referenceDecrypt(ciphertext: Uint8Array, signature: Uint8Array): Uint8Array {
  const out = wasm.tld(Array.from(ciphertext), Array.from(signature), CURVE) as number[];
  return Uint8Array.from(out);
}
