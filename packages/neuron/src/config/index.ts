export {
  type ConfigField,
  type ConfigFieldMeta,
  configFields,
  envNameOf,
  type FieldKind,
  snakeCase,
} from './fields.js';
export { formatHelp, type HelpOptions } from './help.js';
export {
  CONFIG_ENV,
  type LoadConfigOptions,
  type LoadConfigResult,
  loadConfig,
  suggestFlag,
} from './load.js';
export { neuronStateDir, type StateDirConfig } from './paths.js';
export {
  axonSection,
  blacklistSection,
  extendNeuronConfig,
  loggingSection,
  type NeuronConfig,
  type NeuronConfigSchema,
  neuronConfigSchema,
  neuronSection,
  statusSection,
  subtensorSection,
  walletSection,
} from './schema.js';
