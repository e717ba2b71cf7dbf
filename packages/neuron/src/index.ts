/**
 * `@subnetkit/neuron`: what a subnet writes against. Its miner and validator definitions,
 * `runMiner` / `runValidator` and the CLI wrapper, config, errors, logging, seeds, and the
 * market roster. The parts of the runtime (state files, evidence log, artifact store, the
 * validator step) are on subpaths for tests, tools and custom loops:
 * `@subnetkit/neuron/state`, `@subnetkit/neuron/evidence`, `@subnetkit/neuron/steps`.
 */
export {
  axonSection,
  blacklistSection,
  CONFIG_ENV,
  type ConfigField,
  type ConfigFieldMeta,
  configFields,
  envNameOf,
  extendNeuronConfig,
  type FieldKind,
  formatHelp,
  type HelpOptions,
  type LoadConfigOptions,
  type LoadConfigResult,
  loadConfig,
  loggingSection,
  type NeuronConfig,
  type NeuronConfigSchema,
  neuronConfigSchema,
  neuronSection,
  neuronStateDir,
  type StateDirConfig,
  snakeCase,
  statusSection,
  subtensorSection,
  suggestFlag,
  walletSection,
} from './config/index.js';
export { minerSynapse, validatorTaskKind } from './definitions.js';
export {
  type ConfigSource,
  type ConfigSourceKind,
  isNeuronError,
  NeuronError,
  type NeuronErrorCode,
  type NeuronErrorDetails,
} from './errors.js';
export { type SeededRandom, seededRandom, type TaskSeed } from './evidence/seeds.js';
export {
  createLifecycle,
  installSignalHandlers,
  Lifecycle,
  type LifecycleComponents,
  type LifecycleLogger,
  type LifecycleOptions,
  type LifecycleState,
  type ShutdownPhase,
  type ShutdownReport,
  type SignalHandlerOptions,
  type SignalTarget,
  signalExitCode,
} from './lifecycle.js';
export {
  type CreateLoggerOptions,
  componentLogger,
  createLogger,
  type Logger,
  type LoggerComponents,
  type LoggerSetup,
  type LoggingConfig,
  type LogLevel,
  logLevelOf,
  REDACTED_PATHS,
  silentLogger,
} from './logging.js';
export {
  defineMarketRoster,
  MARKET_OWNED_FLAGS,
  type MarketMiner,
  type MarketNeuron,
  type MarketRoster,
  marketEntry,
  parseMarketRoster,
} from './market.js';
export {
  type AdversaryMinerOptions,
  adversaryMiner,
  adversaryVariantSection,
} from './market-adversary.js';
export {
  type BlacklistPolicy,
  type CallerView,
  defaultBlacklist,
  defaultPriority,
  toRao,
} from './miner/policy.js';
export { type NeuronCliOptions, type NeuronCliProcess, runNeuronCli } from './runtime/cli.js';
export { type MinerCounts, type RunningMiner, runMiner } from './runtime/miner.js';
export { type RegisterResult, registerHotkey } from './runtime/register.js';
export { loadHotkey, notRegisteredError } from './runtime/registration.js';
export {
  connectChain,
  endpointOf,
  publishedIp,
  type RunComponents,
  type RunOptions,
} from './runtime/shared.js';
export {
  type RunningValidator,
  runValidator,
  type ValidatorEvents,
  type WeightsRecord,
} from './runtime/validator.js';
export type {
  HealthReport,
  RecentError,
  ScoresSummary,
  StatusSnapshot,
} from './status-server.js';
export type {
  AnyMinerDefinition,
  AnyValidatorDefinition,
  ArtifactRef,
  MinerBackend,
  MinerDefinition,
  MinerForwardContext,
  MinerForwardResult,
  MinerPolicyContext,
  MinerSetDefinition,
  MinerSynapse,
  NeuronContext,
  ScoreContext,
  StreamLimits,
  StreamObservation,
  StreamSummary,
  TaskContext,
  ValidatorDefinition,
  ValidatorSetDefinition,
  ValidatorTask,
  ValidatorTaskKind,
} from './types.js';
