// The verify step (401): the caller's auth headers, the nonce window, the signature addressed
// to our hotkey (countersigning the reply when it holds), then the body and its hash.
import type { IncomingMessage } from 'node:http';
import type { Logger } from '@subnetkit/core';
import type { Keypair } from '@subnetkit/wallet';
import type { NonceClock, NonceStore } from '../nonce.js';
import {
  axonMessage,
  createInlineVerifier,
  type HotkeyCache,
  parseSignature,
  requestMessage,
  type SignatureVerifier,
  type VerifyOutcome,
} from '../signing.js';
import { type AnySynapse, computeBodyHash, parseFields } from '../synapse.js';
import { parseFloatHeader, parseTerminalHeaders } from '../synapse-headers.js';
import { type Exchange, notVerified, overBudget, Rejection } from './exchange.js';
import { BodyOverBudget, BodyTooLarge } from './http.js';
import type { ResolvedAxonOptions } from './options.js';
import type { CallerInfo } from './types.js';

const utf8 = new TextEncoder();

export interface VerifyContext {
  keypair: Keypair;
  /** The axon's uuid (in the message it countersigns). */
  uuid: string;
  options: ResolvedAxonOptions;
  nonces: NonceStore;
  clock: NonceClock;
  hotkeys: HotkeyCache;
  logger: Logger;
  verifier: () => SignatureVerifier;
}

/** What the headers claim: checked for shape here, for truth by `checkSignature`. */
export interface Claim {
  caller: CallerInfo;
  bodyHash: string;
  timeout: number;
  /** Nonce-store key: one strictly increasing sequence per (hotkey, uuid). */
  endpointKey: string;
}

export class RequestVerifier {
  /** The verifier that failed (a dead pool), replaced by inline checks while it is current. */
  #failed: SignatureVerifier | undefined;
  readonly #inline: SignatureVerifier;

  constructor(private readonly c: VerifyContext) {
    this.#inline = createInlineVerifier(c.keypair);
  }

  /** Headers → timeout and caller. Unsigned or malformed auth headers are always 401. */
  readClaim(req: IncomingMessage, ex: Exchange): Claim {
    const o = this.c.options;
    const headers = req.headers;
    const timeoutText = headers.timeout;
    let timeout = o.defaultTimeoutS;
    if (timeoutText !== undefined) {
      const t = parseFloatHeader(Array.isArray(timeoutText) ? undefined : timeoutText);
      if (t === undefined || !Number.isFinite(t) || t <= 0) {
        throw new Rejection(400, 'bad_request', 'Header "timeout" is not a positive number');
      }
      timeout = Math.min(t, o.maxTimeoutS);
    }
    ex.timeout = timeout;
    const { info: dendrite, errors } = parseTerminalHeaders(headers, 'dendrite');
    dendrite.ip = req.socket.remoteAddress ?? '';
    dendrite.port = req.socket.remotePort ?? 0;
    ex.dendrite = dendrite;
    if (!dendrite.hotkey) throw notVerified('unsigned', 'missing dendrite hotkey');
    ex.hotkey = dendrite.hotkey;
    const bodyHash = headers.computed_body_hash;
    const missing = [
      dendrite.nonce === undefined && 'nonce',
      !dendrite.uuid && 'uuid',
      !dendrite.signature && 'signature',
      typeof bodyHash !== 'string' && 'computed_body_hash',
    ].filter(Boolean);
    if (errors.length > 0 || missing.length > 0) {
      throw notVerified(
        'unsigned',
        errors.length > 0 ? errors.join('; ') : `missing ${missing.join(', ')}`,
      );
    }
    const caller = dendrite as CallerInfo;
    return {
      caller,
      bodyHash: bodyHash as string,
      timeout,
      endpointKey: `${caller.hotkey}:${caller.uuid}`,
    };
  }

