import { ScoringError } from './errors.js';

// ---------------------------------------------------------------------------------------------
// Latency multipliers
// ---------------------------------------------------------------------------------------------

/** Shape of the latency penalty between `targetMs` and `maxMs`. */
export type LatencyCurve = 'linear' | 'exponential' | 'power';

export interface LatencyOptions {
  /** At or below this latency the multiplier is 1. */
  targetMs: number;
  /** At or above this latency the multiplier is `floor`. */
  maxMs: number;
  /** Smallest multiplier, in [0, 1] (a slow but correct answer still earns this share). */
  floor: number;
  /** Default `linear`. */
  curve?: LatencyCurve;
  /** `exponential`: decay rate (default 3); `power`: exponent on the remaining share (default 2). */
  steepness?: number;
}

/**
 * Multiplier in [floor, 1] for an answer that took `latencyMs`. Monotone non-increasing.
 * With t = (latency − target)/(max − target) clamped to [0, 1]:
 * - linear: 1 − t;  exponential: (e^{−k·t} − e^{−k})/(1 − e^{−k});  power: (1 − t)^k;
 * then mapped onto [floor, 1]. Non-finite or negative latency (no answer) → `floor`.
 */
export function latencyMultiplier(latencyMs: number, options: LatencyOptions): number {
  const { targetMs, maxMs, floor } = options;
  if (!(targetMs >= 0) || !(maxMs > targetMs)) {
    throw new ScoringError(
      'OUT_OF_RANGE',
      `maxMs: need 0 <= targetMs < maxMs, got ${targetMs}, ${maxMs}`,
      { details: { field: 'maxMs' } },
    );
  }
  if (!(floor >= 0 && floor <= 1)) {
    throw new ScoringError('OUT_OF_RANGE', `floor: must be in [0, 1], got ${floor}`, {
      details: { field: 'floor' },
    });
  }
  if (!Number.isFinite(latencyMs) || latencyMs < 0) return floor;
  const t = Math.min(1, Math.max(0, (latencyMs - targetMs) / (maxMs - targetMs)));
  const curve = options.curve ?? 'linear';
  let share: number;
  if (curve === 'linear') share = 1 - t;
  else if (curve === 'exponential') {
    const k = options.steepness ?? 3;
    if (!(k > 0)) {
      throw new ScoringError('OUT_OF_RANGE', `steepness: must be > 0, got ${k}`, {
        details: { field: 'steepness' },
      });
    }
    share = (Math.exp(-k * t) - Math.exp(-k)) / (1 - Math.exp(-k));
  } else if (curve === 'power') {
    const k = options.steepness ?? 2;
    if (!(k > 0)) {
      throw new ScoringError('OUT_OF_RANGE', `steepness: must be > 0, got ${k}`, {
        details: { field: 'steepness' },
      });
    }
    share = (1 - t) ** k;
  } else {
    throw new ScoringError('INVALID_ARGUMENT', `curve: unknown curve ${String(curve)}`, {
      details: { field: 'curve' },
    });
  }
  return floor + (1 - floor) * share;
}

// ---------------------------------------------------------------------------------------------
// Credibility
// ---------------------------------------------------------------------------------------------

export interface CredibilityOptions {
  /** EMA weight of the newest outcome, in (0, 1]. */
  alpha: number;
  /** Exponent applied when the credibility is used as a multiplier (≥ 1 punishes flakiness). */
  exponent: number;
  /** Starting credibility in [0, 1] (default 0: trust is earned). */
  initial?: number;
}

/**
 * Credibility = EMA of "the miner's answer verified as correct" (1) vs "failed" (0);
 * unverifiable outcomes (`null`) leave it unchanged. `multiplier()` = credibility^exponent.
 */
export interface CredibilityTracker {
  update(uid: number, outcome: boolean | null): number;
  credibility(uid: number): number;
  multiplier(uid: number): number;
  reset(uid: number): void;
  toJSON(): { values: Record<number, number> };
}

/** One credibility step: `α·outcome + (1−α)·previous`; `null` outcome keeps `previous`. */
export function updateCredibility(
  previous: number,
  outcome: boolean | null,
  alpha: number,
): number {
  if (!(alpha > 0 && alpha <= 1)) {
    throw new ScoringError('OUT_OF_RANGE', `alpha: must be in (0, 1], got ${alpha}`, {
      details: { field: 'alpha' },
    });
  }
  if (outcome === null) return previous;
  return alpha * (outcome ? 1 : 0) + (1 - alpha) * previous;
}

/** `credibility^exponent`, clamped to [0, 1]. */
export function credibilityMultiplier(credibility: number, exponent: number): number {
  if (!(exponent > 0) || !Number.isFinite(exponent)) {
    throw new ScoringError(
      'OUT_OF_RANGE',
      `exponent: must be a finite number > 0, got ${exponent}`,
      { details: { field: 'exponent' } },
    );
  }
  const c = Math.min(1, Math.max(0, credibility));
  return c ** exponent;
}

/** Creates a per-uid {@link CredibilityTracker}. */
export function createCredibilityTracker(
  options: CredibilityOptions,
  state?: { values: Record<number, number> },
): CredibilityTracker {
  updateCredibility(0, null, options.alpha); // validates alpha
  credibilityMultiplier(0, options.exponent); // validates exponent
  const initial = options.initial ?? 0;
  if (!(initial >= 0 && initial <= 1)) {
    throw new ScoringError('OUT_OF_RANGE', `initial: must be in [0, 1], got ${initial}`, {
      details: { field: 'initial' },
    });
  }
  const values = new Map<number, number>(
    Object.entries(state?.values ?? {}).map(([k, v]) => [Number(k), v]),
  );
  const get = (uid: number) => values.get(uid) ?? initial;
  return {
    update(uid, outcome) {
      const next = updateCredibility(get(uid), outcome, options.alpha);
      values.set(uid, next);
      return next;
    },
    credibility: get,
    multiplier: (uid) => credibilityMultiplier(get(uid), options.exponent),
    reset(uid) {
      values.delete(uid);
    },
    toJSON: () => ({ values: Object.fromEntries(values) }),
  };
}

