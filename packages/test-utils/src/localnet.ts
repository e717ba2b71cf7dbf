import { createSubtensorChain, type SubtensorChain } from '@subnetkit/chain';
import { createLocalnet, type Localnet, type SubnetParams, TAO } from '@subnetkit/localnet';
import type { Keypair } from '@subnetkit/wallet';
import { devKey } from './keys.js';

export interface StartLocalnetOptions {
  /** Subnet created at genesis (default 1). */
  netuid?: number;
  /** Block time (default 100 ms). */
  blockTime?: number | string;
  /**
   * The subnet's hyperparameters over localnet's defaults. Default here: tempo 10, no
   * commit-reveal, weights rate limit 2, serving rate limit 0, immunity 1000 blocks.
   */
  params?: Partial<SubnetParams>;
  /** Also serve JSON-RPC over WebSocket on this port (0 = free), for neuron processes. */
  port?: number;
  /** Inclusion timeout of the harness's own transactions (default 20 s). */
  txTimeoutMs?: number;
}

export interface TestLocalnet {
  net: Localnet;
  /** A `SubtensorChain` over an in-process provider (share it with in-process neurons). */
  chain: SubtensorChain;
  netuid: number;
  /** `ws://127.0.0.1:PORT` when `port` was given. */
  url: string | undefined;
  /** `burned_register` of `hotkey`, paid by `coldkey` (default //Alice); returns the uid. */
  register(hotkey: Keypair | string, coldkey?: Keypair): Promise<number>;
  /** Stakes `tao` TAO from `coldkey` (default //Alice) to `hotkey` on the subnet. */
  stake(hotkey: Keypair | string, tao: number, coldkey?: Keypair): Promise<void>;
  /** Sends `tao` TAO from //Alice (or `from`). */
  fund(address: Keypair | string, tao: number, from?: Keypair): Promise<void>;
  /** Resolves once the chain's head is at least `block`. */
  waitForBlock(block: number, timeoutMs?: number): Promise<number>;
  /** Resolves after `n` more blocks. */
  waitBlocks(n: number, timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

const addressOf = (k: Keypair | string) => (typeof k === 'string' ? k : k.ss58Address);

/**
 * An in-process localnet with fast blocks and one subnet, plus a real `SubtensorChain` on
 * it, and helpers to register, stake and fund. Nothing but the public extrinsics is used.
 */
export async function startLocalnet(options: StartLocalnetOptions = {}): Promise<TestLocalnet> {
  const netuid = options.netuid ?? 1;
  const net = await createLocalnet({
    blockTime: options.blockTime ?? 100,
    ...(options.port !== undefined ? { port: options.port } : {}),
    genesis: {
      subnets: [
        {
          netuid,
          params: {
            tempo: 10,
            commitReveal: false,
            weightsSetRateLimit: 2,
            servingRateLimit: 0,
            immunityPeriod: 1000,
            ...options.params,
          },
        },
      ],
    },
  });
  let chain: SubtensorChain;
  try {
    chain = await createSubtensorChain(
      { txTimeoutMs: options.txTimeoutMs ?? 20_000 },
      { provider: net.provider() as never },
    );
  } catch (error) {
    await net.close();
    throw error;
  }
  const alice = devKey('//Alice');
  const waitForBlock = async (block: number, timeoutMs = 30_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const head = net.chain.head.number;
      if (head >= block) return head;
      if (Date.now() > end) throw new Error(`localnet: block ${block} not reached (head ${head})`);
      await new Promise((r) => setTimeout(r, Math.max(10, Math.min(net.blockTimeMs, 100))));
    }
  };
  return {
    net,
    chain,
    netuid,
    url: net.url,
    async register(hotkey, coldkey = alice) {
      const r = await chain.burnedRegister(coldkey, { netuid, hotkey: addressOf(hotkey) });
      const uid = r.uid ?? (await chain.getUid(netuid, addressOf(hotkey)));
      if (uid === null)
        throw new Error(`localnet: ${addressOf(hotkey)} has no uid after registering`);
      return uid;
    },
    async stake(hotkey, tao, coldkey = alice) {
      await chain.addStake(coldkey, {
        hotkey: addressOf(hotkey),
        netuid,
        amount: BigInt(Math.round(tao * 1e9)),
      });
    },
    async fund(address, tao, from = alice) {
      await chain.transfer(from, { dest: addressOf(address), amount: BigInt(tao) * TAO });
    },
    waitForBlock,
    waitBlocks: (n, timeoutMs) => waitForBlock(net.chain.head.number + n, timeoutMs),
    async close() {
      await chain.close().catch(() => {});
      await net.close();
    },
  };
}