  /** Nonce window, then the signature addressed to *our* hotkey; countersigns the reply. */
  async checkSignature(claim: Claim, ex: Exchange): Promise<void> {
    const { caller, endpointKey } = claim;
    const early = this.c.nonces.check(endpointKey, caller.nonce, claim.timeout);
    if (early) throw notVerified('stale_nonce', early);
    const publicKey = this.c.hotkeys.publicKey(caller.hotkey);
    const signature = parseSignature(caller.signature);
    if (!publicKey || !signature) {
      throw notVerified('bad_signature', 'malformed hotkey or signature');
    }
    const ours = this.c.keypair.ss58Address;
    const message = requestMessage(caller.nonce, caller.hotkey, ours, caller.uuid, claim.bodyHash);
    ex.axonNonce = this.c.clock.next();
    const countersign = utf8.encode(axonMessage(ex.axonNonce, caller.hotkey, ours, this.c.uuid));
    const job = { message: utf8.encode(message), signature, publicKey, countersign };
    const verifier = this.c.verifier();
    let outcome: VerifyOutcome;
    if (verifier === this.#failed) {
      outcome = await this.#inline.run(job, endpointKey);
    } else {
      try {
        outcome = await verifier.run(job, endpointKey);
      } catch (err) {
        // A dead pool stays dead: verify inline while it is the axon's, and say so once.
        if (this.#failed !== verifier) {
          this.#failed = verifier;
          this.c.logger.error({ err }, 'verifier pool failed; verifying inline');
        }
        outcome = await this.#inline.run(job, endpointKey);
      }
    }
    if (!outcome.ok) throw notVerified('bad_signature', 'Signature mismatch');
    ex.axonSignature = outcome.countersignature
      ? `0x${Buffer.from(outcome.countersignature).toString('hex')}`
      : undefined;
  }

  /** The body: JSON object → input fields (400), its hash (401), then the nonce is recorded. */
  async readInput(
    def: AnySynapse,
    body: Promise<Buffer>,
    claim: Claim,
  ): Promise<Record<string, unknown>> {
    const raw = await awaitBody(body, this.c.options);
    const { fields, input } = parseInput(def, raw);
    let recomputed: string;
    try {
      const values: Record<string, unknown> = { ...input };
      for (const f of def.compiled.outputFields) values[f] = fields[f];
      recomputed = computeBodyHash(def, values);
    } catch (err) {
      throw new Rejection(400, 'bad_request', `Cannot hash ${def.name}: ${(err as Error).message}`);
    }
    if (recomputed !== claim.bodyHash) {
      throw notVerified('bad_body_hash', 'body hash does not match computed_body_hash');
    }
    const { caller, endpointKey, timeout } = claim;
    const late = this.c.nonces.commit(endpointKey, caller.nonce, timeout);
    if (late) throw notVerified('stale_nonce', late, late === 'NONCE_STORE_FULL' ? 503 : 401);
    return input;
  }
}

/** The whole body, or the rejection its read ended with (413, 503, 400). */
export async function awaitBody(body: Promise<Buffer>, o: ResolvedAxonOptions): Promise<Buffer> {
  try {
    return await body;
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      throw new Rejection(413, 'body_too_large', `Request body over ${o.maxBodyBytes} bytes`);
    }
    if (err instanceof BodyOverBudget) throw overBudget(o.maxBodyBytesInFlight);
    throw new Rejection(400, 'client_closed', 'Request body not received');
  }
}

/** A JSON object body → its fields and the synapse's validated input fields (400 otherwise). */
export function parseInput(
  def: AnySynapse,
  raw: Buffer,
): { fields: Record<string, unknown>; input: Record<string, unknown> } {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new Rejection(400, 'bad_request', 'Request body is not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Rejection(400, 'bad_request', 'Request body must be a JSON object');
  }
  const fields = json as Record<string, unknown>;
  const parsed = parseFields(def, def.input, fields);
  if (!parsed.ok) throw new Rejection(400, 'bad_request', `Invalid ${def.name}: ${parsed.error}`);
  return { fields, input: parsed.value as Record<string, unknown> };
}
