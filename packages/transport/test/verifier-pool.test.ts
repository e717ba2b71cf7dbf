// The verifier pool on its own: schnorrkel-wasm in worker threads, batches, countersignatures
// checked by the wallet, malformed input that would abort the library, and dead workers.
import { randomBytes } from 'node:crypto';
import type { Logger } from '@subnetkit/core';
import {
  encodeAddress,
  isSr25519PublicKey,
  type Keypair,
  verifySignature,
} from '@subnetkit/wallet';
import { afterEach, describe, expect, it } from 'vitest';
import type { Exchange } from '../src/axon/exchange.js';
import { resolveAxonOptions } from '../src/axon/options.js';
import type { CallerInfo } from '../src/axon/types.js';
import { RequestVerifier } from '../src/axon/verify.js';
import {
  axonMessage,
  createVerifierPool,
  requestMessage,
  type VerifyJob,
  wrapBytes,
} from '../src/index.js';
import { NonceClock, NonceStore } from '../src/nonce.js';
import type { SignatureVerifier } from '../src/signing.js';
import { HotkeyCache } from '../src/signing.js';
import type { VerifierPool } from '../src/verifier-pool.js';
import { alice, bob, charlie, silent } from './helpers.js';

const utf8 = new TextEncoder();
const pools: VerifierPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});
async function pool(size = 1): Promise<VerifierPool> {
  const p = await createVerifierPool({ size, signer: bob });
  pools.push(p);
  return p;
}

function job(i: number, o: { signer?: Keypair; wrap?: boolean; tamper?: boolean } = {}): VerifyJob {
  const signer = o.signer ?? alice;
  const message = utf8.encode(
    requestMessage(BigInt(i), signer.ss58Address, bob.ss58Address, `u${i}`, 'ab'.repeat(32)),
  );
  const signature = signer.sign(o.wrap ? wrapBytes(message) : message);
  if (o.tamper) message[0] = message[0]! ^ 1;
  const countersign = utf8.encode(
    axonMessage(BigInt(1000 + i), signer.ss58Address, bob.ss58Address, 'axon-uuid'),
  );
  return { message, signature, publicKey: signer.publicKey, countersign };
}

