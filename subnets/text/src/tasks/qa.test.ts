import { SEED_BYTES } from '@subnetkit/neuron/random';
import { describe, expect, it } from 'vitest';
import { qaScore } from '../metrics/score.js';
import { answerTokens } from '../metrics/text.js';
import { createQaTask, QA_KINDS, type QaTask } from './qa.js';

function seedOf(n: number): Uint8Array {
  const s = new Uint8Array(SEED_BYTES);
  new DataView(s.buffer).setUint32(0, n);
  s[31] = 0x5a;
  return s;
}

/** How often `needle` occurs as a contiguous token run in `hay`. */
function runs(hay: readonly string[], needle: readonly string[]): number {
  let n = 0;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    n++;
  }
  return n;
}

const docTokens = (t: QaTask) => t.documents.flatMap((d) => answerTokens(`${d.title} . ${d.text}`));

// 200 tasks: 50 of each kind, plus 50 with everything drawn from the seed.
const tasks: QaTask[] = [
  ...QA_KINDS.flatMap((kind, k) =>
    Array.from({ length: 50 }, (_, i) => createQaTask(seedOf(1000 * k + i), { kind })),
  ),
  ...Array.from({ length: 50 }, (_, i) => createQaTask(seedOf(9000 + i))),
];

describe('createQaTask', () => {
  it('is deterministic per seed, and different seeds give different tasks', () => {
    expect(createQaTask(seedOf(7))).toEqual(createQaTask(seedOf(7)));
    expect(createQaTask(seedOf(7), { kind: 'where', documents: 2 })).toEqual(
      createQaTask(seedOf(7), { kind: 'where', documents: 2 }),
    );
    const texts = new Set(tasks.map((t) => t.documents.map((d) => d.text).join('\n')));
    expect(texts.size).toBe(tasks.length);
    const questions = new Set(tasks.map((t) => t.question));
    expect(questions.size).toBeGreaterThan(tasks.length * 0.95);
  });

  it('draws every kind and 1–3 documents from the seed', () => {
    const free = tasks.slice(200);
    expect(new Set(free.map((t) => t.kind))).toEqual(new Set(QA_KINDS));
    expect(new Set(free.map((t) => t.documents.length))).toEqual(new Set([1, 2, 3]));
    for (const t of tasks) {
      expect(t.documents.length).toBeGreaterThanOrEqual(1);
      expect(t.documents.length).toBeLessThanOrEqual(3);
      for (const d of t.documents) {
        expect(d.title.length).toBeGreaterThan(5);
        expect(d.text.split('\n\n').length).toBeGreaterThanOrEqual(2);
      }
    }
    expect(createQaTask(seedOf(3), { documents: 3 }).documents).toHaveLength(3);
  });

  it('states the planted answer exactly once in the documents, inside the planted fact', () => {
    for (const t of tasks) {
      const answer = answerTokens(t.answer.canonical);
      expect(runs(docTokens(t), answer), `${t.answer.canonical} in ${t.question}`).toBe(1);
      expect(runs(answerTokens(t.fact), answer)).toBe(1);
      expect(t.documents.some((d) => d.text.includes(t.fact))).toBe(true);
    }
  });

  it('plants distractors that the documents state and that never equal the answer', () => {
    for (const t of tasks) {
      const answer = answerTokens(t.answer.canonical).join(' ');
      expect(t.answer.distractors.length).toBeGreaterThanOrEqual(2);
      for (const d of t.answer.distractors) {
        const dt = answerTokens(d);
        expect(dt.join(' ')).not.toBe(answer);
        expect(runs(dt, answerTokens(t.answer.canonical))).toBe(0);
        expect(runs(docTokens(t), dt), `${d} in the documents`).toBeGreaterThanOrEqual(1);
        // Naming a distractor is a wrong answer.
        expect(qaScore(d, t.answer).score).toBe(0);
      }
    }
  });

  it('asks questions whose answer is not in the question text', () => {
    for (const t of tasks) {
      const q = answerTokens(t.question);
      for (const a of [t.answer.canonical, ...t.answer.variants]) {
        expect(runs(q, answerTokens(a)), `${a} in "${t.question}"`).toBe(0);
      }
      expect(t.question.endsWith('?')).toBe(true);
    }
  });

  it('draws answers from the seed, not from a fixed list', () => {
    for (const kind of QA_KINDS) {
      const answers = tasks.filter((t) => t.kind === kind).map((t) => t.answer.canonical);
      // Years come from 206 values, so a few collide by chance (about 8 in 62 draws).
      expect(new Set(answers).size, kind).toBeGreaterThan(answers.length * 0.75);
    }
    const when = tasks.filter((t) => t.kind === 'when');
    for (const t of when) expect(t.answer.canonical).toMatch(/^1[789]\d\d$/);
    const howMany = tasks.filter((t) => t.kind === 'how-many');
    for (const t of howMany) expect(t.answer.canonical).toMatch(/^[\d,]+ \w+$/);
  });

  it('builds messages that carry every document and the question, and ask for a brief answer', () => {
    const t = createQaTask(seedOf(11), { documents: 3 });
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(t.messages[0]!.content).toMatch(/only the documents/);
    const user = t.messages[1]!.content;
    for (const d of t.documents) {
      expect(user).toContain(d.title);
      expect(user).toContain(d.text);
    }
    expect(user).toContain(`Question: ${t.question}`);
    // The answer reaches the model once, through its document: the prompt adds no hint.
    expect(runs(answerTokens(user), answerTokens(t.answer.canonical))).toBe(1);
  });

  it('scores the right answer 1, a wrong one 0 and a copied document low', () => {
    for (const t of tasks.slice(0, 200).filter((_, i) => i % 10 === 0)) {
      expect(qaScore(t.answer.canonical, t.answer).score).toBe(1);
      for (const v of t.answer.variants) expect(qaScore(v, t.answer).score).toBe(1);
      const doc = t.documents.find((d) => d.text.includes(t.fact))!;
      expect(qaScore(doc.text, t.answer).score).toBeLessThan(0.05);
      expect(qaScore(t.fact, t.answer).score).toBeLessThan(0.5);
    }
  });

  it('rejects a bad seed or option naming the field', () => {
    expect(() => createQaTask(new Uint8Array(16))).toThrow(/^seed: /);
    expect(() => createQaTask(seedOf(1), { kind: 'why' as never })).toThrow(/^kind: /);
    expect(() => createQaTask(seedOf(1), { documents: 4 })).toThrow(/^documents: /);
    expect(() => createQaTask(seedOf(1), { documents: 0 })).toThrow(/^documents: /);
  });
});
