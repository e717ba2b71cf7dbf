import { Keypair } from '@subnetkit/wallet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isChainError, type SubtensorChain } from '../src/index.js';
import type { FixtureNode } from './support/fixture-node.js';
import { connectInProcess, encodeEvents } from './support/harness.js';
import { recordedNode, SPEC343_AVAILABLE } from './support/spec343.js';

const alice = Keypair.fromUri('//Alice');
const dests = [1, 2, 3].map((k) => Keypair.fromUri(`//Bob//${k}`).ss58Address);

/**
 * The fixture node's `system_accountNextIndex` is NOT pool-aware (it answers the state nonce): these
 * tests pin down what SubtensorChain itself guarantees for one signer — one nonce lookup at a
 * time, each after the previous submission reached the pool, and never a nonce it still has in
 * flight. The node's state nonce advances when it includes a transaction (5 ms after submission). (`packages/localnet/test/concurrent-writes.test.ts` runs the same against a node whose
 * pool is counted, end to end.)
 */
describe.skipIf(!SPEC343_AVAILABLE)('nonces of concurrent writes from one signer', () => {
  let node: FixtureNode;
  let chain: SubtensorChain;
  beforeEach(async () => {
    node = recordedNode(['metagraph']);
    node.nonces.set(alice.ss58Address, 7);
    chain = await connectInProcess(node);
  });
  afterEach(async () => {
    await chain.close();
  });
  const nonceOf = (hex: string) =>
    (
      chain.api.createType('Extrinsic', hex) as unknown as { nonce: { toNumber(): number } }
    ).nonce.toNumber();

  /** Included 5 ms after submission; the state nonce advances only then (as on a node). */
  const includeAdvancingNonce = (hex: string) => ({
    kind: 'include' as const,
    events: (i: number) => {
      node.nonces.set(alice.ss58Address, nonceOf(hex) + 1);
      return encodeEvents(chain.api, i, {});
    },
  });
  const submitted = () =>
    node.requests
      .filter((r) => r.method === 'author_submitAndWatchExtrinsic')
      .map((r) => nonceOf(String(r.params[0])));

  it('takes nonces from system_accountNextIndex, one submission at a time: 7, 8, 9', async () => {
    node.onSubmit = includeAdvancingNonce;
    const results = await Promise.all(
      dests.map((dest) => chain.transfer(alice, { dest, amount: 1n })),
    );
    expect(submitted()).toEqual([7, 8, 9]);
    expect(new Set(results.map((r) => r.blockNumber)).size).toBe(3);
    expect(node.requests.some((r) => String(r.params[0]).startsWith('AccountNonceApi'))).toBe(
      false,
    );
    // Each lookup came after the previous submission was in the pool.
    const order = node.requests
      .map((r) => r.method)
      .filter((m) => m === 'system_accountNextIndex' || m === 'author_submitAndWatchExtrinsic');
    expect(order).toEqual([
      'system_accountNextIndex',
      'author_submitAndWatchExtrinsic',
      'system_accountNextIndex',
      'author_submitAndWatchExtrinsic',
      'system_accountNextIndex',
      'author_submitAndWatchExtrinsic',
    ]);
  });

  it('a pool rejection gives its nonce back to the next write', async () => {
    let first = true;
    node.onSubmit = (hex) => {
      if (!first) return includeAdvancingNonce(hex);
      first = false;
      return {
        kind: 'reject',
        code: 1010,
        message: 'Invalid Transaction',
        data: 'Custom error: 16',
      };
    };
    const [rejected, ok] = await Promise.allSettled([
      chain.transfer(alice, { dest: dests[0]!, amount: 1n }),
      chain.transfer(alice, { dest: dests[1]!, amount: 1n }),
    ]);
    expect(rejected.status === 'rejected' && isChainError(rejected.reason, 'POOL_REJECTED')).toBe(
      true,
    );
    expect(ok.status).toBe('fulfilled');
    expect(submitted()).toEqual([7, 7]);
  });
});