describe('verifier pool', () => {
  it('countersigns in the worker with a signature the wallet verifies under the axon key', async () => {
    const p = await pool();
    const j = job(1);
    const out = await p.run(j, 'k');
    expect(out.ok).toBe(true);
    expect(out.countersignature).toHaveLength(64);
    expect(verifySignature(j.countersign!, out.countersignature!, bob.publicKey)).toBe(true);
    // Not under another key, and not over another message.
    expect(verifySignature(j.countersign!, out.countersignature!, alice.publicKey)).toBe(false);
    expect(verifySignature(j.message, out.countersignature!, bob.publicKey)).toBe(false);
  });

  it('rejects the bad signature of a batch and passes the others', async () => {
    const p = await pool(2);
    // One event-loop turn, one shard key: one batch.
    const jobs = [
      job(0),
      job(1, { signer: charlie }),
      job(2, { tamper: true }),
      job(3, { wrap: true }),
      job(4),
    ];
    const outs = await Promise.all(jobs.map((j) => p.run(j, 'same-caller')));
    expect(outs.map((o) => o.ok)).toEqual([true, true, false, true, true]);
    expect(outs[2]!.countersignature).toBeUndefined();
    for (const k of [0, 1, 3, 4]) {
      expect(
        verifySignature(jobs[k]!.countersign!, outs[k]!.countersignature!, bob.publicKey),
      ).toBe(true);
    }
  });

  it('answers every job of a large burst over several workers, each with its own verdict', async () => {
    const p = await pool(2);
    const jobs = Array.from({ length: 200 }, (_, i) => job(i, { tamper: i % 7 === 3 }));
    const outs = await Promise.all(jobs.map((j, i) => p.run(j, `caller-${i % 13}`)));
    expect(outs.map((o) => o.ok)).toEqual(jobs.map((_, i) => i % 7 !== 3));
  });

  it('survives input that aborts schnorrkel-wasm (unmarked or non-canonical signatures, keys that are no point)', async () => {
    const p = await pool();
    const good = job(1);
    const unmarked = { ...good, signature: new Uint8Array(64).fill(0x22) };
    const nonCanonical = { ...good, signature: new Uint8Array(good.signature) };
    nonCanonical.signature.fill(0xff, 32);
    let notPoint = randomBytes(32);
    while (isSr25519PublicKey(notPoint)) notPoint = randomBytes(32);
    const badKey = { ...good, publicKey: new Uint8Array(notPoint) };
    const outs = await Promise.all(
      [unmarked, nonCanonical, badKey, good].map((j) => p.run(j, 'k')),
    );
    expect(outs.map((o) => o.ok)).toEqual([false, false, false, true]);
    // The worker's library instance is sound afterwards.
    const after = await Promise.all(
      [job(2), job(3, { tamper: true }), job(4)].map((j) => p.run(j, 'k')),
    );
    expect(after.map((o) => o.ok)).toEqual([true, false, true]);
  });

  it('fails in-flight and later jobs with VERIFY_POOL_FAILED when a worker dies, without hanging', async () => {
    const p = await pool(2);
    const pending = Array.from({ length: 20 }, (_, i) => p.run(job(i), `c${i}`));
    const settled = Promise.allSettled(pending);
    await p.threads[0]!.terminate();
    const results = await settled;
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed)
      expect((r as PromiseRejectedResult).reason.code).toBe('VERIFY_POOL_FAILED');
    await expect(p.run(job(99), 'c1')).rejects.toMatchObject({ code: 'VERIFY_POOL_FAILED' });
  });

  it('refuses a size that is not a positive integer', async () => {
    await expect(createVerifierPool({ size: 0 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });
});

describe('HotkeyCache', () => {
  it('turns away an SS58 hotkey whose key is no ristretto255 point (schnorrkel-wasm aborts on it)', () => {
    let notPoint = randomBytes(32);
    while (isSr25519PublicKey(notPoint)) notPoint = randomBytes(32);
    const cache = new HotkeyCache();
    expect(cache.publicKey(encodeAddress(new Uint8Array(notPoint), 42))).toBeUndefined();
    expect(cache.publicKey(alice.ss58Address)).toEqual(alice.publicKey);
  });
});

describe('the axon when its verifier pool dies', () => {
  it('verifies inline from then on, with the same verdicts, and logs the failure once', async () => {
    const errors: unknown[] = [];
    const logger = { ...silent, error: (o: unknown) => void errors.push(o), child: () => logger };
    const dead: SignatureVerifier = {
      kind: 'pool',
      size: 1,
      run: () => Promise.reject(new Error('worker gone')),
      close: async () => {},
    };
    const options = resolveAxonOptions({ keypair: bob });
    const verifier = new RequestVerifier({
      keypair: bob,
      uuid: 'axon-uuid',
      options,
      nonces: new NonceStore(),
      clock: new NonceClock(),
      hotkeys: new HotkeyCache(),
      logger: logger as unknown as Logger,
      verifier: () => dead,
    });
    const claimOf = (i: number, signer = alice) => {
      const nonce = new NonceClock().next();
      const uuid = `u${i}`;
      const bodyHash = 'ab'.repeat(32);
      const sig = signer.sign(
        requestMessage(nonce, signer.ss58Address, bob.ss58Address, uuid, bodyHash),
      );
      const caller = {
        hotkey: alice.ss58Address,
        nonce,
        uuid,
        signature: `0x${Buffer.from(sig).toString('hex')}`,
      } as CallerInfo;
      return { caller, bodyHash, timeout: 12, endpointKey: `${caller.hotkey}:${uuid}` };
    };
    for (let i = 0; i < 3; i++) {
      const ex = { route: 'Dummy', start: 0, outcome: 'ok', status: 200 } as Exchange;
      await verifier.checkSignature(claimOf(i), ex);
      expect(
        verifySignature(
          utf8.encode(axonMessage(ex.axonNonce!, alice.ss58Address, bob.ss58Address, 'axon-uuid')),
          Buffer.from(ex.axonSignature!.slice(2), 'hex'),
          bob.publicKey,
        ),
      ).toBe(true);
    }
    const ex = { route: 'Dummy', start: 0, outcome: 'ok', status: 200 } as Exchange;
    await expect(verifier.checkSignature(claimOf(9, charlie), ex)).rejects.toMatchObject({
      status: 401,
      outcome: 'bad_signature',
    });
    expect(errors).toHaveLength(1);
  });
});
