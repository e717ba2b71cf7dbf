// The QA and extraction scores: components in [0, 1], one combined score, and the evidence a
// miner needs to see why. Pure functions of (prediction, the task's answer key).
import { assertString, invalidArgument } from './invalid.js';
import { assertExpectedObject, type FieldValue, type JsonLimits, jsonFieldScore } from './json.js';
import {
  answerTokens,
  containsRun,
  countWords,
  lengthWindow,
  MAX_SCORED_CHARS,
  ROUGE_L_BETA,
  rougeLTokens,
  tokenF1Tokens,
} from './text.js';

/** A scored answer: `score` and every component in [0, 1]. */
export interface MetricScore<Evidence> {
  score: number;
  components: Record<string, number>;
  evidence: Evidence;
}

/** What {@link qaScore} needs from a QA task's answer (`QaTask['answer']` is one). */
export interface QaAnswerKey {
  canonical: string;
  variants: readonly string[];
  /** Values of the same kind the documents also state (wrong answers); naming one is hedging. */
  distractors?: readonly string[];
}

/** How the QA components combine before the length and hedge multipliers. */
export const QA_WEIGHTS = { exact: 0.4, f1: 0.3, rougeL: 0.1, contains: 0.2 } as const;

export interface QaEvidence {
  /** The normalised prediction (first 200 characters). */
  normalized: string;
  /** The accepted answer the prediction came closest to (by token F1). */
  bestGold: string;
  words: number;
  window: { minWords: number; maxWords: number };
  /** Distractor values the prediction names. */
  distractorsNamed: string[];
  /** The prediction was longer than MAX_SCORED_CHARS; only its start was scored. */
  truncated: boolean;
}

function clipText(s: string, n = 200): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

function assertStringList(value: unknown, field: string, nonEmpty: boolean): void {
  if (!Array.isArray(value)) throw invalidArgument(field, 'must be an array of strings');
  if (nonEmpty && value.length === 0) throw invalidArgument(field, 'must not be empty');
  value.forEach((v, i) => {
    assertString(v, `${field}[${i}]`);
  });
}

/**
 * Scores a short answer to a grounded question.
 *
 * Components: `exact` (EM against canonical + variants), `f1` (max token F1), `rougeL`
 * (max ROUGE-L, β = 1.2), `contains` (an accepted answer occurs as a token run in the
 * prediction), `length` ({@link lengthWindow}, 1..maxWords; maxWords defaults to
 * max(8, 2 × the longest accepted answer)), `hedge` (0 when the prediction also names a
 * distractor value: listing every year in the documents is not an answer, else 1).
 *
 * score = length × hedge × (0.4 exact + 0.3 f1 + 0.1 rougeL + 0.2 contains).
 * A copied document contains the answer but fails the length window, so it scores ~0.
 */
export function qaScore(
  pred: string,
  key: QaAnswerKey,
  options: { maxWords?: number } = {},
): MetricScore<QaEvidence> {
  assertString(pred, 'pred');
  if (key === null || typeof key !== 'object') throw invalidArgument('key', 'must be an object');
  assertString(key.canonical, 'key.canonical');
  assertStringList(key.variants, 'key.variants', false);
  if (key.distractors !== undefined) assertStringList(key.distractors, 'key.distractors', false);
  const golds = [key.canonical, ...key.variants].map(answerTokens).filter((t) => t.length > 0);
  if (golds.length === 0) throw invalidArgument('key.canonical', 'normalises to nothing');
  const longest = Math.max(...golds.map((g) => g.length));
  const maxWords = options.maxWords ?? Math.max(8, 2 * longest);
  const window = { minWords: 1, maxWords };

  const tokens = answerTokens(pred);
  const joined = tokens.join(' ');
  let exact = 0;
  let f1 = 0;
  let rouge = 0;
  let contains = 0;
  let bestGold = golds[0]!;
  for (const g of golds) {
    if (g.join(' ') === joined) exact = 1;
    const f = tokenF1Tokens(tokens, g);
    if (f > f1) {
      f1 = f;
      bestGold = g;
    }
    rouge = Math.max(rouge, rougeLTokens(tokens, g, ROUGE_L_BETA));
    if (containsRun(tokens, g)) contains = 1;
  }
  const distractorsNamed: string[] = [];
  for (const d of key.distractors ?? []) {
    const dt = answerTokens(d);
    // A distractor inside an accepted answer ("12" in "12 barrels") is not hedging.
    if (dt.length === 0 || golds.some((g) => containsRun(g, dt))) continue;
    if (containsRun(tokens, dt)) distractorsNamed.push(d);
  }
  const hedge = distractorsNamed.length > 0 ? 0 : 1;
  const length = lengthWindow(pred, window);
  const quality =
    QA_WEIGHTS.exact * exact +
    QA_WEIGHTS.f1 * f1 +
    QA_WEIGHTS.rougeL * rouge +
    QA_WEIGHTS.contains * contains;
  return {
    score: clamp01(length * hedge * quality),
    components: { exact, f1, rougeL: rouge, contains, length, hedge },
    evidence: {
      normalized: clipText(joined),
      bestGold: bestGold.join(' '),
      words: countWords(pred, 2 * maxWords),
      window,
      distractorsNamed,
      truncated: pred.length > MAX_SCORED_CHARS,
    },
  };
}

