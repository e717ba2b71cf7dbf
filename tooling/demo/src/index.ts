export { MARKET_NETUID, marketGenesis, type SetupOptions, setupChain, TAO } from './chain-setup.js';
export { type Dashboard, startDashboard } from './dashboard.js';
export { epochIndex, epochsBetween, isEpochBlock, nextEpochBlock } from './epochs.js';
export { DemoError, type DemoErrorCode, isDemoError } from './errors.js';
export { type LocalnetProcess, startLocalnetProcess } from './localnet-process.js';
export {
  type MarketComponents,
  type MarketResult,
  runMarket,
  validatorEpochLength,
} from './market.js';
export {
  DEFAULT_MINERS,
  DEFAULT_OPTIONS,
  type MarketOptions,
  MINER_KINDS,
  type MinerKind,
  type MinerPlan,
  parseDuration,
  parseMarketArgs,
  parseMinerPlan,
  USAGE,
} from './options.js';
export { findRepoRoot, type RepoEntries, repoEntries } from './paths.js';
export { type NeuronSlot, planNeurons } from './plan.js';
export { buildRows, decideOutcome, formatTable, type MinerRow, type Outcome } from './report.js';
export { fetchStatus, type NeuronStatus, scoresFromStatus, servedFromStatus } from './status.js';
export {
  type ChildSpec,
  type ExitInfo,
  nodeSourceArgs,
  ORPHAN_GUARD,
  type SupervisedChild,
  Supervisor,
} from './supervisor.js';
export { formatProgressLine, type MarketView, type NeuronView } from './view.js';
export { createMarketWallets, MARKET_WALLET, type MarketWallets } from './wallets.js';
