import { gcm } from '@noble/ciphers/aes.js';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import {
  decodeG1,
  decodeG2,
  type G1Point,
  type G2Point,
  PUBLIC_KEY_LENGTH,
  QUICKNET_DST,
  roundMessage,
} from './bls.js';
import { type BytesLike, concatBytes, toBytes, u64LE } from './bytes.js';
import { TimelockError } from './errors.js';
import { QUICKNET } from './quicknet.js';

/**
 * Timelock encryption ("tle") exactly as the `tle` crate (ideal-lab5/timelock @ 5416406, the rev
 * bittensor-drand 1.2.0 and subtensor pin) does it with `TinyBLS381` + `AESGCMStreamCipherProvider`:
 *
 * - identity `Q = H_G1(id)` with {@link QUICKNET_DST}; for weights `id = sha256(round_be)`;
 * - a fresh 32-byte AES key `esk` is Boneh–Franklin FullIdent-encrypted to `Q`:
 *   `r = Fr(sha256(σ‖esk))` (big-endian, reduced), `U = r·g2`,
 *   `V = σ ⊕ sha256(ark_bytes(e(Q, r·P_pub)))`, `W = esk ⊕ sha256(σ)`;
 * - the message is AES-256-GCM encrypted under `esk` (12-byte random nonce, empty AAD);
 * - everything is serialized with ark-serialize 0.4 "compressed" encoding (below).
 *
 * Decryption with the round's drand signature `s = sk·Q`: `σ = V ⊕ sha256(ark_bytes(e(s, U)))`,
 * `esk = W ⊕ sha256(σ)`, check `U == Fr(sha256(σ‖esk))·g2`, then AES-GCM.
 */

/** `cipher_suite` bytes written by `AESGCMStreamCipherProvider`. */
export const AES_GCM_CIPHER_SUITE = new TextEncoder().encode('AES_GCM_');

/** The IBE header of a tle ciphertext (`tle::ibe::fullident::Ciphertext`). */
export interface IbeHeader {
  /** `U = r·g2`, compressed G2 (96 bytes). */
  readonly u: Uint8Array;
  /** `V = σ ⊕ H2(gid^r)`, 32 bytes when made by tle. */
  readonly v: Uint8Array;
  /** `W = esk ⊕ H4(σ)`, 32 bytes when made by tle. */
  readonly w: Uint8Array;
}

/** `tle::tlock::TLECiphertext<TinyBLS381>`, field by field. */
export interface TleCiphertext {
  readonly header: IbeHeader;
  /** The ark-serialized `AESOutput { ciphertext, nonce }`. */
  readonly body: Uint8Array;
  /** `b"AES_GCM_"`. Subtensor never reads it: it always decrypts with AES-GCM. */
  readonly cipherSuite: Uint8Array;
}

/** `tle::stream_ciphers::AESOutput`. */
export interface AesOutput {
  /** AES-256-GCM ciphertext followed by the 16-byte tag. */
  readonly ciphertext: Uint8Array;
  readonly nonce: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// ark-serialize 0.4 "compressed" encoding of the structs above (derive(CanonicalSerialize)):
// fields in declaration order; `Vec<u8>` = u64 little-endian length ‖ bytes; G2 = 96-byte
// zcash-format compressed point.

function writeVec(bytes: Uint8Array): Uint8Array {
  return concatBytes(u64LE(BigInt(bytes.length)), bytes);
}

/** Serializes a ciphertext the way `TLECiphertext::serialize_compressed` does. */
export function serializeCiphertext(ct: TleCiphertext): Uint8Array {
  if (ct.header.u.length !== PUBLIC_KEY_LENGTH) {
    throw new TimelockError('INVALID_INPUT', `header.u: must be ${PUBLIC_KEY_LENGTH} bytes`, {
      details: { field: 'header.u' },
    });
  }
  return concatBytes(
    ct.header.u,
    writeVec(ct.header.v),
    writeVec(ct.header.w),
    writeVec(ct.body),
    writeVec(ct.cipherSuite),
  );
}

/** Serializes an `AESOutput` (`ciphertext` then `nonce`, each a `Vec<u8>`). */
export function serializeAesOutput(out: AesOutput): Uint8Array {
  return concatBytes(writeVec(out.ciphertext), writeVec(out.nonce));
}

class Reader {
  offset = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly code: 'MALFORMED_CIPHERTEXT' | 'MALFORMED_BODY',
    readonly field: string,
  ) {}