/** The answer key of an extraction task (`ExtractionTask['expected']` is one). */
export type ExtractionExpected =
  | {
      mode: 'extract';
      /** The fields and their values, flat. */
      object: Record<string, FieldValue>;
    }
  | {
      mode: 'summary';
      /** A summary written by the generator from the same fields. */
      reference: string;
      /**
       * Facts a faithful summary states (a name, a price, a date …), each in the written forms
       * accepted for it ("2027-04-17", "17 April 2027", "April 17, 2027").
       */
      keyFacts: readonly { label: string; forms: readonly string[] }[];
      minWords: number;
      maxWords: number;
    };

/** How a summary's components combine before the length multiplier. */
export const SUMMARY_WEIGHTS = { rougeL: 0.5, coverage: 0.5 } as const;

export type ExtractionEvidence =
  | ({ mode: 'extract' } & ReturnType<typeof jsonFieldScore>)
  | {
      mode: 'summary';
      words: number;
      window: { minWords: number; maxWords: number };
      /** Labels of the key facts the summary states, and of those it does not. */
      factsFound: string[];
      factsMissing: string[];
      truncated: boolean;
    };

/**
 * Scores an extraction answer.
 *
 * `extract`: components `fields` ({@link jsonFieldScore}: matched / (expected + extra)) and
 * `parsed` (0/1); score = fields.
 * `summary`: components `rougeL` (vs the reference, β = 1.2), `coverage` (fraction of key
 * facts stated, as token runs), `length` (the task's word window);
 * score = length × (0.5 rougeL + 0.5 coverage). A pasted page covers every fact but fails the
 * window, so it scores ~0.
 */
export function extractionScore(
  pred: string,
  expected: ExtractionExpected,
  limits: JsonLimits = {},
): MetricScore<ExtractionEvidence> {
  assertString(pred, 'pred');
  if (expected === null || typeof expected !== 'object') {
    throw invalidArgument('expected', 'must be an object');
  }
  if (expected.mode === 'extract') {
    assertExpectedObject(expected.object, 'expected.object');
    const r = jsonFieldScore(pred, expected.object, limits);
    return {
      score: r.score,
      components: { fields: r.score, parsed: r.parsed ? 1 : 0 },
      evidence: { mode: 'extract', ...r },
    };
  }
  if (expected.mode !== 'summary') {
    throw invalidArgument('expected.mode', `must be 'extract' or 'summary'`);
  }
  assertString(expected.reference, 'expected.reference');
  const keyFacts = expected.keyFacts;
  if (!Array.isArray(keyFacts)) {
    throw invalidArgument('expected.keyFacts', 'must be an array of { label, forms }');
  }
  keyFacts.forEach((fact: unknown, i) => {
    if (fact === null || typeof fact !== 'object') {
      throw invalidArgument(`expected.keyFacts[${i}]`, 'must be an object { label, forms }');
    }
    const f = fact as { label?: unknown; forms?: unknown };
    assertString(f.label, `expected.keyFacts[${i}].label`);
    assertStringList(f.forms, `expected.keyFacts[${i}].forms`, true);
  });
  const window = { minWords: expected.minWords, maxWords: expected.maxWords };
  const length = lengthWindow(pred, window);
  const tokens = answerTokens(pred);
  const rouge = rougeLTokens(tokens, answerTokens(expected.reference), ROUGE_L_BETA);
  const factsFound: string[] = [];
  const factsMissing: string[] = [];
  for (const fact of expected.keyFacts) {
    const stated = fact.forms.some((form) => containsRun(tokens, answerTokens(form)));
    (stated ? factsFound : factsMissing).push(fact.label);
  }
  const coverage =
    expected.keyFacts.length === 0 ? 1 : factsFound.length / expected.keyFacts.length;
  const quality = SUMMARY_WEIGHTS.rougeL * rouge + SUMMARY_WEIGHTS.coverage * coverage;
  return {
    score: clamp01(length * quality),
    components: { rougeL: rouge, coverage, length },
    evidence: {
      mode: 'summary',
      words: countWords(pred, 2 * window.maxWords),
      window,
      factsFound,
      factsMissing,
      truncated: pred.length > MAX_SCORED_CHARS,
    },
  };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
