import { decodeAddress, Keypair } from '@subnetkit/wallet';
import { invalidOption } from '../errors.js';
import type { LocalnetMetadata } from '../metadata/build.js';
import { mint } from '../pallets/balances.js';
import { createSubnet, startSubnet } from '../pallets/subtensor/network.js';
import { DEFAULT_SUBNET_PARAMS, type SubnetParams } from '../pallets/subtensor/params.js';
import { BlockContext, type ChainParams } from '../runtime/runtime.js';
import type { BeaconConfig } from '../state/codecs.js';
import type { Items } from '../state/items.js';
import { StateStore } from '../state/store.js';

export const TAO = 1_000_000_000n;

/** An account as a dev URI (`//Alice`), an SS58 address, or 0x-hex public key. */
export type AccountRef = string;

export interface GenesisSubnet {
  netuid: number;
  /** Owner coldkey (default //Alice). */
  owner?: AccountRef;
  /** Owner hotkey, uid 0 (default: the owner coldkey). */
  ownerHotkey?: AccountRef;
  /** start_call already done at genesis (default true): emission flows and staking works. */
  started?: boolean;
  params?: Partial<SubnetParams>;
}

export interface GenesisConfig {
  /** Extra balances in rao, on top of the dev accounts. */
  balances?: { account: AccountRef; amount: bigint | number | string }[];
  subnets?: GenesisSubnet[];
  /** Defaults for subnets created later by register_network. */
  subnetDefaults?: Partial<SubnetParams>;
  /** Sudo key (default //Alice). */
  sudo?: AccountRef;
  /** NetworkMinLockCost in rao (default 1000 TAO). */
  networkLockCost?: bigint | number;
  /** StakeThreshold in rao (default 0). */
  stakeThreshold?: bigint | number;
  /** AdminFreezeWindow (default 0 on localnet, 10 on mainnet). */
  adminFreezeWindow?: number;
  /**
   * subtensor's global `CommitRevealWeightsVersion`, the `commit_reveal_version` that
   * `commit_timelocked_weights` must carry. Default 3 on localnet (mainnet: 4): clients that only
   * produce version 4 (SubtensorChain, the Python SDK) then keep using hash commit-reveal v2 on
   * commit-reveal subnets. Set 4 to make every commit-reveal subnet take timelocked weights
   * (commit-reveal v4) as on mainnet; `sudo_set_commit_reveal_version` changes it later.
   */
  commitRevealWeightsVersion?: number;
}

/** Localnet's default `CommitRevealWeightsVersion` (see `GenesisConfig`). */
export const DEFAULT_COMMIT_REVEAL_VERSION = 3;

/** subtensor localnet's dev accounts: //Alice, //Bob, //Charlie 1,000,000 TAO; the rest 2,000. */
export const DEV_ACCOUNTS: readonly [string, bigint][] = [
  ['//Alice', 1_000_000n * TAO],
  ['//Bob', 1_000_000n * TAO],
  ['//Charlie', 1_000_000n * TAO],
  ['//Dave', 2_000n * TAO],
  ['//Eve', 2_000n * TAO],
  ['//Ferdie', 2_000n * TAO],
];

/**
 * The well-known sr25519 public keys of the dev URIs (deriving them from the dev phrase costs
 * ~50 ms each; a test checks these against the wallet's derivation).
 */
export const DEV_PUBLIC_KEYS: Readonly<Record<string, string>> = {
  '//Alice': 'd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d',
  '//Bob': '8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48',
  '//Charlie': '90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22',
  '//Dave': '306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20',
  '//Eve': 'e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e',
  '//Ferdie': '1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c',
};

const derived = new Map<string, Uint8Array>();

