export * from './config/index.js';
export {
  type ConfigSource,
  type ConfigSourceKind,
  isNeuronError,
  NeuronError,
  type NeuronErrorCode,
  type NeuronErrorDetails,
} from './errors.js';
export * from './evidence/index.js';
export * from './lifecycle.js';
export * from './logging.js';
export * from './state/index.js';
export * from './status-server.js';
