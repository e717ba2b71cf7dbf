// The offline default miner's answerer for the text subnet's grounded tasks: an extractive
// QA system and a rule-based page reader, reading only the messages a miner receives.
import { TextSubnetError } from '../errors.js';
import type { ChatMessage as SentMessage } from '../model/sampling.js';
import { EXTRACT_SYSTEM_PROMPT, SUMMARY_SYSTEM_PROMPT } from '../tasks/extraction.js';
import { QA_SYSTEM_PROMPT } from '../tasks/qa.js';
import { solveExtraction } from './extraction.js';
import { solveQa, userContent } from './qa.js';

export {
  extractFields,
  type PageView,
  type ParsedExtraction,
  parseExtractionMessages,
  type RequestedField,
  readPage,
  solveExtraction,
  summarise,
} from './extraction.js';
export { type ParsedQa, parseQaMessages, type QuestionKind, questionKind, solveQa } from './qa.js';

export type TaskFamily = 'qa' | 'extraction';

/**
 * Which kind of task the messages are: by the system prompt when it is one of ours, else by
 * the user turn's shape (a page between <<< and >>>, or a "Question:" line). Throws
 * INVALID_ARGUMENT when neither fits.
 */
export function taskFamily(messages: readonly SentMessage[]): TaskFamily {
  const content = userContent(messages);
  const system = messages.find((m) => m.role === 'system')?.content;
  if (system === QA_SYSTEM_PROMPT) return 'qa';
  if (system === EXTRACT_SYSTEM_PROMPT || system === SUMMARY_SYSTEM_PROMPT) return 'extraction';
  if (/<<<\n[\s\S]*\n>>>/.test(content)) return 'extraction';
  if (/(^|\n)Question:\s*\S/.test(content)) return 'qa';
  throw new TextSubnetError(
    'INVALID_ARGUMENT',
    'messages: neither a QA task (documents and a "Question:" line) nor an extraction task (a page between <<< and >>>)',
    { field: 'messages' },
  );
}

/**
 * Answers a grounded QA or extraction/summary task from its chat messages alone (never the
 * task's answer key): a brief answer, a JSON object, or a short summary.
 * Throws `TextSubnetError` INVALID_ARGUMENT for messages it cannot read.
 */
export function solveTask(messages: readonly SentMessage[]): string {
  return taskFamily(messages) === 'qa' ? solveQa(messages) : solveExtraction(messages);
}
