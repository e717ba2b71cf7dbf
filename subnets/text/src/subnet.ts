// The subnet's miner and validator API (the model, tasks and metrics are exported beside it).
export { type TextConfig, textConfigSchema } from './config.js';
export {
  ReferenceBackend,
  referenceModelId,
  type TextBackend,
  type TextRequest,
} from './miner/backend.js';
export { backendFromConfig, createTextMiner } from './miner/miner.js';
export { OpenAIChatBackend, type OpenAIChatBackendOptions } from './miner/openai-backend.js';
export {
  chatMessageSchema,
  MAX_COMPLETION_TOKENS,
  MAX_MESSAGE_CHARS,
  MAX_MESSAGES,
  TextGeneration,
  type TextGenerationInput,
  type TextGenerationSynapse,
} from './protocol.js';
export {
  type DoneEvent,
  encodeEvent,
  MAX_EVENT_BYTES,
  MAX_TOKENS_PER_PIECE,
  type ParsedStream,
  type PieceEvent,
  parseEvents,
  type StreamEvent,
} from './stream/events.js';
export {
  type InferenceAnswer,
  type InferenceEvidence,
  SPEED,
  scoreInference,
} from './validator/score-inference.js';
export {
  type InferenceParams,
  type InferencePrivate,
  inferenceTask,
  SYSTEM_PROMPT,
} from './validator/task.js';
export {
  createTextValidator,
  MAX_STREAM_BYTES,
  type TextValidatorOptions,
} from './validator/validator.js';
