import {
  type ChainError,
  createSubtensorChain,
  isChainError,
  type SubtensorChain,
} from '@subnetkit/chain';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalnet, type Localnet, TAO } from '../src/index.js';

const alice = Keypair.fromUri('//Alice');
const other = Keypair.fromUri('//Alice//nonce-other');
const dests = Array.from({ length: 6 }, (_, k) => Keypair.fromUri(`//Alice//nonce-${k}`));

describe('SubtensorChain: concurrent writes from one key', () => {
  let net: Localnet;
  let chain: SubtensorChain;
  let timer: NodeJS.Timeout;
  beforeAll(async () => {
    net = await createLocalnet({
      blockTime: 'manual',
      genesis: { subnets: [{ netuid: 1, params: { commitReveal: true } }] },
    });
    timer = setInterval(() => net.produceBlock(), 60);
    chain = await createSubtensorChain(
      { txTimeoutMs: 20_000 },
      { provider: net.provider() as never },
    );
  });
  afterAll(async () => {
    clearInterval(timer);
    await chain?.close();
    await net?.close();
  });

  it('a pool rejection in the middle leaves no nonce gap behind it', async () => {
    const before = net.chain.accountNonce(alice.publicKey);
    // reveal_weights with no commit is refused by the pool (CommitNotFound), not in a block.
    const reveal = chain.buildCall('subtensorModule', 'revealWeights', [1, [0], [1], [7], 0]);
    const [a, rejected, b] = await Promise.allSettled([
      chain.transfer(alice, { dest: other.ss58Address, amount: TAO }),
      chain.submit(alice, reveal),
      chain.transfer(alice, { dest: other.ss58Address, amount: TAO }),
    ]);
    expect(a.status).toBe('fulfilled');
    expect(b.status).toBe('fulfilled');
    expect(rejected.status).toBe('rejected');
    expect(isChainError((rejected as PromiseRejectedResult).reason, 'POOL_REJECTED')).toBe(true);
    expect(((rejected as PromiseRejectedResult).reason as ChainError).details.name).toBe(
      'CommitNotFound',
    );
    expect(net.chain.accountNonce(alice.publicKey)).toBe(before + 2);
  });

  it('six transfers started together all land, with consecutive nonces', async () => {
    const before = net.chain.accountNonce(alice.publicKey);
    const results = await Promise.all(
      dests.map((d, k) =>
        chain.transfer(alice, { dest: d.ss58Address, amount: BigInt(k + 1) * TAO }),
      ),
    );
    expect(new Set(results.map((r) => r.txHash)).size).toBe(dests.length);
    expect(net.chain.accountNonce(alice.publicKey)).toBe(before + dests.length);
    for (const [k, d] of dests.entries()) {
      expect((await chain.getBalance(d.ss58Address)).free).toBe(BigInt(k + 1) * TAO);
    }
  });
});

describe('SubtensorChain: writes from one key share a block', () => {
  it('three writes queued before the block is sealed are all in it, nonces n, n+1, n+2', async () => {
    const net = await createLocalnet({ blockTime: 'manual' });
    const chain = await createSubtensorChain(
      { txTimeoutMs: 20_000 },
      { provider: net.provider() as never },
    );
    try {
      net.produceBlock();
      const before = net.chain.accountNonce(alice.publicKey);
      const sends = dests
        .slice(0, 3)
        .map((d) => chain.transfer(alice, { dest: d.ss58Address, amount: TAO }));
      const end = Date.now() + 10_000;
      while (net.chain.poolSize < 3 && Date.now() < end)
        await new Promise((r) => setTimeout(r, 20));
      expect(net.chain.poolSize).toBe(3);
      const block = net.produceBlock();
      const results = await Promise.all(sends);
      expect(results.map((r) => r.blockNumber)).toEqual([block.number, block.number, block.number]);
      expect(net.chain.accountNonce(alice.publicKey)).toBe(before + 3);
    } finally {
      await chain.close();
      await net.close();
    }
  });
});
