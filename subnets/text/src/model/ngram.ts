import { createHash } from 'node:crypto';
import { TextSubnetError } from '../errors.js';
import type { ReferenceCorpus } from './corpus.js';
import {
  buildVocab,
  createTokenizer,
  EOS_ID,
  pretokenize,
  type Tokenizer,
  UNK_ID,
} from './tokenizer.js';

/**
 * Bumped whenever the build (corpus selection, tokenizer, passage rule, counting) or the
 * serialized format changes: an artifact of another version is rebuilt, never trusted.
 */
export const MODEL_FORMAT_VERSION = 1;

export interface BuildOptions {
  /** n-gram order (2–4); default 4. */
  readonly order?: number;
  /** Vocabulary size including `<unk>` and `<eos>` (16–8192); default 8192. */
  readonly vocabSize?: number;
  /** A passage ends (`<eos>`) after the first `.`, `?` or `!` once it has this many tokens; default 200. */
  readonly passageMinTokens?: number;
}

export const DEFAULT_ORDER = 4;
export const DEFAULT_VOCAB_SIZE = 8192;
export const DEFAULT_PASSAGE_MIN_TOKENS = 200;

/** What the artifact's header says about how the model was made. */
export interface ModelInfo {
  readonly format: number;
  readonly order: number;
  readonly vocabSize: number;
  readonly passageMinTokens: number;
  readonly corpus: {
    readonly source: string;
    readonly license: string;
    readonly sha256: string;
    readonly documents: number;
  };
  /** Tokens in the training stream, `<eos>` included. */
  readonly trainingTokens: number;
}

/**
 * One order of the model: for each context (the n−1 previous tokens, as a base-V number, most
 * significant = oldest), its continuations sorted by token id with their counts (raw counts at
 * the highest order, continuation counts — distinct left neighbours — below it).
 */
interface Level {
  readonly n: number;
  readonly ctxKeys: Float64Array;
  readonly ctxStart: Uint32Array;
  readonly words: Uint16Array;
  readonly counts: Uint32Array;
  /** Derived: modified Kneser–Ney discounts D1, D2, D3+. */
  discounts: [number, number, number];
  /** Derived: (count − D(count)) / S(context) per entry. */
  alpha: Float64Array;
  /** Derived: backoff weight (D1·N1 + D2·N2 + D3·N3+) / S(context) per context. */
  gamma: Float64Array;
  /** Lazy, per context: the probability p_n(word | context) of each entry. */
  prob: Float64Array;
  /** Lazy, per context: entry indices sorted by probability descending, then id ascending. */
  sorted: Uint32Array;
  ready: Uint8Array;
}

/** A token and its probability under the model. */
export interface TokenProb {
  readonly token: number;
  readonly prob: number;
  readonly logprob: number;
}

/**
 * A lazy iterator over the whole vocabulary in the model's order for one context:
 * probability descending, ties by token id ascending.
 */
export interface RankedStream {
  /** Moves to the next token; false when the vocabulary is exhausted. */
  next(): boolean;
  /** The current token (after a `next()` that returned true). */
  readonly token: number;
  readonly prob: number;
}

export interface ReferenceModel {
  readonly info: ModelInfo;
  readonly order: number;
  readonly vocabSize: number;
  readonly tokenizer: Tokenizer;
  /** sha256 (hex) of {@link ReferenceModel.serialize}'s bytes. */
  readonly versionHash: string;
  /** Bytes of the serialized model (cached). */
  serialize(): Uint8Array;
  /** p(token | context); `context` is the whole history, `<eos>` first (only the last order−1 ids count). */
  probability(context: readonly number[], token: number): number;
  /** ln p(token | context). */
  logprob(context: readonly number[], token: number): number;
  /** The exact next-token distribution, indexed by token id (sums to 1 within 1e-12). */
  distribution(context: readonly number[]): Float64Array;
  /** The `k` most probable next tokens (probability descending, ties by id ascending). */
  topK(context: readonly number[], k: number): TokenProb[];
  /** 0-based rank of `token` in the model's order for `context`, or −1 when its rank is ≥ `limit`. */
  rank(context: readonly number[], token: number, limit: number): number;
  /** A lazy ranked iterator over the vocabulary for `context`. */
  ranked(context: readonly number[]): RankedStream;
  /** The context resolved once, for several queries on it. */
  at(context: readonly number[]): ContextView;
  /**
   * Sorts every context's continuations now instead of on first use (a validator can call it
   * at start-up so its first audits cost what later ones do).
   */
  precompute(): void;
}

