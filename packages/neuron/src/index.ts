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
export * from './state/index.js';
