import { join } from 'node:path';
import { createWallet, type Keypair } from '@subnetkit/wallet';

export const MARKET_WALLET = 'market';

export interface MarketWallets {
  /** `--wallet.path` for every neuron. */
  path: string;
  /** `--wallet.name` for every neuron. */
  name: string;
  coldkey: Keypair;
  /** Hotkey per slot name (`--wallet.hotkey`). */
  hotkeys: Map<string, Keypair>;
}

/**
 * One btcli-layout wallet in `<dir>/wallets`: an unencrypted dev coldkey (it only ever holds
 * dev-chain TAO) and one hotkey per neuron.
 */
export async function createMarketWallets(
  dir: string,
  hotkeyNames: readonly string[],
): Promise<MarketWallets> {
  const path = join(dir, 'wallets');
  const cold = createWallet({ name: MARKET_WALLET, hotkey: hotkeyNames[0] ?? 'default', path });
  const coldkey = await cold.createColdkey({ encrypt: false });
  const hotkeys = new Map<string, Keypair>();
  for (const name of hotkeyNames) {
    const w = createWallet({ name: MARKET_WALLET, hotkey: name, path });
    hotkeys.set(name, await w.createHotkey());
  }
  return { path, name: MARKET_WALLET, coldkey, hotkeys };
}
