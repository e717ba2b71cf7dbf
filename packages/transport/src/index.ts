export { Axon, createAxon } from './axon/axon.js';
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
} from './axon/options.js';
export type {
  AxonTarget,
  BlacklistVerdict,
  CallerInfo,
  HandlerContext,
  RequestInfo,
  StreamChunk,
  SynapseHandlers,
  WireName,
} from './axon/types.js';
export { createDendrite, Dendrite } from './dendrite/dendrite.js';
export type {
  CallOptions,
  DendriteComponents,
  DendriteErrorCode,
  DendriteOptions,
  DendriteStream,
  QueryResult,
} from './dendrite/types.js';
export { TransportError, type TransportErrorCode } from './errors.js';
export { bodyHashOfRendered, EMPTY_BODY_HASH, sha3Hex } from './hash.js';
export {
  type AxonOutcome,
  type AxonRequestEvent,
  type DendriteQueryEvent,
  LATENCY_BUCKETS_MS,
  type MetricsSnapshot,
  type RouteStats,
  TransportMetrics,
  type TransportMetricsHooks,
} from './metrics.js';
export {
  ALLOWED_DELTA_NS,
  NonceClock,
  type NonceRejection,
  NonceStore,
  type NonceStoreOptions,
  nowNs,
} from './nonce.js';
export { pyFloatRepr, pyRepr, pyStr, pyStrRepr } from './pyrepr.js';
export { type PyType, pyTypeOf } from './pytype.js';
export { RateLimiter, type RateLimitOptions } from './ratelimit.js';
export {
  axonMessage,
  createInlineVerifier,
  requestMessage,
  type SignatureVerifier,
  type VerifyJob,
  type VerifyOutcome,
  verifyWrapped,
  wrapBytes,
} from './signing.js';
export {
  type AnySynapse,
  BASE_FIELDS,
  computeBodyHash,
  DEFAULT_TIMEOUT_S,
  defineSynapse,
  type InputInitOf,
  type InputOf,
  type OutputInitOf,
  type OutputOf,
  PingSynapse,
  PROTOCOL_VERSION,
  requestValues,
  type SynapseDefinition,
  type SynapseSpec,
  TERMINAL_FIELDS,
  type TerminalInfo,
} from './synapse.js';
export { encodeSynapseHeaders, parseTerminalHeaders } from './synapse-headers.js';
export {
  type Envelope,
  encodeFieldsJson,
  encodeSynapseBody,
  jsonKeepingNegativeZero,
} from './synapse-json.js';
export { createVerifierPool, type VerifierPoolOptions } from './verifier-pool.js';
