// Answer-text metrics: SQuAD-style normalisation, exact match, token F1, ROUGE-L and a
// length window. Every function bounds its work: a prediction is cut to `MAX_SCORED_CHARS`
// before it is tokenised, and the LCS table to `MAX_LCS_TOKENS` per side, so a megabyte of
// padding costs the same as 64 KiB.
import { assertString, invalidArgument } from './invalid.js';

/** Characters of a prediction the token metrics look at; the rest is ignored. */
export const MAX_SCORED_CHARS = 65_536;
/** Tokens per side the ROUGE-L table covers (at most 4096 × 4096 cells). */
export const MAX_LCS_TOKENS = 4096;

const PUNCTUATION = /[\p{P}\p{S}]/gu;
const ARTICLES = /(^|\s)(a|an|the)(?=\s|$)/g;

/**
 * SQuAD's normalisation: NFKC, lowercase, drop punctuation and symbols (removed, not replaced:
 * "1,412" → "1412"), drop the articles a / an / the, collapse whitespace.
 */
export function normalizeAnswer(text: string): string {
  assertString(text, 'text');
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(PUNCTUATION, '')
    .replace(ARTICLES, ' ')
    .split(/\s+/u)
    .filter((t) => t.length > 0)
    .join(' ');
}

/** The normalised tokens of `text` (its first `MAX_SCORED_CHARS` characters). */
export function answerTokens(text: string): string[] {
  assertString(text, 'text');
  const n = normalizeAnswer(
    text.length > MAX_SCORED_CHARS ? text.slice(0, MAX_SCORED_CHARS) : text,
  );
  return n.length === 0 ? [] : n.split(' ');
}

function assertGolds(golds: readonly string[], field: string): void {
  if (!Array.isArray(golds) || golds.length === 0) {
    throw invalidArgument(field, 'must be a non-empty array of strings');
  }
  golds.forEach((g, i) => {
    assertString(g, `${field}[${i}]`);
  });
}

/** 1 when the normalised prediction equals any normalised gold answer, else 0. */
export function exactMatch(pred: string, golds: readonly string[]): 0 | 1 {
  assertString(pred, 'pred');
  assertGolds(golds, 'golds');
  const p = answerTokens(pred).join(' ');
  return golds.some((g) => normalizeAnswer(g) === p) ? 1 : 0;
}

/** SQuAD token F1 of two token lists (both empty → 1, one empty → 0). */
export function tokenF1Tokens(pred: readonly string[], gold: readonly string[]): number {
  if (pred.length === 0 || gold.length === 0) return pred.length === gold.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of gold) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of pred) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / pred.length;
  const recall = same / gold.length;
  return (2 * precision * recall) / (precision + recall);
}

/** SQuAD token F1 of `pred` against each gold answer; the maximum. */
export function tokenF1(pred: string, golds: readonly string[]): number {
  assertString(pred, 'pred');
  assertGolds(golds, 'golds');
  const p = answerTokens(pred);
  let best = 0;
  for (const g of golds) best = Math.max(best, tokenF1Tokens(p, answerTokens(g)));
  return best;
}

/** Length of the longest common subsequence of two token lists (two rolling rows). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const x = a.length > MAX_LCS_TOKENS ? a.slice(0, MAX_LCS_TOKENS) : a;
  const y = b.length > MAX_LCS_TOKENS ? b.slice(0, MAX_LCS_TOKENS) : b;
  if (x.length === 0 || y.length === 0) return 0;
  let prev = new Uint16Array(y.length + 1);
  let curr = new Uint16Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) {
      curr[j] = xi === y[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, curr[j - 1]!);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[y.length]!;
}

/** β of ROUGE-L's F-measure unless told: 1.2, as in the COCO caption evaluation. */
export const ROUGE_L_BETA = 1.2;

/**
 * ROUGE-L (Lin 2004) over normalised tokens: with L = LCS(pred, ref), R = L/|ref|,
 * P = L/|pred|, F = (1 + β²)·P·R / (R + β²·P). β > 1 weighs recall more (β = 1 is the plain
 * harmonic mean). Empty against empty is 1; one side empty is 0.
 */
export function rougeL(pred: string, ref: string, options: { beta?: number } = {}): number {
  assertString(pred, 'pred');
  assertString(ref, 'ref');
  const beta = options.beta ?? ROUGE_L_BETA;
  if (typeof beta !== 'number' || !Number.isFinite(beta) || beta <= 0) {
    throw invalidArgument('beta', `must be a positive finite number, got ${String(beta)}`);
  }
  return rougeLTokens(answerTokens(pred), answerTokens(ref), beta);
}

/** ROUGE-L F of two token lists (see {@link rougeL}). */
export function rougeLTokens(pred: readonly string[], ref: readonly string[], beta = ROUGE_L_BETA) {
  if (pred.length === 0 || ref.length === 0) return pred.length === ref.length ? 1 : 0;
  const l = lcsLength(pred, ref);
  if (l === 0) return 0;
  const recall = l / Math.min(ref.length, MAX_LCS_TOKENS);
  const precision = l / Math.min(pred.length, MAX_LCS_TOKENS);
  const b2 = beta * beta;
  return ((1 + b2) * precision * recall) / (recall + b2 * precision);
}

/**
 * Whitespace-separated words of `text`, counting stops once it passes `stopAfter` (so a
 * megabyte of words costs one early-exit scan).
 */
export function countWords(text: string, stopAfter = Number.POSITIVE_INFINITY): number {
  assertString(text, 'text');
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 || c === 0x2028;
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      if (++words > stopAfter) return words;
    }
  }
  return words;
}

export interface LengthWindowOptions {
  /** Fewer words than this is truncation: the multiplier is words / minWords. */
  minWords: number;
  /**
   * More words than this is padding: the multiplier falls linearly from 1 at maxWords to 0 at
   * 2 × maxWords (and stays 0 beyond).
   */
  maxWords: number;
}

/** A length multiplier in [0, 1]: 1 inside [minWords, maxWords], lower outside (see options). */
export function lengthWindow(pred: string, options: LengthWindowOptions): number {
  assertString(pred, 'pred');
  const { minWords, maxWords } = options ?? ({} as LengthWindowOptions);
  if (!Number.isSafeInteger(minWords) || minWords < 0) {
    throw invalidArgument('minWords', `must be an integer ≥ 0, got ${String(minWords)}`);
  }
  if (!Number.isSafeInteger(maxWords) || maxWords < Math.max(1, minWords)) {
    throw invalidArgument(
      'maxWords',
      `must be an integer ≥ max(1, minWords), got ${String(maxWords)}`,
    );
  }
  const words = countWords(pred, 2 * maxWords);
  if (words < minWords) return words / minWords;
  if (words <= maxWords) return 1;
  return Math.max(0, 1 - (words - maxWords) / maxWords);
}

/** Whether `needle` occurs as a contiguous run inside `hay` (both token lists; empty → false). */
export function containsRun(hay: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0 || needle.length > hay.length) return false;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
