import { TextSubnetError } from '../errors.js';
import type { ReferenceModel } from './ngram.js';
import {
  type FinishReason,
  inSupport,
  type PromptInput,
  promptTokens,
  type ResolvedParams,
  resolveParams,
  type SamplingParams,
  type TopLogprob,
} from './sampling.js';
import { EOS_ID } from './tokenizer.js';

/** What the miner said about one completion token. */
export interface ClaimedLogprob {
  /** ln p of the emitted token. */
  readonly logprob?: number;
  /** Its top alternatives, as it reported them. */
  readonly top?: readonly TopLogprob[];
}

export interface ClaimedUsage {
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly totalTokens?: number;
}

export interface AuditOptions {
  readonly model: ReferenceModel;
  readonly prompt: PromptInput;
  /**
   * The miner's completion: token ids (a final `<eos>` means it stopped), or its text and
   * finish reason (`stop` appends `<eos>`; a newline in the text is an `<eos>` too).
   */
  readonly completion:
    | { readonly tokens: readonly number[] }
    | { readonly text: string; readonly finishReason: FinishReason };
  /** Per completion position (same length or shorter; `null` = nothing claimed there). */
  readonly claimedLogprobs?: readonly (ClaimedLogprob | null | undefined)[];
  readonly claimedUsage?: ClaimedUsage;
  /**
   * The request's sampling parameters. `maxTokens` bounds the completion; with `params` given,
   * each token must also lie in the sampling support (greedy: the argmax; top-k; top-p).
   */
  readonly params?: SamplingParams;
  /** A token must rank below this in the reference (default 20). */
  readonly topK?: number;
  /** |claimed − reference| logprob allowed (default 1e-6). */
  readonly logprobTolerance?: number;
  /** Continuing when p(<eos>) ≥ ratio · p(token) counts as EOS avoidance (default 100). */
  readonly eosAvoidanceRatio?: number;
  /** Ending with `<eos>` where p(<eos>) is below this is a premature end (default 1e-4). */
  readonly prematureEosProb?: number;
  /**
   * How many `outsideTopK` and `eosAvoided` positions `ok` tolerates (default 0 each): an honest
   * sampler without top-k can reach the tail, so a validator sampling with `topK` = 0 may allow some.
   */
  readonly tolerate?: { readonly outsideTopK?: number; readonly eosAvoided?: number };
}

/**
 * Offence kinds counted per position. `outsideTopK` and `eosAvoided` are statistical (see
 * `tolerate`); `eosArgmaxSkipped` is informational (an honest sampler at temperature > 0 goes
 * on past an argmax `<eos>` at times; at temperature 0 it is also `outsideSupport`); every other
 * kind is impossible for an honest sampler with the request's parameters.
 */
export type AuditOffence =
  | 'invalidToken'
  | 'outsideTopK'
  | 'outsideSupport'
  | 'logprobMismatch'
  | 'topLogprobMismatch'
  | 'eosAvoided'
  | 'eosArgmaxSkipped'
  | 'afterEos';

export const AUDIT_OFFENCES: readonly AuditOffence[] = [
  'invalidToken',
  'outsideTopK',
  'outsideSupport',
  'logprobMismatch',
  'topLogprobMismatch',
  'eosAvoided',
  'eosArgmaxSkipped',
  'afterEos',
];

export interface AuditReport {
  /**
   * No hard offence, `outsideTopK` and `eosAvoided` within `tolerate`, usage as recounted,
   * max_tokens respected, no premature end.
   */
  readonly ok: boolean;
  /** Every audited completion token, `<eos>` included. */
  readonly tokens: readonly number[];
  /** Per offence: how many positions, and the first few positions (ascending). */
  readonly counts: Readonly<Record<AuditOffence, number>>;
  readonly first: Readonly<Record<AuditOffence, readonly number[]>>;
  /** Per position: the token's rank in the reference (−1 when ≥ topK or not audited). */
  readonly ranks: Int32Array;
  /** Per position: the reference ln p of the emitted token. */
  readonly logprobs: Float64Array;
  /** Per position: the reference ln p(<eos>). */
  readonly eosLogprobs: Float64Array;
  readonly usage: { promptTokens: number; completionTokens: number; totalTokens: number };
  /** The claimed usage fields that differ from the recount. */
  readonly usageMismatch: readonly (keyof ClaimedUsage)[];
  readonly maxTokens: number;
  readonly maxTokensExceeded: boolean;
  readonly finishReason: FinishReason;
  /**
   * `eos-unlikely`: ended with `<eos>` where p(<eos>) < prematureEosProb or `<eos>` was not in the
   * sampling support; `stopped-early`: no `<eos>` before max_tokens.
   */
  readonly prematureEnd: 'eos-unlikely' | 'stopped-early' | null;
  /** How many offending positions `first` keeps per kind. */
  readonly firstLimit: number;
}