  take(n: number, what: string): Uint8Array {
    if (n > this.bytes.length - this.offset) {
      throw new TimelockError(
        this.code,
        `${this.field}: truncated: ${what} needs ${n} bytes at offset ${this.offset}, ${this.bytes.length - this.offset} left`,
        { details: { field: this.field } },
      );
    }
    // A real copy: `Buffer#slice` is a view into Node's shared pool, not a copy.
    const out = new Uint8Array(n);
    out.set(this.bytes.subarray(this.offset, this.offset + n));
    this.offset += n;
    return out;
  }

  vec(what: string): Uint8Array {
    const lenBytes = this.take(8, `${what} length`);
    const len = new DataView(
      lenBytes.buffer,
      lenBytes.byteOffset,
      lenBytes.byteLength,
    ).getBigUint64(0, true);
    if (len > BigInt(this.bytes.length - this.offset)) {
      throw new TimelockError(
        this.code,
        `${this.field}: truncated: ${what} declares ${len} bytes at offset ${this.offset}, ${this.bytes.length - this.offset} left`,
        { details: { field: this.field } },
      );
    }
    return this.take(Number(len), what);
  }
}

/** Result of {@link parseCiphertext}. */
export interface ParsedCiphertext {
  readonly ciphertext: TleCiphertext;
  /** Bytes read. Like ark's `deserialize_compressed`, trailing bytes are ignored. */
  readonly consumed: number;
}

/**
 * Parses bytes the way subtensor's `TLECiphertext::<TinyBLS381>::deserialize_compressed` does
 * (including ark's on-curve and subgroup check of `U`). Trailing bytes after the last field are
 * ignored, as ark ignores them; `consumed` tells how many were read.
 * Throws `MALFORMED_CIPHERTEXT`.
 */
export function parseCiphertext(value: BytesLike): ParsedCiphertext {
  const { ciphertext, consumed } = parseWithPoint(value);
  return { ciphertext, consumed };
}

function parseWithPoint(value: BytesLike): ParsedCiphertext & { readonly uPoint: G2Point } {
  const bytes = toBytes(value, 'ciphertext');
  const r = new Reader(bytes, 'MALFORMED_CIPHERTEXT', 'ciphertext');
  const u = r.take(PUBLIC_KEY_LENGTH, 'header.u');
  let uPoint: G2Point;
  try {
    uPoint = bls12_381.G2.Point.fromBytes(u);
  } catch (cause) {
    throw new TimelockError(
      'MALFORMED_CIPHERTEXT',
      'ciphertext: header.u is not a valid compressed G2 point',
      { details: { field: 'ciphertext' }, cause },
    );
  }
  const v = r.vec('header.v');
  const w = r.vec('header.w');
  const body = r.vec('body');
  const cipherSuite = r.vec('cipher_suite');
  return { ciphertext: { header: { u, v, w }, body, cipherSuite }, consumed: r.offset, uPoint };
}

/** Parses an `AESOutput` body (trailing bytes ignored, as ark does). Throws `MALFORMED_BODY`. */
export function parseAesOutput(body: Uint8Array): AesOutput {
  const r = new Reader(body, 'MALFORMED_BODY', 'ciphertext.body');
  const ciphertext = r.vec('ciphertext');
  const nonce = r.vec('nonce');
  return { ciphertext, nonce };
}

// ---------------------------------------------------------------------------------------------
// The hash functions of tle's FullIdent (tle/src/ibe/utils.rs).

type Gt = ReturnType<typeof bls12_381.pairing>;
const { Fp12, Fr } = bls12_381.fields;

