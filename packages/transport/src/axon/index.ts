// `@subnetkit/transport/axon`: the miner's side, an HTTP server speaking the synapse wire.
export { TransportError, type TransportErrorCode } from '../errors.js';
export {
  type AxonOutcome,
  type AxonRequestEvent,
  TransportMetrics,
  type TransportMetricsHooks,
} from '../metrics.js';
export { Axon, createAxon } from './axon.js';
export {
  type AxonComponents,
  type AxonOptions,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_VERIFY_WORKERS,
} from './options.js';
export type {
  AxonTarget,
  BlacklistVerdict,
  CallerInfo,
  HandlerContext,
  RequestInfo,
  StreamChunk,
  SynapseHandlers,
} from './types.js';