/** One resolved context: cheaper than asking the model several times. */
export interface ContextView {
  probability(token: number): number;
  ranked(): RankedStream;
}

// ---------------------------------------------------------------------------------------------
// Build

function checkOptions(options: BuildOptions) {
  const order = options.order ?? DEFAULT_ORDER;
  const vocabSize = options.vocabSize ?? DEFAULT_VOCAB_SIZE;
  const passageMinTokens = options.passageMinTokens ?? DEFAULT_PASSAGE_MIN_TOKENS;
  if (!Number.isInteger(order) || order < 2 || order > 4) {
    throw new TextSubnetError('INVALID_ARGUMENT', 'order must be an integer in [2, 4]', {
      field: 'order',
    });
  }
  if (!Number.isInteger(vocabSize) || vocabSize < 16 || vocabSize > 8192) {
    throw new TextSubnetError('INVALID_ARGUMENT', 'vocabSize must be an integer in [16, 8192]', {
      field: 'vocabSize',
    });
  }
  if (!Number.isInteger(passageMinTokens) || passageMinTokens < 1) {
    throw new TextSubnetError('INVALID_ARGUMENT', 'passageMinTokens must be a positive integer', {
      field: 'passageMinTokens',
    });
  }
  return { order, vocabSize, passageMinTokens };
}

/**
 * The training stream: `<eos>`, then each document's tokens, split into passages — a passage
 * ends with `<eos>` after the first `.`, `?` or `!` once it holds `passageMinTokens` tokens, and
 * at the end of its document.
 */
export function trainingStream(
  corpus: ReferenceCorpus,
  tokenizer: Tokenizer,
  passageMinTokens: number,
): Uint16Array {
  const ends = new Set(['.', '?', '!'].map((t) => tokenizer.idOf(t)).filter((id) => id !== UNK_ID));
  const out: number[] = [EOS_ID];
  for (const doc of corpus.documents) {
    let inPassage = 0;
    for (const id of tokenizer.encode(doc.text)) {
      out.push(id);
      if (id === EOS_ID) {
        inPassage = 0;
        continue;
      }
      inPassage += 1;
      if (ends.has(id) && inPassage >= passageMinTokens) {
        out.push(EOS_ID);
        inPassage = 0;
      }
    }
    if (out[out.length - 1] !== EOS_ID) out.push(EOS_ID);
  }
  return Uint16Array.from(out);
}

interface RawLevel {
  ctxKeys: Float64Array;
  ctxStart: Uint32Array;
  words: Uint16Array;
  counts: Uint32Array;
}

/** Distinct values of a sorted array and how often each occurs. */
function countRuns(sorted: Float64Array): { keys: Float64Array; counts: Uint32Array } {
  const keys: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    const v = sorted[i] as number;
    let j = i + 1;
    while (j < sorted.length && sorted[j] === v) j++;
    keys.push(v);
    counts.push(j - i);
    i = j;
  }
  return { keys: Float64Array.from(keys), counts: Uint32Array.from(counts) };
}

/** Groups sorted n-gram keys (context·V + word) with their counts into a level. */
function groupLevel(keys: Float64Array, keyCounts: Uint32Array, V: number): RawLevel {
  const words = new Uint16Array(keys.length);
  const counts = new Uint32Array(keys.length);
  const ctx: number[] = [];
  const start: number[] = [];
  let last = -1;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number;
    const w = key % V;
    const c = (key - w) / V;
    if (c !== last) {
      ctx.push(c);
      start.push(i);
      last = c;
    }
    words[i] = w;
    counts[i] = keyCounts[i] as number;
  }
  start.push(keys.length);
  return {
    ctxKeys: Float64Array.from(ctx),
    ctxStart: Uint32Array.from(start),
    words,
    counts,
  };
}

