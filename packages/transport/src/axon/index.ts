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
  type AxonBtauthOptions,
  type AxonComponents,
  type AxonEpistulaOptions,
  type AxonFiberOptions,
  type AxonOptions,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONNECTIONS_PER_IP,
  DEFAULT_VERIFY_WORKERS,
  WIRE_NAMES,
} from './options.js';
export type {
  AxonTarget,
  BlacklistVerdict,
  CallerInfo,
  HandlerContext,
  RequestInfo,
  StreamChunk,
  SynapseHandlers,
  WireName,
} from './types.js';
