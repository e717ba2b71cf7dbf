/**
 * `@subnetkit/neuron/steps`: the parts `runMiner` and `runValidator` are made of, for tests,
 * tools and custom loops: one validator step, miner selection, a stream read on the
 * validator's clock, the miner's handlers and caller index, weights from scores, and the
 * status server.
 */
export {
  minerSynapsesOf,
  pickTaskKind,
  type ResolvedTaskKind,
  taskKindsOf,
} from './definitions.js';
export { createMinerHandlers, type MinerHandlerOptions } from './miner/handlers.js';
export { CallerIndex, type CallerLookupView } from './miner/policy.js';
export {
  createStatusServer,
  RecentErrors,
  StatusServer,
  type StatusServerComponents,
  type StatusServerOptions,
  summarizeScores,
} from './status-server.js';
export {
  isServingAxon,
  type Selection,
  type SelectionView,
  type SelectMinersOptions,
  selectMiners,
} from './validator/selection.js';
export {
  runValidatorStep,
  type StepError,
  type StepOutcome,
  type ValidatorStepComponents,
  type ValidatorStepOptions,
  type ValidatorStepResult,
} from './validator/step.js';
export {
  DEFAULT_MAX_STREAM_BYTES,
  DEFAULT_STALL_TIMEOUT_S,
  type ReadStreamOptions,
  readStream,
  type StreamRead,
} from './validator/stream.js';
export {
  type WeightsDecision,
  type WeightsToEmit,
  weightsDue,
  weightsFromScores,
} from './validator/weights.js';