/**
 * Builds the reference model from a corpus, deterministically: the same corpus and options give
 * the same bytes, hence the same `versionHash`.
 */
export function buildReferenceModel(
  corpus: ReferenceCorpus,
  options: BuildOptions = {},
): ReferenceModel {
  const { order, vocabSize, passageMinTokens } = checkOptions(options);
  const tokenCounts = new Map<string, number>();
  for (const doc of corpus.documents) {
    for (const token of pretokenize(doc.text)) {
      tokenCounts.set(token, (tokenCounts.get(token) ?? 0) + 1);
    }
  }
  const vocab = buildVocab(tokenCounts, vocabSize);
  const tokenizer = createTokenizer(vocab);
  const stream = trainingStream(corpus, tokenizer, passageMinTokens);
  const V = vocab.length;

  // Highest order: raw counts of every n-gram ending at position ≥ order − 1 (sort the keys,
  // count runs).
  const all = new Float64Array(Math.max(0, stream.length - order + 1));
  for (let i = order - 1; i < stream.length; i++) {
    let key = 0;
    for (let j = i - order + 1; j <= i; j++) key = key * V + (stream[j] as number);
    all[i - order + 1] = key;
  }
  const raw: RawLevel[] = new Array(order);
  let upper = countRuns(all.sort());
  raw[order - 1] = groupLevel(upper.keys, upper.counts, V);
  // Lower orders: continuation counts = distinct left neighbours = number of (n+1)-gram types
  // with this suffix. The stream's first (n+1)-gram has no left neighbour, so it is a type
  // that is missing from the level above: add it.
  for (let n = order - 1; n >= 1; n--) {
    const modulus = V ** n;
    let first = 0;
    for (let j = 0; j <= n; j++) first = first * V + (stream[j] ?? EOS_ID);
    const extra = stream.length > n && !binaryHas(upper.keys, first);
    const suffixes = new Float64Array(upper.keys.length + (extra ? 1 : 0));
    for (let i = 0; i < upper.keys.length; i++) suffixes[i] = (upper.keys[i] as number) % modulus;
    if (extra) suffixes[upper.keys.length] = first % modulus;
    upper = countRuns(suffixes.sort());
    raw[n - 1] = groupLevel(upper.keys, upper.counts, V);
  }
  const info: ModelInfo = {
    format: MODEL_FORMAT_VERSION,
    order,
    vocabSize: V,
    passageMinTokens,
    corpus: {
      source: corpus.source,
      license: corpus.license,
      sha256: corpus.sha256,
      documents: corpus.documents.length,
    },
    trainingTokens: stream.length,
  };
  return createModel(info, vocab, raw);
}

