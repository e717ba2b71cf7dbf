import * as crypto from 'node:crypto';
import { TransportError } from './errors.js';

/**
 * One-shot SHA3-256 hex: `crypto.hash` (node ≥ 20.12) makes no Hash object per call (the axon
 * hashes 4–6 strings per request); older nodes take the Hash object.
 */
const sha3: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha3-256', text, 'hex')
    : (text) => crypto.createHash('sha3-256').update(text, 'utf8').digest('hex');

/** `String.prototype.isWellFormed` (ES2024, in node 20): false iff a lone surrogate is held. */
const wellFormed = (text: string) =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * SHA3-256 (FIPS-202, not Keccak) of the UTF-8 bytes of `text`, lowercase hex without `0x`:
 * the SDK's `get_hash`. A lone UTF-16 surrogate has no UTF-8 form (Python raises
 * `UnicodeEncodeError`), so it is an error here too rather than a silent U+FFFD.
 */
export function sha3Hex(text: string): string {
  if (!wellFormed(text)) {
    throw new TransportError(
      'UNREPRESENTABLE_VALUE',
      'string holds a lone UTF-16 surrogate, which has no UTF-8 encoding (Python cannot hash it)',
    );
  }
  return sha3(text);
}

/** The body hash of a synapse with no hash fields: SHA3-256 of the empty string. */
export const EMPTY_BODY_HASH = 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a';

/** `get_hash("".join(get_hash(s) for s in parts))`: the SDK's body hash over rendered fields. */
export function bodyHashOfRendered(parts: readonly string[]): string {
  let joined = '';
  for (const part of parts) joined += sha3Hex(part);
  return sha3Hex(joined);
}