const FIRST_LIMIT = 8;

/** The kinds an honest sampler with the request's parameters never produces. */
export const HARD_OFFENCES: readonly AuditOffence[] = [
  'invalidToken',
  'outsideSupport',
  'logprobMismatch',
  'topLogprobMismatch',
  'afterEos',
];

function positiveNumber(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) {
    throw new TextSubnetError('INVALID_ARGUMENT', `${field} must be a finite number ≥ 0`, {
      field,
    });
  }
  return v;
}

/**
 * The validator's one-pass audit of a streamed completion against the reference model: per
 * token, its reference rank (top-k membership), reference logprob against the claimed one,
 * sampling support, EOS avoidance; then usage recount, max_tokens and how it ended.
 */
export function auditOutput(options: AuditOptions): AuditReport {
  const { model } = options;
  const V = model.vocabSize;
  const auditK = options.topK ?? 20;
  if (!Number.isInteger(auditK) || auditK < 1) {
    throw new TextSubnetError('INVALID_ARGUMENT', 'topK must be a positive integer', {
      field: 'topK',
    });
  }
  const tolerance = positiveNumber(options.logprobTolerance, 1e-6, 'logprobTolerance');
  const eosRatio = positiveNumber(options.eosAvoidanceRatio, 100, 'eosAvoidanceRatio');
  const prematureEosProb = positiveNumber(options.prematureEosProb, 1e-4, 'prematureEosProb');
  const params: ResolvedParams | undefined =
    options.params === undefined ? undefined : resolveParams(options.params);
  const maxTokens = params?.maxTokens ?? resolveParams({}).maxTokens;
  const prompt = promptTokens(model, options.prompt);

  let tokens: readonly number[];
  const completion = options.completion as {
    tokens?: unknown;
    text?: unknown;
    finishReason?: unknown;
  };
  if (Array.isArray(completion.tokens)) {
    tokens = completion.tokens as number[];
  } else if (
    typeof completion.text === 'string' &&
    (completion.finishReason === 'stop' || completion.finishReason === 'length')
  ) {
    tokens = model.tokenizer.encode(completion.text);
    if (completion.finishReason === 'stop') tokens = [...tokens, EOS_ID];
  } else {
    throw new TextSubnetError(
      'INVALID_ARGUMENT',
      'completion must be { tokens } or { text, finishReason: "stop" | "length" }',
      { field: 'completion' },
    );
  }
  const claimed = options.claimedLogprobs ?? [];

  const counts = Object.fromEntries(AUDIT_OFFENCES.map((k) => [k, 0])) as Record<
    AuditOffence,
    number
  >;
  const first = Object.fromEntries(AUDIT_OFFENCES.map((k) => [k, [] as number[]])) as Record<
    AuditOffence,
    number[]
  >;
  const flag = (kind: AuditOffence, position: number) => {
    counts[kind] += 1;
    if (first[kind].length < FIRST_LIMIT) first[kind].push(position);
  };

  const n = tokens.length;
  const ranks = new Int32Array(n).fill(-1);
  const logprobs = new Float64Array(n).fill(Number.NaN);
  const eosLogprobs = new Float64Array(n).fill(Number.NaN);
  const context: number[] = [EOS_ID, ...prompt];
  const topTokens: number[] = [];
  const topProbs: number[] = [];
  let eosSeen = false;
  let lastEosProb = Number.NaN;
  let lastEosInSupport = true;

  // Positions past max_tokens are not audited (the answer fails anyway): a flood of tokens
  // costs the validator no more than a full-length answer.
  const audited = Math.min(n, maxTokens);
  for (let i = 0; i < audited; i++) {
    const token = tokens[i] as number;
    if (!Number.isInteger(token) || token < 0 || token >= V) {
      flag('invalidToken', i);
      break;
    }
    if (eosSeen) flag('afterEos', i);
    const view = model.at(context);
    const stream = view.ranked();
    const claim = claimed[i] ?? undefined;
    const needList = claim?.top !== undefined && claim.top.length > 0;
    topTokens.length = 0;
    topProbs.length = 0;
    let rank = -1;
    let pToken = Number.NaN;
    let pEos = Number.NaN;
    let argmax = -1;
    let missing = needList ? (claim?.top?.length ?? 0) : 0;
    for (let r = 0; r < auditK && stream.next(); r++) {
      if (r === 0) argmax = stream.token;
      if (stream.token === EOS_ID) pEos = stream.prob;
      if (stream.token === token) {
        rank = r;
        pToken = stream.prob;
      }
      if (needList) {
        topTokens.push(stream.token);
        topProbs.push(stream.prob);
        for (const alt of claim?.top ?? []) if (alt?.token === stream.token) missing -= 1;
      }
      // Stop once the token and every claimed alternative are found (p(<eos>) comes from a
      // point query when it was not read).
      if (rank >= 0 && missing <= 0) break;
    }
    if (Number.isNaN(pToken)) pToken = view.probability(token);
    if (Number.isNaN(pEos)) pEos = view.probability(EOS_ID);
    ranks[i] = rank;
    logprobs[i] = Math.log(pToken);
    eosLogprobs[i] = Math.log(pEos);
    if (rank < 0) flag('outsideTopK', i);

    let supported = true;
    if (params !== undefined) {
      if (params.temperature === 0) supported = rank === 0;
      else if (params.topP === 1 && (params.topK === 0 || params.topK >= V)) supported = true;
      else if (params.topP === 1 && params.topK <= auditK)
        supported = rank >= 0 && rank < params.topK;
      else supported = inSupport(model, context, params, token);
      if (!supported) flag('outsideSupport', i);
    }

    if (claim?.logprob !== undefined) {
      if (!(Math.abs(claim.logprob - (logprobs[i] as number)) <= tolerance))
        flag('logprobMismatch', i);
    }
    if (needList && claim?.top !== undefined) {
      let bad = false;
      for (const alt of claim.top) {
        const at = topTokens.indexOf(alt?.token);
        if (at < 0) {
          bad = true;
          break;
        }
        if (!(Math.abs(alt.logprob - Math.log(topProbs[at] as number)) <= tolerance)) {
          bad = true;
          break;
        }
      }
      if (bad) flag('topLogprobMismatch', i);
    }

    if (token === EOS_ID) {
      eosSeen = true;
      lastEosProb = pEos;
      lastEosInSupport = supported;
    } else {
      if (pEos >= eosRatio * pToken) flag('eosAvoided', i);
      if (argmax === EOS_ID) flag('eosArgmaxSkipped', i);
    }
    context.push(token);
  }

  const endsWithEos = n > 0 && tokens[n - 1] === EOS_ID;
  const finishReason: FinishReason = endsWithEos ? 'stop' : 'length';
  let prematureEnd: AuditReport['prematureEnd'] = null;
  if (endsWithEos && (lastEosProb < prematureEosProb || !lastEosInSupport))
    prematureEnd = 'eos-unlikely';
  else if (!endsWithEos && n < maxTokens) prematureEnd = 'stopped-early';

  const usage = {
    promptTokens: prompt.length,
    completionTokens: n,
    totalTokens: prompt.length + n,
  };
  const usageMismatch: (keyof ClaimedUsage)[] = [];
  if (options.claimedUsage !== undefined) {
    for (const key of ['promptTokens', 'completionTokens', 'totalTokens'] as const) {
      const value = options.claimedUsage[key];
      if (value !== undefined && value !== usage[key]) usageMismatch.push(key);
    }
  }
  const maxTokensExceeded = n > maxTokens;
  const tolerated = (kind: 'outsideTopK' | 'eosAvoided') => {
    const limit = options.tolerate?.[kind] ?? 0;
    return counts[kind] <= limit;
  };
  const ok =
    HARD_OFFENCES.every((k) => counts[k] === 0) &&
    tolerated('outsideTopK') &&
    tolerated('eosAvoided') &&
    usageMismatch.length === 0 &&
    !maxTokensExceeded &&
    prematureEnd === null;
  return {
    ok,
    tokens,
    counts,
    first,
    ranks,
    logprobs,
    eosLogprobs,
    usage,
    usageMismatch,
    maxTokens,
    maxTokensExceeded,
    finishReason,
    prematureEnd,
    firstLimit: FIRST_LIMIT,
  };
}
