import { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubtensorChain } from '../src/index.js';

export interface LiveSuiteOptions {
  /** A ws(s) endpoint of a node: a subtensor localnet, or `@subnetkit/localnet`. */
  endpoint: () => string;
  /** Subnet to read (default 1). */
  netuid?: number;
  /** Run the write flow (transfer, register, serve, weights) — needs a dev chain with //Alice funded. */
  writes?: boolean;
}

/**
 * The chain behaviour a miner/validator relies on, against a live node. Used by
 * `live.test.ts` with `SUBTENSOR_WS`, and meant to be reused against our own dev chain.
 */
export function describeLiveChain(name: string, options: LiveSuiteOptions): void {
  const netuid = options.netuid ?? 1;
  describe(name, () => {
    let chain: SubtensorChain;
    beforeAll(async () => {
      chain = await SubtensorChain.connect({
        chainEndpoint: options.endpoint(),
        connectTimeoutMs: 20_000,
      });
    });
    afterAll(async () => {
      await chain?.close();
    });

    it('reads the head and follows new blocks', async () => {
      const head = await chain.getCurrentBlock();
      expect(head).toBeGreaterThan(0);
      const seen: number[] = [];
      const unsubscribe = await chain.subscribeBlocks((b) => seen.push(b.number));
      const deadline = Date.now() + 30_000;
      while (!seen.some((n) => n > head) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      unsubscribe();
      expect(seen.some((n) => n > head)).toBe(true);
    });

    it('reads the metagraph and hyperparameters of the subnet', async () => {
      const m = await chain.getMetagraph(netuid);
      expect(m.netuid).toBe(netuid);
      expect(m.hotkeys).toHaveLength(m.n);
      expect(m.axons).toHaveLength(m.n);
      const h = await chain.getHyperparameters(netuid);
      expect(h.tempo).toBeGreaterThan(0);
      if (m.n > 0) {
        expect(await chain.getUid(netuid, m.hotkeys[0] as string)).toBe(0);
      }
    });

    it.skipIf(!options.writes)(
      'transfers, registers, serves an axon and sets weights',
      async () => {
        const alice = Keypair.fromUri('//Alice');
        const hotkey = Keypair.generate();
        const before = await chain.getBalance(hotkey.ss58Address);
        await chain.transfer(alice, { dest: hotkey.ss58Address, amount: 10n ** 9n });
        expect((await chain.getBalance(hotkey.ss58Address)).free).toBe(before.free + 10n ** 9n);
        const registered = await chain.burnedRegister(alice, {
          netuid,
          hotkey: hotkey.ss58Address,
        });
        expect(registered.uid).not.toBeNull();
        expect(await chain.getUid(netuid, hotkey.ss58Address)).toBe(registered.uid);
        await chain.serveAxon(hotkey, { netuid, ip: '10.1.2.3', port: 8091, version: 1_000_000 });
        const m = await chain.getMetagraph(netuid);
        expect(m.axons[registered.uid as number]).toMatchObject({ ip: '10.1.2.3', port: 8091 });
        const status = await chain.getWeightsStatus(netuid, hotkey.ss58Address);
        if (!status.commitRevealEnabled && status.blocksLeft === 0) {
          await chain.setWeights(hotkey, {
            netuid,
            uids: [registered.uid as number],
            weights: [65535],
            versionKey: status.versionKey,
          });
        }
      },
    );
  });
}
