// The subnet's miner and validator API (the check building blocks are exported beside it).
export { type ImageConfig, imageConfigSchema } from './config.js';
export { type ImageBackend, type ImageRequest, ProceduralBackend } from './miner/backend.js';
export { type HttpBackendOptions, HttpImageBackend } from './miner/http-backend.js';
export { backendFromConfig, createImageMiner } from './miner/miner.js';
export {
  ImageGeneration,
  type ImageGenerationSynapse,
  MAX_IMAGE_BYTES,
  taskSpecSchema,
} from './protocol.js';
export {
  createImageChecker,
  type ImageChecker,
  inlineChecker,
} from './validator/checker.js';
export {
  COPY_MAX_DHASH_DISTANCE,
  COPY_MAX_PHASH_DISTANCE,
  type CopyMatch,
  CopyRegistry,
} from './validator/copies.js';
export { FACET_WEIGHTS, type ImageEvidence, LATENCY, scoreImage } from './validator/score.js';
export { type ImageTaskPrivate, imageTask } from './validator/task.js';
export { createImageValidator, type ImageValidatorComponents } from './validator/validator.js';
