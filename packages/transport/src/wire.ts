// `@subnetkit/transport/wire`: the synapse definition and the wire format, without a server or a
// client: body hash, `bt_header_*` headers, the JSON body, Python `str()`/`repr()` and the
// signed messages. For tools that build, check or replay requests themselves.
export { TransportError, type TransportErrorCode } from './errors.js';
export { bodyHashOfRendered, EMPTY_BODY_HASH, sha3Hex } from './hash.js';
export { pyFloatRepr, pyRepr, pyStr, pyStrRepr } from './pyrepr.js';
export { type PyType, pyTypeOf } from './pytype.js';
export { axonMessage, requestMessage, verifyWrapped, wrapBytes } from './signing.js';
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
