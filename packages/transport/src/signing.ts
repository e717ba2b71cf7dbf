// Signature messages of the wire protocol, and checking them inline on the event loop (the
// worker-thread pool is in verifier-pool.ts).
import {
  BITTENSOR_SS58_PREFIX,
  decodeAddress,
  isSr25519PublicKey,
  type Keypair,
  verifySignature,
} from '@subnetkit/wallet';

const utf8 = new TextEncoder();

/** `{nonce}.{dendrite_hotkey}.{axon_hotkey}.{dendrite_uuid}.{body_hash}`: what a dendrite signs. */
export function requestMessage(
  nonce: bigint,
  dendriteHotkey: string,
  axonHotkey: string,
  uuid: string,
  bodyHash: string,
): string {
  return `${nonce}.${dendriteHotkey}.${axonHotkey}.${uuid}.${bodyHash}`;
}

/** `{axon_nonce}.{dendrite_hotkey}.{axon_hotkey}.{axon_uuid}`: what an axon signs. */
export function axonMessage(
  nonce: bigint,
  dendriteHotkey: string,
  axonHotkey: string,
  uuid: string,
): string {
  return `${nonce}.${dendriteHotkey}.${axonHotkey}.${uuid}`;
}

const BYTES_OPEN = utf8.encode('<Bytes>');
const BYTES_CLOSE = utf8.encode('</Bytes>');

/** polkadot.js `signRaw` signs `<Bytes>` + message + `</Bytes>`; verifiers accept both. */
export function wrapBytes(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(BYTES_OPEN.length + message.length + BYTES_CLOSE.length);
  out.set(BYTES_OPEN, 0);
  out.set(message, BYTES_OPEN.length);
  out.set(BYTES_CLOSE, BYTES_OPEN.length + message.length);
  return out;
}

const SIG_RE = /^0x[0-9a-fA-F]{128}$/;

/** `0x` + 128 hex digits → 64 bytes, or `undefined` if malformed. */
export function parseSignature(text: string | undefined): Uint8Array | undefined {
  if (text === undefined || !SIG_RE.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text.slice(2), 'hex'));
}

/**
 * SS58 hotkey → public key, with a bounded cache (decoding costs a blake2b checksum, and the
 * point check about 0.1 ms). Only Bittensor's prefix 42 is accepted, so one key has one
 * spelling in nonce keys and blacklists, and only keys that are ristretto255 points (no
 * signature verifies under any other, and schnorrkel-wasm aborts on them).
 */
export class HotkeyCache {
  readonly #cache = new Map<string, Uint8Array>();
  constructor(private readonly max = 10_000) {}
  publicKey(hotkey: string): Uint8Array | undefined {
    const hit = this.#cache.get(hotkey);
    if (hit) return hit;
    let key: Uint8Array;
    try {
      key = decodeAddress(hotkey, BITTENSOR_SS58_PREFIX).publicKey;
    } catch {
      return undefined;
    }
    if (!isSr25519PublicKey(key)) return undefined;
    if (this.#cache.size >= this.max) this.#cache.clear();
    this.#cache.set(hotkey, key);
    return key;
  }
}

/** Verifies `signature` over `message`, then over its `<Bytes>` wrapping. */
export function verifyWrapped(
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  return (
    verifySignature(message, signature, publicKey) ||
    verifySignature(wrapBytes(message), signature, publicKey)
  );
}

export interface VerifyJob {
  message: Uint8Array;
  signature: Uint8Array;
  publicKey: Uint8Array;
  /** When the signature holds, also sign this with the verifier's keypair (the axon's reply). */
  countersign?: Uint8Array;
}

export interface VerifyOutcome {
  ok: boolean;
  countersignature?: Uint8Array;
}

/** Where signature checks run. `shardKey` keeps one caller's jobs in order (same worker). */
export interface SignatureVerifier {
  readonly kind: 'inline' | 'pool';
  readonly size: number;
  run(job: VerifyJob, shardKey: string): VerifyOutcome | Promise<VerifyOutcome>;
  close(): Promise<void>;
}

/** Checks signatures on the calling thread. */
export function createInlineVerifier(signer?: Keypair): SignatureVerifier {
  return {
    kind: 'inline',
    size: 0,
    run(job) {
      const ok = verifyWrapped(job.message, job.signature, job.publicKey);
      if (!ok || !job.countersign || !signer) return { ok };
      return { ok, countersignature: signer.sign(job.countersign) };
    },
    async close() {},
  };
}