export function resolveAccount(ref: AccountRef, field: string): Uint8Array {
  try {
    const dev = DEV_PUBLIC_KEYS[ref];
    if (dev) return Uint8Array.from(Buffer.from(dev, 'hex'));
    if (ref.startsWith('//') || ref.includes(' ')) {
      const cached = derived.get(ref);
      if (cached) return cached;
      const pk: Uint8Array = Keypair.fromUri(ref).publicKey;
      derived.set(ref, pk);
      return pk;
    }
    if (/^0x[0-9a-fA-F]{64}$/.test(ref)) return Uint8Array.from(Buffer.from(ref.slice(2), 'hex'));
    return decodeAddress(ref, null).publicKey;
  } catch (e) {
    throw invalidOption(
      field,
      `not a dev URI, SS58 address or 32-byte hex key (${(e as Error).message})`,
    );
  }
}

export function subnetParams(
  base: Partial<SubnetParams> | undefined,
  over: Partial<SubnetParams> | undefined,
): SubnetParams {
  const out = { ...DEFAULT_SUBNET_PARAMS, ...(base ?? {}), ...(over ?? {}) } as SubnetParams;
  out.burn = BigInt(out.burn);
  out.minBurn = BigInt(out.minBurn);
  out.maxBurn = BigInt(out.maxBurn);
  return out;
}

export function buildGenesis(
  meta: LocalnetMetadata,
  items: Items,
  config: GenesisConfig,
  params: ChainParams,
  timestamp: bigint,
  beacon?: BeaconConfig,
): StateStore {
  const st = new StateStore();
  const ctx = new BlockContext(meta, items, st, 0, params);
  items.timestamp.now.set(st, [], timestamp);
  if (beacon) items.drand.beaconConfig.set(st, [], beacon);
  const version = config.commitRevealWeightsVersion ?? DEFAULT_COMMIT_REVEAL_VERSION;
  if (!Number.isInteger(version) || version < 0 || version > 0xffff) {
    throw invalidOption('commitRevealWeightsVersion', 'must be a u16');
  }
  items.st.commitRevealWeightsVersion.set(st, [], version);
  for (const [uri, amount] of DEV_ACCOUNTS) mint(ctx, resolveAccount(uri, 'dev account'), amount);
  for (const [k, b] of (config.balances ?? []).entries()) {
    mint(ctx, resolveAccount(b.account, `balances[${k}].account`), BigInt(b.amount));
  }
  items.sudo.key.set(st, [], resolveAccount(config.sudo ?? '//Alice', 'sudo'));
  const lock = BigInt(config.networkLockCost ?? 1000n * TAO);
  items.st.networkMinLockCost.set(st, [], lock);
  items.st.networkLastLockCost.set(st, [], lock);
  items.st.networkRateLimit.set(st, [], 0n);
  items.st.stakeThreshold.set(st, [], BigInt(config.stakeThreshold ?? 0));
  items.st.adminFreezeWindow.set(st, [], config.adminFreezeWindow ?? 0);
  items.st.blockEmission.set(st, [], params.blockEmission);
  const seen = new Set<number>();
  for (const [k, sn] of (config.subnets ?? []).entries()) {
    if (!Number.isInteger(sn.netuid) || sn.netuid < 1 || sn.netuid > 4095) {
      throw invalidOption(`subnets[${k}].netuid`, 'must be an integer in 1..4095');
    }
    if (seen.has(sn.netuid))
      throw invalidOption(`subnets[${k}].netuid`, `duplicate netuid ${sn.netuid}`);
    seen.add(sn.netuid);
    const owner = resolveAccount(sn.owner ?? '//Alice', `subnets[${k}].owner`);
    const hotkey = sn.ownerHotkey
      ? resolveAccount(sn.ownerHotkey, `subnets[${k}].ownerHotkey`)
      : owner;
    createSubnet(ctx, sn.netuid, owner, hotkey, subnetParams(config.subnetDefaults, sn.params));
    if (sn.started ?? true) startSubnet(ctx, sn.netuid);
  }
  // Genesis has no events.
  return st;
}
