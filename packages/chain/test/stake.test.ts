import { Keypair } from '@subnetkit/wallet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChainError, SubtensorChain } from '../src/index.js';
import { stakeFromShares } from '../src/stake.js';
import type { FixtureNode } from './support/fixture-node.js';
import { connectInProcess, setStorage } from './support/harness.js';
import { recordedNode, SPEC343_AVAILABLE } from './support/spec343.js';

const ONE = 1n << 64n;
const hotkey = Keypair.fromUri('//Alice').ss58Address;
const coldkey = Keypair.fromUri('//Bob').ss58Address;
const other = Keypair.fromUri('//Charlie').ss58Address;

describe('stakeFromShares (subtensor share pool, U64F64)', () => {
  it("splits the hotkey's alpha by the pair's share of the total, truncating", () => {
    expect(stakeFromShares(1_000_000_000n, 1n * ONE, 3n * ONE)).toBe(333_333_333n);
    // Dividends raise TotalHotkeyAlpha and leave the shares alone: each share is worth more.
    expect(stakeFromShares(1_500_000_000n, 2n * ONE, 3n * ONE)).toBe(1_000_000_000n);
    expect(stakeFromShares(7n, ONE / 2n, ONE)).toBe(3n);
  });

  it('is 0 with no shares at all, and one alpha per share when the runtime keeps no total', () => {
    expect(stakeFromShares(5_000n, 0n, 0n)).toBe(0n);
    expect(stakeFromShares(0n, 42n * ONE + 7n, null)).toBe(42n);
  });
});

describe.skipIf(!SPEC343_AVAILABLE)('stake calls on the spec-343 metadata', () => {
  let node: FixtureNode;
  let chain: SubtensorChain;

  beforeEach(async () => {
    node = recordedNode(['metagraph']);
    chain = await connectInProcess(node, { txTimeoutMs: 5_000 });
  });
  afterEach(async () => {
    await chain.close();
  });

  it('reads Alpha, TotalHotkeyAlpha and TotalHotkeyShares into the share-pool value', async () => {
    setStorage(node, chain.api, 'subtensorModule', 'alpha', [hotkey, coldkey, 3], {
      bits: 1n * ONE,
    });
    setStorage(node, chain.api, 'subtensorModule', 'totalHotkeyShares', [hotkey, 3], {
      bits: 4n * ONE,
    });
    setStorage(node, chain.api, 'subtensorModule', 'totalHotkeyAlpha', [hotkey, 3], 8_000_000_000);
    expect(await chain.getStake(3, hotkey, coldkey)).toBe(2_000_000_000n);
    expect(await chain.getStake(3, hotkey, other)).toBe(0n);
    expect(await chain.getStake(4, hotkey, coldkey)).toBe(0n);
  });

  it('builds remove_stake(hotkey, netuid, amount_unstaked) and refuses bad input before sending', async () => {
    const call = chain.buildCall('subtensorModule', 'removeStake', [hotkey, 3, 5_000_000n]);
    expect((call.method.toPrimitive() as { args: unknown }).args).toEqual({
      hotkey,
      netuid: 3,
      amount_unstaked: 5_000_000,
    });
    const bob = Keypair.fromUri('//Bob');
    for (const [params, field] of [
      [{ hotkey, netuid: 3, amount: 0n }, 'amount'],
      [{ hotkey: 'not-an-address', netuid: 3, amount: 1n }, 'hotkey'],
      [{ hotkey, netuid: 70_000, amount: 1n }, 'netuid'],
    ] as const) {
      const error = (await chain.removeStake(bob, params).catch((e) => e)) as ChainError;
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toContain(field);
    }
    await expect(chain.getStake(3, hotkey, 'nope')).rejects.toThrow(/coldkey/);
  });
});
