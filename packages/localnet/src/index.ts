export type { Block, TxStatus } from './chain/block.js';
export { Chain } from './chain/chain.js';
export {
  DEFAULT_COMMIT_REVEAL_VERSION,
  DEV_ACCOUNTS,
  type GenesisConfig,
  type GenesisSubnet,
  TAO,
} from './chain/genesis.js';
export { RpcError } from './chain/pool-error.js';
export { parseConfig } from './config.js';
export { LocalnetError, type LocalnetErrorCode } from './errors.js';
export {
  createLocalnet,
  type Localnet,
  type LocalnetComponents,
  type LocalnetDrandOptions,
  type LocalnetOptions,
} from './localnet.js';
export { buildMetadata, DEFAULT_FACTS, type LocalnetMetadata } from './metadata/build.js';
export { parseBlockTime } from './options.js';
export { DEFAULT_SUBNET_PARAMS, type SubnetParams } from './pallets/subtensor/params.js';
export {
  mechanismStorageIndex,
  type RevealObserver,
  type TimelockedRevealOutcome,
} from './pallets/subtensor/timelocked.js';
export { commitHash } from './pallets/subtensor/weights.js';
export { LocalnetProvider, ProviderRpcError } from './rpc/provider.js';
