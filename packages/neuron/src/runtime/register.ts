import type { Logger } from '@subnetkit/core';
import { createWallet, type WalletComponents } from '@subnetkit/wallet';
import type { NeuronConfig } from '../config/schema.js';
import { silentLogger } from '../logging.js';
import { connectChain, type RunComponents } from './shared.js';

export interface RegisterResult {
  netuid: number;
  hotkey: string;
  uid: number;
  /** False when the hotkey was already registered (nothing was sent). */
  registered: boolean;
  blockNumber?: number;
}

/**
 * `burned_register` of `--wallet.hotkey` on `--netuid`, signed by the wallet's coldkey (the
 * password comes from `BT_PW_…` or `components.wallet.askPassword`). Sends nothing when the
 * hotkey is already registered. The subnetkit equivalent of `btcli subnets register`.
 */
export async function registerHotkey(
  config: Pick<NeuronConfig, 'netuid' | 'wallet' | 'subtensor'>,
  components: Pick<RunComponents, 'chain' | 'provider'> & {
    wallet?: WalletComponents;
    logger?: Logger;
  } = {},
): Promise<RegisterResult> {
  const wallet = createWallet(
    { name: config.wallet.name, hotkey: config.wallet.hotkey, path: config.wallet.path },
    components.wallet ?? {},
  );
  const hotkey = await wallet.getHotkeypub();
  const { chain, owned } = await connectChain(
    { config: config as NeuronConfig },
    components,
    components.logger ?? silentLogger(),
  );
  try {
    const existing = await chain.getUid(config.netuid, hotkey.ss58Address);
    if (existing !== null) {
      return {
        netuid: config.netuid,
        hotkey: hotkey.ss58Address,
        uid: existing,
        registered: false,
      };
    }
    const coldkey = await wallet.unlockColdkey();
    const r = await chain.burnedRegister(coldkey, {
      netuid: config.netuid,
      hotkey: hotkey.ss58Address,
    });
    const uid = r.uid ?? (await chain.getUid(config.netuid, hotkey.ss58Address));
    if (uid === null) throw new Error('burned_register was included but the hotkey has no uid');
    return {
      netuid: config.netuid,
      hotkey: hotkey.ss58Address,
      uid,
      registered: true,
      blockNumber: r.blockNumber,
    };
  } finally {
    if (owned) await chain.close();
  }
}
