/**
 * Copies across miners and tasks: every miner gets its own task, so the same long answer to two
 * different tasks was written for one of them only. Answers are compared normalised (case,
 * whitespace, punctuation); short answers (a name, a year) may coincide honestly and are not
 * compared.
 */
import { createHash } from 'node:crypto';

/** Answers shorter than this (in words) are never called copies. */
export const MIN_COPY_WORDS = 8;
/** Answers remembered (the oldest half is forgotten when full). */
export const ANSWER_MEMORY = 8192;

export interface AnswerOwner {
  taskId: string;
  uid: number;
}

export class AnswerRegistry {
  readonly #memory: number;
  #seen = new Map<string, AnswerOwner>();

  constructor(options: { memory?: number } = {}) {
    this.#memory = Math.max(2, options.memory ?? ANSWER_MEMORY);
  }

  /** The earlier owner of the same answer to another task, or null; then remembers this one. */
  checkAndAdd(text: string, owner: AnswerOwner): AnswerOwner | null {
    const words = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
      .split(' ')
      .filter(Boolean);
    if (words.length < MIN_COPY_WORDS) return null;
    const key = createHash('sha256').update(words.join(' ')).digest('hex');
    const earlier = this.#seen.get(key);
    if (earlier && earlier.taskId !== owner.taskId) return earlier;
    if (!earlier) {
      if (this.#seen.size >= this.#memory) {
        const keep = [...this.#seen].slice(Math.ceil(this.#memory / 2));
        this.#seen = new Map(keep);
      }
      this.#seen.set(key, owner);
    }
    return null;
  }
}