// ---------------------------------------------------------------------------------------------
// Copy detection
// ---------------------------------------------------------------------------------------------

/** One miner answer to compare. */
export interface MinerOutput {
  uid: number;
  /** Task seed; answers to the same seed may legitimately be identical and are not compared. */
  seed?: string | number;
  /** Text, or a numeric vector (embedding, image hash bits, …). */
  output: string | ArrayLike<number>;
}

export interface CopyDetectionOptions {
  /** Similarity at or above which two answers count as near-identical (default 0.9). */
  threshold?: number;
  /** Character n-gram size for text similarity (default 3). */
  shingle?: number;
}

export interface CopyPair {
  a: number;
  b: number;
  uidA: number;
  uidB: number;
  similarity: number;
  kind: 'identical' | 'near-identical';
}

export interface CopyReport {
  pairs: CopyPair[];
  /** uids involved in at least one flagged pair. */
  flagged: Set<number>;
}

/**
 * Pairwise copy detection: flags answers from *different* miners to *different* seeds that are
 * identical (after whitespace/case normalisation for text, exact for vectors) or near-identical
 * (Jaccard similarity of character n-grams for text, cosine similarity for vectors ≥ threshold).
 * Exact duplicates are found by hashing in O(n); near-duplicates by comparing all pairs.
 */
export function detectCopies(
  outputs: ReadonlyArray<MinerOutput>,
  options: CopyDetectionOptions = {},
): CopyReport {
  const threshold = options.threshold ?? 0.9;
  const k = options.shingle ?? 3;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new ScoringError('OUT_OF_RANGE', `threshold: must be in (0, 1], got ${threshold}`, {
      details: { field: 'threshold' },
    });
  }
  if (!Number.isInteger(k) || k < 1) {
    throw new ScoringError('OUT_OF_RANGE', `shingle: must be an integer >= 1, got ${k}`, {
      details: { field: 'shingle' },
    });
  }
  const norm = outputs.map((o, i) => {
    if (typeof o.output === 'string') {
      const text = o.output.toLowerCase().replace(/\s+/g, ' ').trim();
      return {
        text,
        key: `t:${text}`,
        shingles: shingles(text, k),
        vec: null as Float64Array | null,
      };
    }
    const vec = Float64Array.from(o.output);
    for (let j = 0; j < vec.length; j++) {
      if (!Number.isFinite(vec[j]!)) {
        throw new ScoringError('INVALID_NUMBER', `outputs[${i}].output[${j}]: must be finite`, {
          details: { field: `outputs[${i}].output[${j}]` },
        });
      }
    }
    return { text: null, key: `v:${Array.from(vec).join(',')}`, shingles: null, vec };
  });
  const distinct = (i: number, j: number) => {
    const a = outputs[i]!;
    const b = outputs[j]!;
    if (a.uid === b.uid) return false;
    return a.seed === undefined || b.seed === undefined || a.seed !== b.seed;
  };
  const pairs: CopyPair[] = [];
  const seen = new Set<string>();
  const add = (i: number, j: number, similarity: number, kind: CopyPair['kind']) => {
    const key = `${i}:${j}`;
    if (seen.has(key)) return;
    seen.add(key);
    pairs.push({ a: i, b: j, uidA: outputs[i]!.uid, uidB: outputs[j]!.uid, similarity, kind });
  };
  // exact duplicates
  const groups = new Map<string, number[]>();
  norm.forEach((n, i) => {
    const g = groups.get(n.key);
    if (g) g.push(i);
    else groups.set(n.key, [i]);
  });
  for (const g of groups.values()) {
    for (let x = 0; x < g.length; x++) {
      for (let y = x + 1; y < g.length; y++)
        if (distinct(g[x]!, g[y]!)) add(g[x]!, g[y]!, 1, 'identical');
    }
  }
  // near duplicates
  for (let i = 0; i < norm.length; i++) {
    for (let j = i + 1; j < norm.length; j++) {
      if (!distinct(i, j) || norm[i]!.key === norm[j]!.key) continue;
      const a = norm[i]!;
      const b = norm[j]!;
      let sim = 0;
      if (a.shingles && b.shingles) sim = jaccard(a.shingles, b.shingles);
      else if (a.vec && b.vec && a.vec.length === b.vec.length) sim = cosine(a.vec, b.vec);
      if (sim >= threshold) add(i, j, sim, 'near-identical');
    }
  }
  const flagged = new Set<number>();
  for (const p of pairs) {
    flagged.add(p.uidA);
    flagged.add(p.uidB);
  }
  return { pairs, flagged };
}

function shingles(text: string, k: number): Set<string> {
  const s = new Set<string>();
  if (text.length <= k) {
    s.add(text);
    return s;
  }
  for (let i = 0; i + k <= text.length; i++) s.add(text.slice(i, i + k));
  return s;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const x of small) if (large.has(x)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 1 : inter / union;
}

function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  if (na === 0 || nb === 0) return na === nb ? 1 : 0;
  return dot / Math.sqrt(na * nb);
}
