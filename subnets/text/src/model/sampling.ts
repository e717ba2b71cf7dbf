import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { TextSubnetError } from '../errors.js';
import type { ReferenceModel } from './ngram.js';
import { EOS_ID } from './tokenizer.js';

// ---------------------------------------------------------------------------------------------
// Seeded uniforms

const DOMAIN = utf8ToBytes('subnetkit/text/sample/v1');

/**
 * The uniform draw for generation step `index` (0-based position in the completion):
 * `h = sha256("subnetkit/text/sample/v1" ‖ seed ‖ u32be(index))`, then the first 8 bytes of `h`
 * as a big-endian u64 shifted right by 11, divided by 2^53: a float64 in [0, 1) with 53
 * random bits. Every step has its own draw, whether or not it uses it.
 */
export function seededUniform(seed: Uint8Array, index: number): number {
  return createUniforms(seed)(index);
}

/** {@link seededUniform} for one seed, reusing its buffer. */
export function createUniforms(seed: Uint8Array): (index: number) => number {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new TextSubnetError('INVALID_ARGUMENT', 'seed must be 32 bytes', { field: 'seed' });
  }
  const buf = new Uint8Array(DOMAIN.length + 32 + 4);
  buf.set(DOMAIN, 0);
  buf.set(seed, DOMAIN.length);
  const at = DOMAIN.length + 32;
  const view = new DataView(buf.buffer);
  return (index) => {
    if (!Number.isInteger(index) || index < 0 || index > 0xffffffff) {
      throw new TextSubnetError('INVALID_ARGUMENT', 'index must be a u32', { field: 'index' });
    }
    view.setUint32(at, index, false);
    const h = sha256(buf);
    const hi =
      ((h[0] as number) << 24) |
      ((h[1] as number) << 16) |
      ((h[2] as number) << 8) |
      (h[3] as number);
    const lo =
      ((h[4] as number) << 24) |
      ((h[5] as number) << 16) |
      ((h[6] as number) << 8) |
      (h[7] as number);
    return ((hi >>> 0) * 2 ** 21 + (lo >>> 11)) / 2 ** 53;
  };
}

// ---------------------------------------------------------------------------------------------
// Parameters

export interface SamplingParams {
  /** 0 = greedy (argmax); otherwise > 0. Default 1. */
  readonly temperature?: number;
  /** Keep the k most probable tokens; 0 = all. Default 0. */
  readonly topK?: number;
  /** Nucleus mass in (0, 1]; 1 = off. Default 1. */
  readonly topP?: number;
  /** Completion tokens at most (the final `<eos>` counts). Default 256. */
  readonly maxTokens?: number;
}

export interface ResolvedParams {
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly maxTokens: number;
}

export function resolveParams(params: SamplingParams = {}): ResolvedParams {
  const temperature = params.temperature ?? 1;
  const topK = params.topK ?? 0;
  const topP = params.topP ?? 1;
  const maxTokens = params.maxTokens ?? 256;
  const bad = (field: string, why: string): never => {
    throw new TextSubnetError('INVALID_ARGUMENT', `${field} ${why}`, { field });
  };
  if (!Number.isFinite(temperature) || temperature < 0) bad('temperature', 'must be ≥ 0');
  if (!Number.isInteger(topK) || topK < 0) bad('topK', 'must be an integer ≥ 0');
  if (!Number.isFinite(topP) || topP <= 0 || topP > 1) bad('topP', 'must be in (0, 1]');
  if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > 0xffffffff) {
    bad('maxTokens', 'must be a positive integer');
  }
  return { temperature, topK, topP, maxTokens };
}

// ---------------------------------------------------------------------------------------------
// One sampling step

/**
 * One sampling step (the README's "Sampling" section says the same):
 * 1. rank the vocabulary by p (descending), ties by token id (ascending);
 * 2. greedy (`temperature` 0) takes the first token and draws nothing;
 * 3. top-k keeps the first `topK` tokens (all when 0 or ≥ the vocabulary);
 * 4. weights: q = p when temperature is 1, else exp((ln p − ln p_max) / temperature);
 * 5. Z = Σ q over the kept tokens, added in ascending token-id order;
 * 6. top-p (< 1) keeps the shortest rank-order prefix whose running sum of q reaches topP·Z;
 *    the mass M is that running sum; without top-p, M = Z;
 * 7. r = u · M; the token is the first kept one (rank order) whose running sum of q exceeds r,
 *    else the last kept one.
 * Returns the token, its rank and its probability p.
 */
