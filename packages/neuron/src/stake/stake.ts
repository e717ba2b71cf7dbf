/**
 * Stake of a wallet's coldkey on a hotkey of one subnet: `add_stake` (TAO in), `remove_stake`
 * (alpha out) and the position read back, each checked before anything is signed so a mistake
 * is named (wallet, hotkey, registration, balance, stake) instead of failing on chain.
 */
import { stat } from 'node:fs/promises';
import type { Chain } from '@subnetkit/chain';
import type { Logger } from '@subnetkit/core';
import {
  createWallet,
  decodeAddress,
  type Keypair,
  type WalletComponents,
  WalletError,
} from '@subnetkit/wallet';
import type { NeuronConfig } from '../config/schema.js';
import { NeuronError } from '../errors.js';
import { silentLogger } from '../logging.js';
import { notRegisteredError, walletFlags } from '../runtime/registration.js';
import { connectChain, endpointOf, type RunComponents } from '../runtime/shared.js';
import { formatAmount } from './amount.js';

export interface StakeConfig extends Pick<NeuronConfig, 'netuid' | 'wallet' | 'subtensor'> {
  /** The hotkey to stake on, as SS58; default: `--wallet.hotkey` of the wallet. */
  hotkey?: string | undefined;
}

export type StakeComponents = Pick<RunComponents, 'chain' | 'provider'> & {
  wallet?: WalletComponents;
  logger?: Logger;
};

export interface StakePosition {
  netuid: number;
  hotkey: string;
  coldkey: string;
  /** The hotkey's uid on the subnet, `null` when it is not registered there. */
  uid: number | null;
  /** Alpha rao the coldkey has staked on the hotkey on the subnet. */
  stake: bigint;
  /** Free TAO rao of the coldkey. */
  free: bigint;
}

export interface StakeChange {
  before: StakePosition;
  after: StakePosition;
  blockNumber: number;
}

interface Session {
  chain: Chain;
  hotkey: string;
  coldkey: string;
  unlock: () => Promise<Keypair>;
  position: () => Promise<StakePosition>;
}

function walletMissing(config: StakeConfig, what: string, path: string, cause?: unknown) {
  return new NeuronError(
    'WALLET_MISSING',
    `${what}. Create it with\n  subnetkit-wallet create ${walletFlags(config)}\nor point --wallet.name / --wallet.path at an existing wallet.`,
    { details: { field: 'wallet.name', path }, cause },
  );
}

async function session<T>(
  config: StakeConfig,
  components: StakeComponents,
  use: (s: Session) => Promise<T>,
): Promise<T> {
  const wallet = createWallet(
    { name: config.wallet.name, hotkey: config.wallet.hotkey, path: config.wallet.path },
    components.wallet ?? {},
  );
  if (!(await stat(wallet.walletDir).catch(() => null))?.isDirectory()) {
    throw walletMissing(
      config,
      `no wallet "${config.wallet.name}" at ${wallet.walletDir}`,
      wallet.walletDir,
    );
  }
  const read = async (file: string, load: () => Promise<{ ss58Address: string }>) => {
    try {
      return (await load()).ss58Address;
    } catch (error) {
      if (error instanceof WalletError && error.code === 'KEYFILE_NOT_FOUND') {
        throw walletMissing(config, `wallet "${config.wallet.name}" has no ${file}`, file, error);
      }
      throw error;
    }
  };
  const coldkey = await read(wallet.coldkeypubPath, () => wallet.getColdkeypub());
  let hotkey: string;
  if (config.hotkey !== undefined) {
    try {
      decodeAddress(config.hotkey, null);
    } catch (error) {
      throw new NeuronError(
        'CONFIG_INVALID',
        `--hotkey: ${JSON.stringify(config.hotkey)} is not an SS58 address (${(error as Error).message})`,
        { details: { field: 'hotkey' }, cause: error },
      );
    }
    hotkey = config.hotkey;
  } else {
    hotkey = await read(wallet.hotkeyPath, () => wallet.getHotkeypub());
  }
  const { chain, owned } = await connectChain(
    { config: config as NeuronConfig },
    components,
    components.logger ?? silentLogger(),
  );
  const position = async (): Promise<StakePosition> => {
    const [uid, stake, balance] = await Promise.all([
      chain.getUid(config.netuid, hotkey),
      chain.getStake(config.netuid, hotkey, coldkey),
      chain.getBalance(coldkey),
    ]);
    return { netuid: config.netuid, hotkey, coldkey, uid, stake, free: balance.free };
  };
  try {
    return await use({
      chain,
      hotkey,
      coldkey,
      unlock: () => wallet.unlockColdkey(),
      position,
    });
  } finally {
    if (owned) await chain.close();
  }
}

/** The coldkey's stake on the hotkey on `--netuid`, its free balance and the hotkey's uid. */
export function showStake(
  config: StakeConfig,
  components: StakeComponents = {},
): Promise<StakePosition> {
  return session(config, components, (s) => s.position());
}

/**
 * `add_stake` of `amount` TAO rao from the wallet's coldkey to the hotkey on `--netuid`.
 * Refuses an unregistered hotkey and a balance below the amount before signing.
 */
export function addStake(
  config: StakeConfig,
  amount: bigint,
  components: StakeComponents = {},
): Promise<StakeChange> {
  return session(config, components, async (s) => {
    const before = await s.position();
    if (before.uid === null) {
      throw config.hotkey === undefined
        ? notRegisteredError(config as NeuronConfig, s.hotkey)
        : new NeuronError(
            'NOT_REGISTERED',
            `hotkey ${s.hotkey} is not registered on subnet ${config.netuid} at ${endpointOf(config as NeuronConfig)}: stake a registered hotkey (subnetkit-register registers one of yours)`,
            { details: { field: 'hotkey' } },
          );
    }
    if (before.free < amount) {
      throw new NeuronError(
        'INSUFFICIENT_BALANCE',
        `coldkey ${s.coldkey} (wallet "${config.wallet.name}") has ${formatAmount(before.free)} TAO free, less than the ${formatAmount(amount)} TAO to stake (plus the fee)`,
        { details: { field: 'amount' } },
      );
    }
    const r = await s.chain.addStake(await s.unlock(), {
      hotkey: s.hotkey,
      netuid: config.netuid,
      amount,
    });
    return { before, after: await s.position(), blockNumber: r.blockNumber };
  });
}

/**
 * `remove_stake` of `amount` alpha rao (`'all'`: the whole position) from the hotkey on
 * `--netuid` back to the wallet's coldkey. Refuses more than is staked before signing.
 */
export function removeStake(
  config: StakeConfig,
  amount: bigint | 'all',
  components: StakeComponents = {},
): Promise<StakeChange> {
  return session(config, components, async (s) => {
    const before = await s.position();
    const wanted = amount === 'all' ? before.stake : amount;
    if (before.stake === 0n || before.stake < wanted) {
      throw new NeuronError(
        'INSUFFICIENT_STAKE',
        `coldkey ${s.coldkey} (wallet "${config.wallet.name}") has ${formatAmount(before.stake)} alpha staked on hotkey ${s.hotkey} on subnet ${config.netuid}${amount === 'all' ? '' : `, less than the ${formatAmount(wanted)} to remove`}`,
        { details: { field: amount === 'all' ? 'all' : 'amount' } },
      );
    }
    const r = await s.chain.removeStake(await s.unlock(), {
      hotkey: s.hotkey,
      netuid: config.netuid,
      amount: wanted,
    });
    return { before, after: await s.position(), blockNumber: r.blockNumber };
  });
}
