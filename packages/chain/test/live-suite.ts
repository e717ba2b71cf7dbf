import type { DrandChainInfo } from '@subnetkit/timelock';
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
  /** drand beacon for timelocked commits (default quicknet; `'chain'` = `Drand.BeaconConfig`). */
  beacon?: DrandChainInfo | 'chain';
  /** Seconds per block of the node (default 12; 0.25 for a fast-blocks subtensor localnet). */
  blockTimeSeconds?: number;
  /**
   * After a timelocked commit, wait for the chain to reveal it (until the end of the reveal
   * epoch) and check the weights row. This is the end-to-end check of the timelock format.
   */
  waitForReveal?: boolean;
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
        ...(options.beacon ? { beacon: options.beacon } : {}),
        ...(options.blockTimeSeconds ? { blockTimeSeconds: options.blockTimeSeconds } : {}),
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

    let validator: { hotkey: Keypair; uid: number } | undefined;

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
        validator = { hotkey, uid: registered.uid as number };
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

    it.skipIf(!options.writes)(
      'sends weights the way the subnet takes them (timelocked when commit-reveal is on) and sees them revealed',
      async (ctx) => {
        if (!validator) return ctx.skip();
        const { hotkey, uid } = validator;
        const blockTime = options.blockTimeSeconds ?? 12;
        let status = await chain.getWeightsStatus(netuid, hotkey.ss58Address);
        const waitUntil = Date.now() + (status.blocksLeft * blockTime + 30) * 1000;
        while (status.blocksLeft > 0 && Date.now() < waitUntil) {
          await new Promise((resolve) => setTimeout(resolve, blockTime * 1000));
          status = await chain.getWeightsStatus(netuid, hotkey.ss58Address);
        }
        const method = await chain.getWeightsMethod(netuid);
        if (method === 'commit_reveal_v2') return ctx.skip(); // the runtime has no timelocked call
        const sent = await chain.submitWeights(hotkey, { netuid, uids: [uid], weights: [65535] });
        expect(sent.method).toBe(method);
        if (sent.method !== 'timelocked' || !options.waitForReveal) return;
        // The chain reveals in epoch `revealEpoch`; give it until that epoch ends.
        const { firstRevealBlock, tempo } = sent.schedule;
        const lastBlock = firstRevealBlock + tempo + 1;
        for (;;) {
          const row = (await chain.getWeights(netuid)).get(uid);
          if (row) {
            expect(row).toEqual([[uid, 65535]]);
            return;
          }
          const head = await chain.getCurrentBlock();
          if (head > lastBlock) {
            throw new Error(
              `timelocked weights committed for drand round ${sent.revealRound} were not revealed by block ${lastBlock} (head ${head})`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, blockTime * 1000));
        }
      },
      60 * 60 * 1000,
    );
  });
}