export function sampleStep(
  model: ReferenceModel,
  context: readonly number[],
  params: ResolvedParams,
  u: number,
): { token: number; rank: number; prob: number } {
  return sampleWalk(supportWalk(model, context, params), u);
}

function sampleWalk(walk: SupportWalk, u: number): { token: number; rank: number; prob: number } {
  if (walk.greedy)
    return { token: walk.tokens[0] as number, rank: 0, prob: walk.probs[0] as number };
  const r = u * walk.mass();
  const kept = walk.kept();
  let i = 0;
  while (i < kept && walk.ensure(i) && (walk.cum[i] as number) <= r) i++;
  const at = i < kept && i < walk.tokens.length ? i : Math.min(kept, walk.tokens.length) - 1;
  return { token: walk.tokens[at] as number, rank: at, prob: walk.probs[at] as number };
}

/**
 * Whether `token` can be sampled at this step with these parameters: it lies in the support
 * left by steps 2–6 of {@link sampleStep}.
 */
export function inSupport(
  model: ReferenceModel,
  context: readonly number[],
  params: ResolvedParams,
  token: number,
): boolean {
  const walk = supportWalk(model, context, params);
  if (walk.greedy) return walk.tokens[0] === token;
  if (params.topP === 1 && walk.limit === model.vocabSize) return true;
  const kept = walk.kept();
  for (let i = 0; i < kept && walk.ensure(i); i++) if (walk.tokens[i] === token) return true;
  return false;
}

interface SupportWalk {
  readonly greedy: boolean;
  readonly limit: number;
  readonly tokens: number[];
  readonly probs: number[];
  readonly cum: number[];
  /** Reads ranks up to i (false when i is past the candidates). */
  ensure(i: number): boolean;
  /** How many ranks are kept after top-p (reads as far as needed). */
  kept(): number;
  mass(): number;
}

function supportWalk(
  model: ReferenceModel,
  context: readonly number[],
  params: ResolvedParams,
): SupportWalk {
  const { temperature, topK, topP } = params;
  const V = model.vocabSize;
  const stream = model.ranked(context);
  const tokens: number[] = [];
  const probs: number[] = [];
  const cum: number[] = [];
  if (temperature === 0) {
    stream.next();
    tokens.push(stream.token);
    probs.push(stream.prob);
    return {
      greedy: true,
      limit: 1,
      tokens,
      probs,
      cum: [1],
      ensure: (i) => i === 0,
      kept: () => 1,
      mass: () => 1,
    };
  }
  const limit = topK === 0 || topK >= V ? V : topK;
  const weight = (p: number, logMax: number) =>
    temperature === 1 ? p : Math.exp((Math.log(p) - logMax) / temperature);
  let z: number;
  let logMax: number;
  let qOf: (i: number) => number;
  let running = 0;
  if (limit < V) {
    while (tokens.length < limit && stream.next()) {
      tokens.push(stream.token);
      probs.push(stream.prob);
    }
    logMax = Math.log(probs[0] as number);
    const q = probs.map((p) => weight(p, logMax));
    const byId = tokens
      .map((_, i) => i)
      .sort((a, b) => (tokens[a] as number) - (tokens[b] as number));
    z = 0;
    for (const i of byId) z += q[i] as number;
    qOf = (i) => q[i] as number;
  } else {
    // The whole vocabulary: Z from the dense distribution (id order), ranks read lazily.
    const dense = model.distribution(context);
    let max = 0;
    for (const p of dense) if (p > max) max = p;
    logMax = Math.log(max);
    const q = temperature === 1 ? dense : dense.map((p) => weight(p, logMax));
    z = 0;
    for (const x of q) z += x;
    qOf = (i) => q[tokens[i] as number] as number;
  }
  const ensure = (i: number): boolean => {
    while (cum.length <= i) {
      if (cum.length >= tokens.length) {
        if (tokens.length >= limit || !stream.next()) return false;
        tokens.push(stream.token);
        probs.push(stream.prob);
      }
      running += qOf(cum.length);
      cum.push(running);
    }
    return true;
  };
  let keptCount = -1;
  const kept = (): number => {
    if (keptCount >= 0) return keptCount;
    if (topP === 1) {
      keptCount = limit;
      return keptCount;
    }
    const target = topP * z;
    let i = 0;
    while (ensure(i) && (cum[i] as number) < target) i++;
    keptCount = Math.min(i + 1, cum.length);
    return keptCount;
  };
  const mass = () => (topP === 1 ? z : (cum[kept() - 1] as number));
  return { greedy: false, limit, tokens, probs, cum, ensure, kept, mass };
}

