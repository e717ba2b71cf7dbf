import { createHash } from 'node:crypto';
import type { StreamObservation } from '@subnetkit/neuron';
import { describe, expect, it } from 'vitest';
import { encodeEvent } from '../stream/events.js';
import { AnswerRegistry, MIN_COPY_WORDS } from './answers.js';
import { scoreGrounded } from './score-grounded.js';
import { extractionTask, qaTask } from './task-grounded.js';

const seedOf = (i: number) => createHash('sha256').update(`grounded-${i}`).digest('hex');

function observed(text: string, over: Partial<StreamObservation> = {}): StreamObservation {
  return {
    end: 'complete',
    reason: null,
    chunks: [text],
    text,
    bytes: Buffer.byteLength(text),
    timeToFirstChunkMs: 20,
    totalMs: 40,
    chunksPerSecond: null,
    longestGapMs: 20,
    ...over,
  };
}

/** The stream of an answer, word by word, as the reference backend sends it. */
const streamOf = (answer: string) =>
  (answer.match(/\S+\s*/g) ?? []).map((w) => encodeEvent({ text: w })).join('') +
  encodeEvent({
    done: true,
    finish_reason: 'stop',
    usage: { prompt_tokens: 10, completion_tokens: 3 },
    model: 'any-model',
  });

const score = (
  task: ReturnType<typeof qaTask>['private'],
  text: string,
  answers = new AnswerRegistry(),
  id = { taskId: 't-1', uid: 1 },
  over: Partial<StreamObservation> = {},
) =>
  scoreGrounded({
    task,
    stream: observed(text, over),
    timeoutMs: 2000,
    ...id,
    answers,
  });

describe('scoreGrounded', () => {
  it('the answer key passes; a distractor, another value and nothing fail', () => {
    const t = qaTask({ seed: seedOf(1) });
    if (t.private.kind !== 'qa') throw new Error('qa task expected');
    const right = score(t.private, streamOf(t.private.answer.canonical));
    expect(right.status, right.reasons.join('; ')).toBe('pass');
    expect(right.components.answer).toBe(1);
    expect(right.score).toBeGreaterThan(0.99);
    const distractor = t.private.answer.distractors?.[0];
    if (distractor) expect(score(t.private, streamOf(distractor)).status).toBe('fail');
    expect(score(t.private, streamOf('I do not know.')).status).toBe('fail');
    expect(score(t.private, streamOf('')).score).toBe(0);
  });

  it('extraction: the expected JSON passes, a wrong field loses its share', () => {
    for (let i = 0; i < 20; i++) {
      const t = extractionTask({ seed: seedOf(100 + i) });
      if (t.private.kind !== 'extraction' || t.private.expected.mode !== 'extract') continue;
      const object = t.private.expected.object;
      const right = score(t.private, streamOf(JSON.stringify(object)));
      expect(right.status).toBe('pass');
      const [first] = Object.keys(object);
      const wrong = score(t.private, streamOf(JSON.stringify({ ...object, [first!]: 'nonsense' })));
      expect(wrong.components.answer).toBeLessThan(right.components.answer!);
      return;
    }
    throw new Error('no extract-mode task in 20 seeds');
  });

  it('a long answer to another task is a copy; the same task asked again is not', () => {
    const a = qaTask({ seed: seedOf(2) });
    const b = qaTask({ seed: seedOf(3) });
    const long = 'the answer is written out here at some length so that it counts';
    expect(long.split(' ').length).toBeGreaterThanOrEqual(MIN_COPY_WORDS);
    const answers = new AnswerRegistry();
    score(a.private, streamOf(long), answers, { taskId: 'task-a', uid: 4 });
    const again = score(a.private, streamOf(long), answers, { taskId: 'task-a', uid: 4 });
    expect(again.reasons.join(' ')).not.toMatch(/copy/);
    const copied = score(b.private, streamOf(`${long.toUpperCase()}!`), answers, {
      taskId: 'task-b',
      uid: 9,
    });
    expect(copied.status).toBe('fail');
    expect(copied.reasons[0]).toBe("a copy of uid 4's answer to task task-a");
    // Short answers may coincide honestly.
    score(a.private, streamOf('1887'), answers, { taskId: 'task-c', uid: 1 });
    expect(
      score(b.private, streamOf('1887'), answers, { taskId: 'task-d', uid: 2 }).reasons.join(' '),
    ).not.toMatch(/copy/);
  });

  it('a malformed stream fails naming the line; a slow one earns less', () => {
    const t = qaTask({ seed: seedOf(4) });
    const bad = score(t.private, '{"text": "a"}\nnot json\n');
    expect(bad.status).toBe('fail');
    expect(bad.reasons[0]).toMatch(/^malformed stream: line 2: not JSON/);
    const answer = t.private.kind === 'qa' ? t.private.answer.canonical : '';
    const fast = score(t.private, streamOf(answer));
    const slow = score(t.private, streamOf(answer), new AnswerRegistry(), undefined, {
      timeToFirstChunkMs: 1500,
      totalMs: 1900,
    });
    expect(slow.score!).toBeLessThan(fast.score!);
    expect(slow.score!).toBeGreaterThanOrEqual(0.25 * fast.score!);
  });
});

describe('AnswerRegistry', () => {
  it('forgets its oldest half when full, and keeps the newest', () => {
    const r = new AnswerRegistry({ memory: 4 });
    const text = (i: number) => `answer number ${i} with enough words to be compared here`;
    for (let i = 0; i < 10; i++) r.checkAndAdd(text(i), { taskId: `t${i}`, uid: i });
    expect(r.checkAndAdd(text(0), { taskId: 'x', uid: 99 })).toBeNull();
    expect(r.checkAndAdd(text(9), { taskId: 'y', uid: 98 })).toEqual({ taskId: 't9', uid: 9 });
  });
});
