export { marketGenesis, type SetupOptions, setupChain, TAO } from './chain-setup.js';
export { type Dashboard, startDashboard } from './dashboard.js';
export { epochIndex, epochsBetween, isEpochBlock, nextEpochBlock } from './epochs.js';
export { DemoError, type DemoErrorCode, type DemoErrorDetails, isDemoError } from './errors.js';
export { type LocalnetProcess, startLocalnetProcess } from './localnet-process.js';
export { validatorEpochLength } from './market/neurons.js';
export { prepareMarket } from './market/prepare.js';
export type { MarketComponents, MarketResult, SubnetResult } from './market/types.js';
export { runMarket } from './market.js';
export {
  DEFAULT_OPTIONS,
  MAX_COUNT,
  MAX_NEURONS,
  type MarketOptions,
  type MinerCount,
  parseDuration,
  parseMarketArgs,
  parseMinerCounts,
  parseSubnetList,
  USAGE,
} from './options.js';
export { findRepoRoot, localnetEntry } from './paths.js';
export { allSlots, FIRST_NETUID, type NeuronSlot, planMarket, type SubnetPlan } from './plan.js';
export {
  buildRows,
  decideMarketOutcome,
  decideOutcome,
  formatTable,
  type MinerRow,
  type Outcome,
} from './report.js';
export { fetchStatus, type NeuronStatus, scoresFromStatus, servedFromStatus } from './status.js';
export {
  describeSubnets,
  discoverSubnets,
  MARKET_EXPORT,
  type MarketSubnet,
  marketSourceOf,
  selectSubnets,
} from './subnets.js';
export {
  type ChildSpec,
  type ExitInfo,
  nodeSourceArgs,
  ORPHAN_GUARD,
  type SupervisedChild,
  Supervisor,
} from './supervisor.js';
export { formatProgressLine, type MarketView, type NeuronView, type SubnetView } from './view.js';
export { createMarketWallets, MARKET_WALLET, type MarketWallets } from './wallets.js';