// ---------------------------------------------------------------------------------------------
// Prompts

export interface ChatMessage {
  readonly role: string;
  readonly content: string;
}

/** A prompt: text, chat messages (roles are not encoded), or token ids. */
export type PromptInput =
  | string
  | { readonly messages: readonly ChatMessage[] }
  | { readonly tokens: readonly number[] };

/**
 * The prompt's token ids (what usage counts as prompt tokens): a string is `encode(text)`;
 * messages are each message's `encode(content)` followed by `<eos>` (the reply is the next
 * passage); ids are taken as they are (checked to be in the vocabulary).
 */
export function promptTokens(model: ReferenceModel, prompt: PromptInput): number[] {
  if (typeof prompt === 'string') return model.tokenizer.encode(prompt);
  if (prompt !== null && typeof prompt === 'object' && 'messages' in prompt) {
    if (!Array.isArray(prompt.messages)) {
      throw new TextSubnetError('INVALID_ARGUMENT', 'messages must be an array', {
        field: 'messages',
      });
    }
    const out: number[] = [];
    for (const m of prompt.messages) {
      if (typeof m?.content !== 'string') {
        throw new TextSubnetError('INVALID_ARGUMENT', 'each message needs a string content', {
          field: 'messages',
        });
      }
      out.push(...model.tokenizer.encode(m.content), EOS_ID);
    }
    return out;
  }
  if (
    prompt !== null &&
    typeof prompt === 'object' &&
    'tokens' in prompt &&
    Array.isArray(prompt.tokens)
  ) {
    for (const t of prompt.tokens) {
      if (!Number.isInteger(t) || t < 0 || t >= model.vocabSize) {
        throw new TextSubnetError(
          'INVALID_ARGUMENT',
          `prompt token ${t} is outside the vocabulary`,
          {
            field: 'prompt',
          },
        );
      }
    }
    return [...prompt.tokens];
  }
  throw new TextSubnetError('INVALID_ARGUMENT', 'prompt must be text, { messages } or { tokens }', {
    field: 'prompt',
  });
}

/** The model's context for a prompt: `<eos>` (as BOS), then the prompt tokens. */
export function promptContext(model: ReferenceModel, prompt: PromptInput): number[] {
  return [EOS_ID, ...promptTokens(model, prompt)];
}

// ---------------------------------------------------------------------------------------------
// Generation

export interface GenerateOptions extends SamplingParams {
  readonly model: ReferenceModel;
  readonly prompt: PromptInput;
  /** 32 bytes: step i draws {@link seededUniform}(seed, i). */
  readonly seed: Uint8Array;
  /** How many top logprobs each token carries (0–64); default 5. */
  readonly logprobs?: number;
}

export interface TopLogprob {
  readonly token: number;
  readonly logprob: number;
}

export interface GeneratedToken {
  /** 0-based position in the completion. */
  readonly index: number;
  readonly token: number;
  /** What this token adds to the completion's text (`''` for the final `<eos>`). */
  readonly text: string;
  /** ln p(token | context) under the model (before temperature, top-k, top-p). */
  readonly logprob: number;
  /** The model's top tokens at this step (same log space), rank order. */
  readonly top: readonly TopLogprob[];
}

export type FinishReason = 'stop' | 'length';

export interface Generation {
  readonly tokens: number[];
  readonly text: string;
  readonly steps: GeneratedToken[];
  readonly finishReason: FinishReason;
  readonly usage: { promptTokens: number; completionTokens: number; totalTokens: number };
}

