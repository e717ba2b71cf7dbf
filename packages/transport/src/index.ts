export { TransportError, type TransportErrorCode } from './errors.js';
export { bodyHashOfRendered, EMPTY_BODY_HASH, sha3Hex } from './hash.js';
export {
  ALLOWED_DELTA_NS,
  NonceClock,
  type NonceRejection,
  NonceStore,
  type NonceStoreOptions,
  nowNs,
} from './nonce.js';
export { type PyType, pyFloatRepr, pyRepr, pyStr, pyStrRepr, pyTypeOf } from './pyrepr.js';
export {
  type AnySynapse,
  BASE_FIELDS,
  computeBodyHash,
  DEFAULT_TIMEOUT_S,
  defineSynapse,
  type Envelope,
  encodeSynapseBody,
  encodeSynapseHeaders,
  type InputInitOf,
  type InputOf,
  type OutputInitOf,
  type OutputOf,
  PingSynapse,
  PROTOCOL_VERSION,
  parseTerminalHeaders,
  requestValues,
  type SynapseDefinition,
  type SynapseSpec,
  TERMINAL_FIELDS,
  type TerminalInfo,
} from './synapse.js';
