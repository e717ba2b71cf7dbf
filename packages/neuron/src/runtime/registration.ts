/**
 * The hotkey and its registration: reading it from the wallet (a missing file says how to
 * create one), the not-registered error (with the commands to fix it), the deregistration watch.
 */
import type { Metagraph } from '@subnetkit/chain';
import { createWallet, DEFAULT_WALLET_PATH, type Keypair, WalletError } from '@subnetkit/wallet';
import type { NeuronConfig } from '../config/schema.js';
import { NeuronError } from '../errors.js';
import { endpointOf } from './shared.js';
import type { SyncedNeuron } from './startup.js';

/** `--wallet.*` as flags, for the commands printed in messages. */
export function walletFlags(config: Pick<NeuronConfig, 'wallet'>): string {
  const path =
    config.wallet.path === DEFAULT_WALLET_PATH ? '' : ` --wallet.path ${config.wallet.path}`;
  return `--wallet.name ${config.wallet.name} --wallet.hotkey ${config.wallet.hotkey}${path}`;
}

/** `--subtensor.*` as a flag, for the commands printed in messages. */
function networkFlag(config: NeuronConfig): string {
  return config.subtensor.chainEndpoint
    ? `--subtensor.chain_endpoint ${config.subtensor.chainEndpoint}`
    : `--subtensor.network ${config.subtensor.network}`;
}

/** Reads the hotkey named by `--wallet.*`; a missing file says how to create one. */
export async function loadHotkey(config: NeuronConfig): Promise<Keypair> {
  const wallet = createWallet({
    name: config.wallet.name,
    hotkey: config.wallet.hotkey,
    path: config.wallet.path,
  });
  try {
    return await wallet.getHotkey();
  } catch (error) {
    if (error instanceof WalletError && error.code === 'KEYFILE_NOT_FOUND') {
      throw new NeuronError(
        'WALLET_MISSING',
        [
          `no hotkey file at ${wallet.hotkeyPath} (wallet "${config.wallet.name}", hotkey "${config.wallet.hotkey}").`,
          'Create it with btcli:',
          `  btcli wallet new_hotkey --wallet.name ${config.wallet.name} --wallet.hotkey ${config.wallet.hotkey}`,
          'or with subnetkit (coldkey and hotkey; --no-password only for dev chains):',
          `  subnetkit-wallet create ${walletFlags(config)}`,
          'or point --wallet.name / --wallet.hotkey / --wallet.path at an existing one.',
        ].join('\n'),
        { details: { field: 'wallet.hotkey', path: wallet.hotkeyPath }, cause: error },
      );
    }
    throw error;
  }
}

/**
 * The message for an unregistered hotkey: the exact btcli command, and the subnetkit
 * equivalent (`subnetkit-register`, from this package) that works on a subnetkit localnet too.
 */
export function notRegisteredError(config: NeuronConfig, hotkey: string): NeuronError {
  const endpoint = endpointOf(config);
  const network = config.subtensor.chainEndpoint ?? config.subtensor.network;
  return new NeuronError(
    'NOT_REGISTERED',
    [
      `hotkey ${hotkey} (wallet "${config.wallet.name}", hotkey "${config.wallet.hotkey}") is not registered on subnet ${config.netuid} at ${endpoint}.`,
      "Register it (this burns the subnet's registration cost from the wallet's coldkey), then start again:",
      `  btcli subnets register --netuid ${config.netuid} ${walletFlags(config)} --network ${network}`,
      'or with subnetkit (also on a subnetkit localnet dev chain):',
      `  subnetkit-register --netuid ${config.netuid} ${walletFlags(config)} ${networkFlag(config)}`,
    ].join('\n'),
    { details: { field: 'netuid' } },
  );
}

/** Notes a deregistration (the uid now belongs to another hotkey) or a registration again. */
export function checkRegistration<C extends NeuronConfig>(
  node: SyncedNeuron<C>,
  m: Metagraph,
): void {
  const ours = m.hotkeys[node.uid] === node.hotkey.ss58Address;
  if (ours === node.registered) return;
  node.registered = ours;
  if (!ours) {
    node.report(notRegisteredError(node.config, node.hotkey.ss58Address), 'metagraph');
    node.logger.error(
      { uid: node.uid },
      `deregistered: uid ${node.uid} now belongs to ${m.hotkeys[node.uid]}`,
    );
  }
}
