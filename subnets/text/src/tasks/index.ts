export {
  assertSeed,
  SEED_BYTES,
  type SeededRandom,
  seededRandom,
  seedFromHex,
} from '@subnetkit/neuron/random';
export {
  createExtractionTask,
  EXTRACT_SYSTEM_PROMPT,
  type ExtractionMode,
  type ExtractionTask,
  type ExtractionTaskOptions,
  type FieldSpec,
  type FixturePage,
  type KeyFact,
  PAGE_KINDS,
  type PageFormat,
  type PageKind,
  SUMMARY_SYSTEM_PROMPT,
  SUMMARY_WINDOW,
} from './extraction.js';
export type { ChatMessage as TaskMessage } from './messages.js';
export {
  createQaTask,
  QA_KINDS,
  QA_SYSTEM_PROMPT,
  type QaAnswer,
  type QaDocument,
  type QaKind,
  type QaTask,
  type QaTaskOptions,
  qaMessages,
} from './qa.js';