function checkLogprobs(n: number | undefined): number {
  const k = n ?? 5;
  if (!Number.isInteger(k) || k < 0 || k > 64) {
    throw new TextSubnetError('INVALID_ARGUMENT', 'logprobs must be an integer in [0, 64]', {
      field: 'logprobs',
    });
  }
  return k;
}

/**
 * Samples a completion token by token, reproducibly from the seed: the same options give the
 * same tokens, logprobs and text, byte for byte. Ends after `<eos>` (yielded, `text` `''`) or
 * after `maxTokens` tokens.
 */
export function* generate(options: GenerateOptions): Generator<GeneratedToken, Generation, void> {
  const { model } = options;
  const params = resolveParams(options);
  const nTop = checkLogprobs(options.logprobs);
  const uniform = createUniforms(options.seed);
  const prompt = promptTokens(model, options.prompt);
  const context = [EOS_ID, ...prompt];
  const tokens: number[] = [];
  const steps: GeneratedToken[] = [];
  let text = '';
  let prevVisible: number | undefined;
  let finishReason: FinishReason = 'length';
  for (let index = 0; index < params.maxTokens; index++) {
    const walk = supportWalk(model, context, params);
    const { token, prob } = sampleWalk(walk, params.temperature === 0 ? 0 : uniform(index));
    // The top logprobs: the ranks the step already read when there are enough of them.
    let top: TopLogprob[] = [];
    if (nTop > 0 && walk.tokens.length >= nTop) {
      top = walk.tokens
        .slice(0, nTop)
        .map((t, i) => ({ token: t, logprob: Math.log(walk.probs[i] as number) }));
    } else if (nTop > 0) {
      top = model.topK(context, nTop).map((t) => ({ token: t.token, logprob: t.logprob }));
    }
    const piece = token === EOS_ID ? '' : model.tokenizer.piece(prevVisible, token);
    const step: GeneratedToken = {
      index,
      token,
      text: piece,
      logprob: Math.log(prob),
      top,
    };
    if (token !== EOS_ID) prevVisible = token;
    text += piece;
    tokens.push(token);
    steps.push(step);
    context.push(token);
    yield step;
    if (token === EOS_ID) {
      finishReason = 'stop';
      break;
    }
  }
  return {
    tokens,
    text,
    steps,
    finishReason,
    usage: {
      promptTokens: prompt.length,
      completionTokens: tokens.length,
      totalTokens: prompt.length + tokens.length,
    },
  };
}

/** Runs {@link generate} to the end. */
export function regenerate(options: GenerateOptions): Generation {
  const it = generate(options);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

export interface RegenerationCheck {
  /** The tokens equal the seeded regeneration exactly (same tokens, same length). */
  readonly match: boolean;
  /** First position that differs (−1 when they match); `tokens.length` when only the expected one goes on. */
  readonly firstMismatch: number;
  /** The token the seed gives at `firstMismatch` (undefined when the miner's output is longer or matches). */
  readonly expected: number | undefined;
}

/**
 * Checks that `tokens` is exactly the seeded regeneration, in one teacher-forced pass: at each
 * position the step is sampled from the miner's own prefix, so the first mismatch is found
 * without generating past it.
 */
export function checkRegeneration(options: {
  readonly model: ReferenceModel;
  readonly prompt: PromptInput;
  readonly seed: Uint8Array;
  readonly params?: SamplingParams;
  readonly tokens: readonly number[];
}): RegenerationCheck {
  const { model, tokens } = options;
  const params = resolveParams(options.params);
  const uniform = createUniforms(options.seed);
  const context = promptContext(model, options.prompt);
  for (let index = 0; index < params.maxTokens; index++) {
    const expected = sampleStep(
      model,
      context,
      params,
      params.temperature === 0 ? 0 : uniform(index),
    ).token;
    if (index >= tokens.length || tokens[index] !== expected) {
      return { match: false, firstMismatch: index, expected };
    }
    if (expected === EOS_ID) {
      return tokens.length === index + 1
        ? { match: true, firstMismatch: -1, expected: undefined }
        : { match: false, firstMismatch: index + 1, expected: undefined };
    }
    context.push(expected);
  }
  return tokens.length === params.maxTokens
    ? { match: true, firstMismatch: -1, expected: undefined }
    : { match: false, firstMismatch: params.maxTokens, expected: undefined };
}