function binaryHas(keys: Float64Array, key: number): boolean {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = keys[mid] as number;
    if (v === key) return true;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Serialization: "SNKTLM01", u32 header length, header JSON (info + vocab), then per order
// 1..N: u32 contexts, u32 entries, f64 context keys, u32 context starts (contexts + 1),
// u16 words, u32 counts. Little-endian throughout.

const MAGIC = 'SNKTLM01';

function serialize(info: ModelInfo, vocab: readonly string[], levels: readonly RawLevel[]) {
  const header = new TextEncoder().encode(JSON.stringify({ info, vocab }));
  let size = 8 + 4 + header.length;
  for (const l of levels) {
    size += 8 + l.ctxKeys.length * 8 + l.ctxStart.length * 4 + l.words.length * 6;
  }
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  let o = 12 + header.length;
  for (const l of levels) {
    view.setUint32(o, l.ctxKeys.length, true);
    view.setUint32(o + 4, l.words.length, true);
    o += 8;
    for (const k of l.ctxKeys) {
      view.setFloat64(o, k, true);
      o += 8;
    }
    for (const s of l.ctxStart) {
      view.setUint32(o, s, true);
      o += 4;
    }
    for (const w of l.words) {
      view.setUint16(o, w, true);
      o += 2;
    }
    for (const c of l.counts) {
      view.setUint32(o, c, true);
      o += 4;
    }
  }
  return bytes;
}

/** Reads a serialized model (the build artifact); throws `MODEL_INVALID` on anything else. */
export function deserializeReferenceModel(bytes: Uint8Array): ReferenceModel {
  const fail = (why: string, cause?: unknown): never => {
    throw new TextSubnetError('MODEL_INVALID', `not a reference model: ${why}`, {
      ...(cause === undefined ? {} : { cause }),
    });
  };
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    fail('bad magic');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  let parsed: { info: ModelInfo; vocab: string[] } | undefined;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch (cause) {
    fail('unreadable header', cause);
  }
  const { info, vocab } = parsed as { info: ModelInfo; vocab: string[] };
  if (info?.format !== MODEL_FORMAT_VERSION)
    fail(`format ${info?.format}, expected ${MODEL_FORMAT_VERSION}`);
  if (!Array.isArray(vocab) || vocab.length !== info.vocabSize) fail('vocabulary size');
  let o = 12 + headerLength;
  const levels: RawLevel[] = [];
  try {
    for (let n = 1; n <= info.order; n++) {
      const ctxCount = view.getUint32(o, true);
      const entries = view.getUint32(o + 4, true);
      o += 8;
      const ctxKeys = new Float64Array(ctxCount);
      for (let i = 0; i < ctxCount; i++, o += 8) ctxKeys[i] = view.getFloat64(o, true);
      const ctxStart = new Uint32Array(ctxCount + 1);
      for (let i = 0; i <= ctxCount; i++, o += 4) ctxStart[i] = view.getUint32(o, true);
      const words = new Uint16Array(entries);
      for (let i = 0; i < entries; i++, o += 2) words[i] = view.getUint16(o, true);
      const counts = new Uint32Array(entries);
      for (let i = 0; i < entries; i++, o += 4) counts[i] = view.getUint32(o, true);
      if (ctxStart[ctxCount] !== entries) fail(`order ${n} is inconsistent`);
      levels.push({ ctxKeys, ctxStart, words, counts });
    }
  } catch (cause) {
    if (cause instanceof TextSubnetError) throw cause;
    fail('truncated', cause);
  }
  if (o !== bytes.length) fail('trailing bytes');
  return createModel(info, vocab, levels, bytes);
}

// ---------------------------------------------------------------------------------------------
// Derived quantities and queries

/** Modified Kneser–Ney discounts from the count-of-counts (Chen & Goodman 1998). */
function discountsOf(counts: Uint32Array): [number, number, number] {
  const nk = [0, 0, 0, 0, 0];
  for (const c of counts) if (c <= 4) nk[c] = (nk[c] as number) + 1;
  const [, n1, n2, n3, n4] = nk as [number, number, number, number, number];
  const fallback: [number, number, number] = [0.5, 1, 1.5];
  if (n1 === 0 || n2 === 0 || n3 === 0 || n4 === 0) return fallback;
  const y = n1 / (n1 + 2 * n2);
  const d: [number, number, number] = [
    1 - (2 * y * n2) / n1,
    2 - (3 * y * n3) / n2,
    3 - (4 * y * n4) / n3,
  ];
  return d.map((v, i) => (Number.isFinite(v) && v > 0 && v <= i + 1 ? v : fallback[i])) as [
    number,
    number,
    number,
  ];
}

function deriveLevel(n: number, rawLevel: RawLevel): Level {
  const { ctxKeys, ctxStart, words, counts } = rawLevel;
  const discounts = discountsOf(counts);
  const [d1, d2, d3] = discounts;
  const alpha = new Float64Array(words.length);
  const gamma = new Float64Array(ctxKeys.length);
  for (let c = 0; c < ctxKeys.length; c++) {
    const from = ctxStart[c] as number;
    const to = ctxStart[c + 1] as number;
    let total = 0;
    let n1 = 0;
    let n2 = 0;
    let n3 = 0;
    for (let e = from; e < to; e++) {
      const k = counts[e] as number;
      total += k;
      if (k === 1) n1++;
      else if (k === 2) n2++;
      else n3++;
    }
    for (let e = from; e < to; e++) {
      const k = counts[e] as number;
      alpha[e] = (k - (k === 1 ? d1 : k === 2 ? d2 : d3)) / total;
    }
    gamma[c] = (d1 * n1 + d2 * n2 + d3 * n3) / total;
  }
  return {
    n,
    ctxKeys,
    ctxStart,
    words,
    counts,
    discounts,
    alpha,
    gamma,
    prob: new Float64Array(words.length),
    sorted: new Uint32Array(words.length),
    ready: new Uint8Array(ctxKeys.length),
  };
}

function findContext(level: Level, key: number): number {
  const keys = level.ctxKeys;
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = keys[mid] as number;
    if (v === key) return mid;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function findEntry(level: Level, ctx: number, word: number): number {
  const words = level.words;
  let lo = level.ctxStart[ctx] as number;
  let hi = (level.ctxStart[ctx + 1] as number) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = words[mid] as number;
    if (v === word) return mid;
    if (v < word) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** A context resolved against the model: per order 2..N, its context index (or −1 from there on). */
interface Resolved {
  /** ctx[n] for n = 2..order: the index of the context at order n, −1 when unseen. */
  readonly ctx: Int32Array;
  /** The highest order whose context is seen (1 when none is). */
  readonly depth: number;
}

function createModel(
  info: ModelInfo,
  vocab: readonly string[],
  raw: readonly RawLevel[],
  serialized?: Uint8Array,
): ReferenceModel {
  const V = vocab.length;
  const order = info.order;
  const tokenizer = createTokenizer(vocab);
  const levels: Level[] = raw.map((r, i) => deriveLevel(i + 1, r));
  const unigram = levels[0] as Level;
  // p1(w) = α1(w) + γ1 · (1/V): continuation unigram interpolated with the uniform distribution.
  const uniform = 1 / V;
  const gamma1 = unigram.gamma[0] ?? 1;
  const p1 = new Float64Array(V);
  for (let w = 0; w < V; w++) p1[w] = 0 + gamma1 * uniform;
  if (unigram.ctxKeys.length > 0) {
    for (let e = 0; e < unigram.words.length; e++) {
      const w = unigram.words[e] as number;
      p1[w] = (unigram.alpha[e] as number) + gamma1 * uniform;
    }
  }
  const order1 = Uint32Array.from({ length: V }, (_, i) => i).sort(
    (a, b) => (p1[b] as number) - (p1[a] as number) || a - b,
  );

  let bytes = serialized;
  let hash: string | undefined;
  const serializeOnce = () => {
    bytes ??= serialize(info, vocab, raw);
    return bytes;
  };

  const checkToken = (token: number, field = 'token') => {
    if (!Number.isInteger(token) || token < 0 || token >= V) {
      throw new TextSubnetError('INVALID_ARGUMENT', `${field} ${token} is outside [0, ${V})`, {
        field,
      });
    }
  };

  const powers = [1, V, V * V, V * V * V];
  const resolve = (context: readonly number[]): Resolved => {
    const ctx = new Int32Array(order + 1).fill(-1);
    let depth = 1;
    let key = 0;
    const len = context.length;
    for (let n = 2; n <= order && n - 1 <= len; n++) {
      const t = context[len - (n - 1)] as number;
      checkToken(t, 'context');
      key += t * (powers[n - 2] as number);
      const c = findContext(levels[n - 1] as Level, key);
      if (c < 0) break;
      ctx[n] = c;
      depth = n;
    }
    return { ctx, depth };
  };

  /** p_n of every entry of context `c` at order n, and their sorted order (lazy, cached). */
  const ensure = (n: number, c: number): void => {
    const level = levels[n - 1] as Level;
    if (level.ready[c] === 1) return;
    const from = level.ctxStart[c] as number;
    const to = level.ctxStart[c + 1] as number;
    const g = level.gamma[c] as number;
    const key = level.ctxKeys[c] as number;
    if (n === 2) {
      for (let e = from; e < to; e++) {
        level.prob[e] = (level.alpha[e] as number) + g * (p1[level.words[e] as number] as number);
      }
    } else {
      const lower = levels[n - 2] as Level;
      const lowerKey = key % V ** (n - 2);
      const lc = findContext(lower, lowerKey);
      if (lc < 0) throw new TextSubnetError('MODEL_INVALID', `order ${n - 1} misses a context`);
      ensure(n - 1, lc);
      for (let e = from; e < to; e++) {
        const le = findEntry(lower, lc, level.words[e] as number);
        if (le < 0) throw new TextSubnetError('MODEL_INVALID', `order ${n - 1} misses an entry`);
        level.prob[e] = (level.alpha[e] as number) + g * (lower.prob[le] as number);
      }
    }
    const idx = Array.from({ length: to - from }, (_, i) => from + i);
    const { prob, words } = level;
    idx.sort(
      (a, b) =>
        (prob[b] as number) - (prob[a] as number) || (words[a] as number) - (words[b] as number),
    );
    level.sorted.set(idx, from);
    level.ready[c] = 1;
  };

  const probability = (context: readonly number[], token: number): number =>
    probabilityAt(resolve(context), token);

  const probabilityAt = ({ ctx, depth }: Resolved, token: number): number => {
    checkToken(token);
    let p = p1[token] as number;
    for (let n = 2; n <= depth; n++) {
      const level = levels[n - 1] as Level;
      const c = ctx[n] as number;
      const e = findEntry(level, c, token);
      p = (e >= 0 ? (level.alpha[e] as number) : 0) + (level.gamma[c] as number) * p;
    }
    return p;
  };

  const ranked = (context: readonly number[]): RankedStream => rankedAt(resolve(context));
  /** Set once every context is sorted: later `precompute()` calls cost nothing. */
  let precomputed = false;

  const rankedAt = ({ ctx, depth }: Resolved): RankedStream => {
    let stream: RankedStream = new UnigramStream(p1, order1);
    for (let n = 2; n <= depth; n++) {
      const c = ctx[n] as number;
      ensure(n, c);
      stream = new LevelStream(levels[n - 1] as Level, c, stream);
    }
    return stream;
  };

  return {
    info,
    order,
    vocabSize: V,
    tokenizer,
    get versionHash() {
      hash ??= createHash('sha256').update(serializeOnce()).digest('hex');
      return hash;
    },
    serialize: serializeOnce,
    probability,
    logprob: (context, token) => Math.log(probability(context, token)),
    distribution(context) {
      const { ctx, depth } = resolve(context);
      const out = Float64Array.from(p1);
      for (let n = 2; n <= depth; n++) {
        const level = levels[n - 1] as Level;
        const c = ctx[n] as number;
        const g = level.gamma[c] as number;
        for (let w = 0; w < V; w++) out[w] = g * (out[w] as number);
        const to = level.ctxStart[c + 1] as number;
        for (let e = level.ctxStart[c] as number; e < to; e++) {
          const w = level.words[e] as number;
          out[w] = (level.alpha[e] as number) + (out[w] as number);
        }
      }
      return out;
    },
    topK(context, k) {
      if (!Number.isInteger(k) || k < 0) {
        throw new TextSubnetError('INVALID_ARGUMENT', 'k must be a non-negative integer', {
          field: 'k',
        });
      }
      const stream = ranked(context);
      const out: TokenProb[] = [];
      while (out.length < k && stream.next()) {
        out.push({ token: stream.token, prob: stream.prob, logprob: Math.log(stream.prob) });
      }
      return out;
    },
    rank(context, token, limit) {
      checkToken(token);
      const stream = ranked(context);
      for (let r = 0; r < limit && stream.next(); r++) if (stream.token === token) return r;
      return -1;
    },
    ranked,
    precompute() {
      if (precomputed) return;
      for (let n = 2; n <= order; n++) {
        const count = (levels[n - 1] as Level).ctxKeys.length;
        for (let c = 0; c < count; c++) ensure(n, c);
      }
      precomputed = true;
    },
    at(context) {
      const resolved = resolve(context);
      return {
        probability: (token) => probabilityAt(resolved, token),
        ranked: () => rankedAt(resolved),
      };
    },
  };
}

/** The unigram order: the whole vocabulary by p1. */
class UnigramStream implements RankedStream {
  token = -1;
  prob = 0;
  private i = 0;
  constructor(
    private readonly p1: Float64Array,
    private readonly order1: Uint32Array,
  ) {}
  next(): boolean {
    if (this.i >= this.order1.length) return false;
    this.token = this.order1[this.i++] as number;
    this.prob = this.p1[this.token] as number;
    return true;
  }
}

/**
 * Order n over the stream of order n−1: the context's own entries (already sorted by p_n)
 * merged with the lower stream's other tokens, whose p_n is γ·p_{n−1}. Multiplying by γ keeps
 * the order but may create ties, so the lower tokens come in groups of equal p_n sorted by id.
 */
class LevelStream implements RankedStream {
  token = -1;
  prob = 0;
  private e: number;
  private readonly end: number;
  private readonly g: number;
  /** The group of lower tokens with equal p_n, sorted by id, and the read position in it. */
  private readonly group: number[] = [];
  private groupProb = 0;
  private gi = 0;
  /** The lower stream holds one token read ahead (p_n in `aheadProb`). */
  private ahead = false;
  private aheadToken = -1;
  private aheadProb = 0;
  private lowerDone = false;

  constructor(
    private readonly level: Level,
    private readonly c: number,
    private readonly lower: RankedStream,
  ) {
    this.e = level.ctxStart[c] as number;
    this.end = level.ctxStart[c + 1] as number;
    this.g = level.gamma[c] as number;
  }

  /** The next lower token that is not one of this context's entries, with its p_n. */
  private pullLower(): boolean {
    if (this.ahead) {
      this.ahead = false;
      return true;
    }
    while (!this.lowerDone && this.lower.next()) {
      if (findEntry(this.level, this.c, this.lower.token) >= 0) continue;
      this.aheadToken = this.lower.token;
      this.aheadProb = this.g * this.lower.prob;
      return true;
    }
    this.lowerDone = true;
    return false;
  }

  private fillGroup(): boolean {
    if (this.gi < this.group.length) return true;
    if (!this.pullLower()) return false;
    this.group.length = 0;
    this.group.push(this.aheadToken);
    this.groupProb = this.aheadProb;
    this.gi = 0;
    while (this.pullLower()) {
      if (this.aheadProb !== this.groupProb) {
        this.ahead = true;
        break;
      }
      this.group.push(this.aheadToken);
    }
    if (this.group.length > 1) this.group.sort((a, b) => a - b);
    return true;
  }

  next(): boolean {
    const hasLower = this.fillGroup();
    const hasOwn = this.e < this.end;
    if (!hasOwn && !hasLower) return false;
    let takeOwn = hasOwn;
    if (hasOwn && hasLower) {
      const idx = this.level.sorted[this.e] as number;
      const p = this.level.prob[idx] as number;
      const w = this.level.words[idx] as number;
      const lw = this.group[this.gi] as number;
      takeOwn = p > this.groupProb || (p === this.groupProb && w < lw);
    }
    if (takeOwn) {
      const idx = this.level.sorted[this.e++] as number;
      this.token = this.level.words[idx] as number;
      this.prob = this.level.prob[idx] as number;
    } else {
      this.token = this.group[this.gi++] as number;
      this.prob = this.groupProb;
    }
    return true;
  }
}