function fpLE(x: bigint, out: Uint8Array, offset: number): void {
  let v = x;
  for (let i = 0; i < 48; i++) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/**
 * ark-serialize encoding of an Fp12 element (`E::TargetField`): coefficients in tower order
 * `c0.c0.c0, c0.c0.c1, c0.c1.c0, …, c1.c2.c1`, each a 48-byte little-endian integer (576 bytes).
 */
export function gtToArkBytes(gt: Gt): Uint8Array {
  const out = new Uint8Array(576);
  let o = 0;
  for (const c6 of [gt.c0, gt.c1]) {
    for (const c2 of [c6.c0, c6.c1, c6.c2]) {
      fpLE(c2.c0, out, o);
      fpLE(c2.c1, out, o + 48);
      o += 96;
    }
  }
  return out;
}

/** H2: GT → {0,1}^256, `sha256(ark_bytes(g))`. */
function h2(gt: Gt): Uint8Array {
  return sha256(gtToArkBytes(gt));
}

/** H3: `Fr::from_be_bytes_mod_order(sha256(a ‖ b))`. */
function h3(a: Uint8Array, b: Uint8Array): bigint {
  const digest = sha256(concatBytes(a, b));
  let n = 0n;
  for (const byte of digest) n = (n << 8n) | BigInt(byte);
  return Fr.create(n);
}

/** H4: `sha256(a)[..a.len()]` (a is 32 bytes here). */
function h4(a: Uint8Array): Uint8Array {
  return sha256(a).slice(0, a.length);
}

function xor32(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}

function mulG2(r: bigint): G2Point {
  return r === 0n ? bls12_381.G2.Point.ZERO : bls12_381.G2.Point.BASE.multiply(r);
}

/** ark's `E::pairing` of a G1 and a G2 point; the identity element when either is zero. */
function pair(p: G1Point, q: G2Point): Gt {
  if (p.is0() || q.is0()) return Fp12.ONE;
  return bls12_381.pairing(p, q);
}

// ---------------------------------------------------------------------------------------------

/** Options for {@link encrypt}. The defaults draw from `crypto.getRandomValues`. */
export interface EncryptOptions {
  /**
   * Source of randomness for σ and the AES nonce (and `esk` when not given). Only tests should
   * pass a deterministic source.
   */
  readonly random?: (length: number) => Uint8Array;
  /** The 32-byte AES key (tle's `esk`). Default: 32 random bytes. */
  readonly ephemeralKey?: BytesLike;
}

/**
 * Timelock-encrypts `message` to an arbitrary IBE identity (the bytes the beacon will sign)
 * under `publicKey` (compressed G2, 96 bytes). Returns the serialized `TLECiphertext`.
 */
export function encryptToIdentity(
  message: BytesLike,
  identity: BytesLike,
  publicKey: BytesLike,
  options: EncryptOptions = {},
): Uint8Array {
  const plaintext = toBytes(message, 'message');
  const id = toBytes(identity, 'identity');
  const pk = decodeG2(publicKey, 'publicKey');
  if (pk.is0()) {
    throw new TimelockError('INVALID_POINT', 'publicKey: is the point at infinity', {
      details: { field: 'publicKey' },
    });
  }
  const random = options.random ?? randomBytes;
  const draw = (n: number, field: string): Uint8Array => {
    const out = random(n);
    if (!(out instanceof Uint8Array) || out.length !== n) {
      throw new TimelockError('INVALID_INPUT', `${field}: random(${n}) must return ${n} bytes`, {
        details: { field },
      });
    }
    return out;
  };
  const esk =
    options.ephemeralKey === undefined
      ? draw(32, 'options.random')
      : toBytes(options.ephemeralKey, 'options.ephemeralKey', 32);

  const q = bls12_381.G1.hashToCurve(id, { DST: QUICKNET_DST }) as G1Point;
  let sigma = draw(32, 'options.random');
  let r = h3(sigma, esk);
  for (let tries = 0; r === 0n; tries++) {
    // Probability 2^-255: only a broken random source gets here.
    if (tries > 8) {
      throw new TimelockError('INVALID_INPUT', 'options.random: is not random', {
        details: { field: 'options.random' },
      });
    }
    sigma = draw(32, 'options.random');
    r = h3(sigma, esk);
  }
  const u = mulG2(r);
  // e(Q, r·P_pub) as tle computes it; by bilinearity equal to e(r·Q, P_pub), and a G1 scalar
  // multiplication is ~3x cheaper than a G2 one.
  const gid = pair(q.multiply(r), pk);
  const header: IbeHeader = {
    u: u.toBytes(true),
    v: xor32(sigma, h2(gid)),
    w: xor32(esk, h4(sigma)),
  };
  const nonce = draw(12, 'options.random');
  const sealed = gcm(esk, nonce).encrypt(plaintext);
  return serializeCiphertext({
    header,
    body: serializeAesOutput({ ciphertext: sealed, nonce }),
    cipherSuite: AES_GCM_CIPHER_SUITE,
  });
}

/**
 * Timelock-encrypts `message` so that it opens with the beacon signature of drand `round`:
 * identity `sha256(round as u64 big-endian)`, as bittensor-drand `encrypt_and_compress` does.
 * `publicKey` defaults to drand quicknet's. Returns the bytes to put in
 * `commit_timelocked_weights(.., commit, reveal_round, ..)`.
 */
export function encrypt(
  message: BytesLike,
  round: number | bigint,
  publicKey: BytesLike = QUICKNET.publicKey,
  options: EncryptOptions = {},
): Uint8Array {
  return encryptToIdentity(message, roundMessage(round), publicKey, options);
}

/**
 * Recovers the 32-byte AES key from the IBE header with the identity's key (the beacon
 * signature). Throws `WRONG_KEY` when the FullIdent check `U == r·g2` fails.
 */
function openHeader(header: IbeHeader, u: G2Point, signature: G1Point): Uint8Array {
  if (header.v.length !== 32 || header.w.length !== 32) {
    // tle would fail the U check or panic on such a header; no honest encoder makes one.
    throw new TimelockError(
      'MALFORMED_CIPHERTEXT',
      `ciphertext: header.v and header.w must be 32 bytes, got ${header.v.length} and ${header.w.length}`,
      { details: { field: 'ciphertext' } },
    );
  }
  const sigma = xor32(header.v, h2(pair(signature, u)));
  const esk = xor32(header.w, h4(sigma));
  if (!mulG2(h3(sigma, esk)).equals(u)) {
    throw new TimelockError(
      'WRONG_KEY',
      'signature: does not open this ciphertext (wrong round or key, or a tampered header)',
      { details: { field: 'signature' } },
    );
  }
  return esk;
}

function openBody(body: Uint8Array, esk: Uint8Array): Uint8Array {
  const out = parseAesOutput(body);
  if (out.nonce.length !== 12) {
    throw new TimelockError(
      'DECRYPTION_FAILED',
      `ciphertext.body: AES-GCM nonce must be 12 bytes, got ${out.nonce.length}`,
      { details: { field: 'ciphertext.body' } },
    );
  }
  try {
    return gcm(esk, out.nonce).decrypt(out.ciphertext);
  } catch (cause) {
    throw new TimelockError(
      'DECRYPTION_FAILED',
      'ciphertext.body: AES-GCM authentication failed (tampered body)',
      { details: { field: 'ciphertext.body' }, cause },
    );
  }
}

/**
 * Decrypts a serialized tle ciphertext with the beacon signature for its round (compressed G1,
 * 48 bytes, hex or bytes), following subtensor's `reveal_crv3_commits_for_subnet` →
 * `tle::tlock::tld` step by step. Like subtensor it ignores `cipher_suite` and trailing bytes.
 *
 * Throws `TimelockError`: `MALFORMED_CIPHERTEXT`, `INVALID_POINT` (signature),
 * `WRONG_KEY`, `MALFORMED_BODY`, `DECRYPTION_FAILED`.
 */
export function decrypt(ciphertext: BytesLike, signature: BytesLike): Uint8Array {
  const { ciphertext: ct, uPoint } = parseWithPoint(ciphertext);
  const sig = decodeG1(signature, 'signature');
  const esk = openHeader(ct.header, uPoint, sig);
  return openBody(ct.body, esk);
}

/**
 * Opens only the symmetric layer with a known AES key (`esk`), bypassing the timelock. Useful
 * to a committer that kept its key, and for tests.
 */
export function decryptWithEphemeralKey(
  ciphertext: BytesLike,
  ephemeralKey: BytesLike,
): Uint8Array {
  const { ciphertext: ct } = parseCiphertext(ciphertext);
  return openBody(ct.body, toBytes(ephemeralKey, 'ephemeralKey', 32));
}
