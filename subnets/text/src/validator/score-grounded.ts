/**
 * A grounded answer (QA, extraction): the stream parses, its text is scored against the answer
 * key the validator kept (exact match, token F1, ROUGE-L and a length window for QA; fields or
 * ROUGE-L and key facts for extraction), an answer copied from another task is worth nothing,
 * and speed counts as for verified inference.
 */
import type { StreamObservation } from '@subnetkit/neuron';
import { fail, pass, type Verdict } from '@subnetkit/scoring';
import { extractionScore, qaScore } from '../metrics/score.js';
import { parseEvents } from '../stream/events.js';
import type { AnswerRegistry } from './answers.js';
import { speedComponents } from './speed.js';
import type { GroundedPrivate } from './task-grounded.js';

/** Below this share of the answer key right, the answer is a `fail` (it keeps its graded score). */
export const MIN_GROUNDED_SCORE = 0.5;

export interface GroundedEvidence {
  kind: GroundedPrivate['kind'];
  /** The answer's first 300 characters. */
  answer: string;
  metric?: unknown;
  copyOf?: { taskId: string; uid: number };
  timing: { timeToFirstChunkMs: number | null; totalMs: number };
}

export function scoreGrounded(input: {
  task: GroundedPrivate;
  stream: StreamObservation;
  timeoutMs: number;
  taskId: string;
  uid: number;
  answers: AnswerRegistry;
}): Verdict<GroundedEvidence> {
  const { task, stream, timeoutMs } = input;
  const evidence: GroundedEvidence = {
    kind: task.kind,
    answer: '',
    timing: { timeToFirstChunkMs: stream.timeToFirstChunkMs, totalMs: stream.totalMs },
  };
  const parsed = parseEvents(stream.text);
  if (!parsed.ok) {
    return fail(`malformed stream: line ${parsed.line}: ${parsed.reason}`, {
      components: { answer: 0 },
      evidence,
    });
  }
  const text = parsed.pieces.map((p) => p.text).join('');
  evidence.answer = text.slice(0, 300);
  const copy = input.answers.checkAndAdd(text, { taskId: input.taskId, uid: input.uid });
  if (copy) {
    evidence.copyOf = copy;
    return fail(`a copy of uid ${copy.uid}'s answer to task ${copy.taskId}`, {
      components: { answer: 0, original: 0 },
      evidence,
    });
  }
  const metric =
    task.kind === 'qa'
      ? qaScore(text, task.answer, { maxWords: task.maxWords })
      : extractionScore(text, task.expected);
  evidence.metric = metric.evidence;
  const speed = speedComponents(stream, timeoutMs);
  const components = { answer: metric.score, ...metric.components, ...speed.components };
  const score = metric.score * speed.multiplier;
  if (metric.score < MIN_GROUNDED_SCORE) {
    return fail(`wrong answer: ${metric.score.toFixed(2)} of the answer key`, {
      score,
      components,
      evidence,
    });
  }
  return pass(score, { components, evidence });
}
