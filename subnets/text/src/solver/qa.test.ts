import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeAnswer, qaScore } from '../metrics/index.js';
import type { ChatMessage } from '../tasks/messages.js';
import { createQaTask, QA_KINDS, type QaTask, qaMessages } from '../tasks/qa.js';
import { extractSpan, parseQaMessages, questionKind, sentences, solveQa } from './qa.js';

const seed = (i: number): Uint8Array =>
  new Uint8Array(createHash('sha256').update(`solver/qa/${i}`).digest());

/** A frozen copy of the messages that records every property read on a message object. */
function watched(messages: readonly ChatMessage[]): {
  messages: ChatMessage[];
  reads: Set<string>;
} {
  const reads = new Set<string>();
  const copy = messages.map(
    (m) =>
      new Proxy(Object.freeze({ ...m }), {
        get(target, key, receiver) {
          reads.add(String(key));
          return Reflect.get(target, key, receiver);
        },
      }),
  );
  return { messages: Object.freeze(copy) as ChatMessage[], reads };
}

function isPlanted(answer: string, task: QaTask): boolean {
  const golds = [task.answer.canonical, ...task.answer.variants].map(normalizeAnswer);
  return golds.includes(normalizeAnswer(answer));
}

describe('solveQa over 200 seeded tasks', () => {
  const tasks = Array.from({ length: 200 }, (_, i) => createQaTask(seed(i)));

  it('scores a mean qaScore ≥ 0.85 and names the planted answer, not a distractor, in ≥ 90 %', () => {
    let total = 0;
    let planted = 0;
    let distractor = 0;
    for (const task of tasks) {
      const { messages, reads } = watched(task.messages);
      const answer = solveQa(messages);
      // The solver reads the messages' role and content, nothing else (there is nothing else).
      for (const k of reads) expect(['role', 'content']).toContain(k);
      total += qaScore(answer, task.answer, { maxWords: task.maxWords }).score;
      if (isPlanted(answer, task)) planted++;
      const named = task.answer.distractors.map(normalizeAnswer);
      if (named.includes(normalizeAnswer(answer))) distractor++;
    }
    // Measured when written: mean 1.000, planted 200/200, distractor 0/200.
    expect(total / tasks.length).toBeGreaterThanOrEqual(0.85);
    expect(planted / tasks.length).toBeGreaterThanOrEqual(0.9);
    expect(distractor / tasks.length).toBeLessThanOrEqual(0.05);
  });

  it('answers every question kind', () => {
    for (const kind of QA_KINDS) {
      const t = createQaTask(seed(1000), { kind, documents: 3 });
      expect(isPlanted(solveQa(t.messages), t)).toBe(true);
    }
  });

  it('reads the documents: without the planted sentence it does not find the answer', () => {
    let found = 0;
    for (const task of tasks.slice(0, 50)) {
      const documents = task.documents.map((d) => ({ ...d, text: d.text.replace(task.fact, '') }));
      expect(documents.map((d) => d.text).join('')).not.toContain(task.fact);
      if (isPlanted(solveQa(qaMessages(documents, task.question)), task)) found++;
    }
    expect(found).toBe(0);
  });

  it('an answer key mutated after the task was built changes nothing', () => {
    const t = createQaTask(seed(7));
    const before = solveQa(t.messages);
    t.answer.canonical = 'Nobody';
    t.answer.variants.length = 0;
    expect(solveQa(t.messages)).toBe(before);
  });
});

describe('the QA parts', () => {
  it('parses documents and the question as qaMessages writes them', () => {
    const docs = [
      { title: 'A', text: 'One. Two.' },
      { title: 'B', text: 'Three.' },
    ];
    expect(parseQaMessages(qaMessages(docs, 'Who built it?'))).toEqual({
      documents: docs,
      question: 'Who built it?',
    });
  });

  it('classifies questions and cuts spans', () => {
    expect(questionKind('Which person founded the Ashby Works?')).toBe('who');
    expect(questionKind('In what year was the mill built?')).toBe('when');
    expect(questionKind('How many bales of wool did it carry?')).toBe('how-many');
    expect(questionKind('From which port did the Gull Star sail?')).toBe('where');
    const s =
      'In 1824, the Heron Anchor sailed from Thalworth under Captain Yara Brackmere, carrying 3,692 tonnes of timber.';
    expect(extractSpan(s, 'Who captained the Heron Anchor?', 'who')).toBe('Yara Brackmere');
    expect(extractSpan(s, 'Where did the Heron Anchor sail from?', 'where')).toBe('Thalworth');
    expect(extractSpan(s, 'When did the Heron Anchor sail?', 'when')).toBe('1824');
    expect(
      extractSpan(s, 'How many tonnes of timber did the Heron Anchor carry?', 'how-many'),
    ).toBe('3,692 tonnes');
  });

  it('joins a sentence that refers back to the one before', () => {
    expect(
      sentences(
        'The Ash Works was founded in 1850 by Ida Low. Within a decade it employed 40 workers.',
      ),
    ).toEqual([
      'The Ash Works was founded in 1850 by Ida Low. Within a decade it employed 40 workers.',
    ]);
  });

  it('says "unknown" when no sentence matches the question', () => {
    const m = qaMessages([{ title: 'T', text: 'The weather was mild.' }], 'Who built the Zorb?');
    expect(solveQa(m)).toBe('unknown');
  });

  it('rejects messages without documents or a question, naming the field', () => {
    expect(() => solveQa([{ role: 'user', content: 'Question: Who?\nAnswer:' }])).toThrow(
      /^messages: the user message has no documents/,
    );
    expect(() => solveQa([{ role: 'user', content: 'Document 1: x\n\ntext' }])).toThrow(
      /no "Question: …" line/,
    );
    expect(() => solveQa([{ role: 'system', content: 'x' }])).toThrow(/has no user message/);
    expect(() => solveQa([{ role: 'user' } as never])).toThrow(/^messages\[0\]: /);
  });
});
