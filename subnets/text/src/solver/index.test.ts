import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TextSubnetError } from '../errors.js';
import { createExtractionTask } from '../tasks/extraction.js';
import { createQaTask } from '../tasks/qa.js';
import { solveExtraction } from './extraction.js';
import { solveTask, taskFamily } from './index.js';
import { solveQa } from './qa.js';

const seed = (i: number): Uint8Array =>
  new Uint8Array(createHash('sha256').update(`solver/index/${i}`).digest());

describe('solveTask', () => {
  it('tells QA from extraction and summary, by the system prompt or the user turn alone', () => {
    for (let i = 0; i < 10; i++) {
      const qa = createQaTask(seed(i));
      expect(taskFamily(qa.messages)).toBe('qa');
      expect(solveTask(qa.messages)).toBe(solveQa(qa.messages));
      expect(taskFamily(qa.messages.filter((m) => m.role === 'user'))).toBe('qa');
      for (const mode of ['extract', 'summary'] as const) {
        const ex = createExtractionTask(seed(i), { mode });
        expect(taskFamily(ex.messages)).toBe('extraction');
        expect(taskFamily(ex.messages.filter((m) => m.role === 'user'))).toBe('extraction');
        expect(solveTask(ex.messages)).toBe(solveExtraction(ex.messages));
      }
    }
  });

  it('throws TextSubnetError INVALID_ARGUMENT for messages it cannot read', () => {
    const cases: unknown[] = [
      [],
      [{ role: 'user', content: 'What is the capital of France?' }],
      [{ role: 'user', content: 42 }],
      [null],
      'Question: Who?',
      undefined,
    ];
    for (const messages of cases) {
      let caught: unknown;
      try {
        solveTask(messages as never);
      } catch (e) {
        caught = e;
      }
      expect(caught, JSON.stringify(messages)).toBeInstanceOf(TextSubnetError);
      expect((caught as TextSubnetError).code).toBe('INVALID_ARGUMENT');
      expect((caught as TextSubnetError).message).toMatch(/^messages(\[\d+\])?: /);
    }
  });
});
