// `@subnetkit/transport/dendrite`: the validator's side, an undici client for the synapse wire.
export type { AxonTarget } from '../axon/types.js';
export { TransportError, type TransportErrorCode } from '../errors.js';
export {
  type DendriteQueryEvent,
  TransportMetrics,
  type TransportMetricsHooks,
} from '../metrics.js';
export { createDendrite, Dendrite } from './dendrite.js';
export type {
  CallOptions,
  DendriteComponents,
  DendriteErrorCode,
  DendriteOptions,
  DendriteStream,
  QueryResult,
} from './types.js';
