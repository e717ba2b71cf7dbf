/**
 * A verified-inference answer, checked in one pass of the reference model: the stream parses,
 * the pieces' text is what their tokens say, every token is one the request's sampler could
 * draw, reported logprobs and usage are the reference's, no EOS was avoided and none came too
 * early, and (on a share of tasks) the tokens are exactly the seeded regeneration. Then speed,
 * on the validator's clock: time to first chunk, the whole stream's duration, and pieces that
 * batch many tokens.
 */
import type { StreamObservation } from '@subnetkit/neuron';
import { fail, pass, type Verdict } from '@subnetkit/scoring';
import {
  type AuditReport,
  auditOutput,
  type ClaimedLogprob,
  HARD_OFFENCES,
} from '../model/audit.js';
import type { ReferenceModel } from '../model/ngram.js';
import { checkRegeneration } from '../model/sampling.js';
import { MAX_TOKENS_PER_PIECE, type PieceEvent, parseEvents } from '../stream/events.js';
import { SPEED, speedComponents } from './speed.js';
import type { InferencePrivate } from './task.js';

/** Positions past a likely `<eos>` an answer may have (see the audit's `eosAvoided`). */
export const EOS_AVOIDANCE_TOLERATED = 1;

export { SPEED } from './speed.js';

export interface InferenceEvidence {
  tokens: number;
  pieces: number;
  /** Pieces carrying more than MAX_TOKENS_PER_PIECE tokens, and the tokens in them. */
  batched: { pieces: number; tokens: number };
  audit?: {
    ok: boolean;
    counts: AuditReport['counts'];
    first: AuditReport['first'];
    usage: AuditReport['usage'];
    usageMismatch: AuditReport['usageMismatch'];
    prematureEnd: AuditReport['prematureEnd'];
    maxTokensExceeded: boolean;
    finishReason: AuditReport['finishReason'];
  };
  regeneration?: { match: boolean; firstMismatch: number; expected: number | undefined };
  timing: { timeToFirstChunkMs: number | null; totalMs: number; tokensPerSecond: number | null };
}

export interface InferenceAnswer {
  model: ReferenceModel;
  modelId: string;
  task: InferencePrivate;
  stream: StreamObservation;
  timeoutMs: number;
}

/** The completion's tokens from the pieces: their ids (checked against their text), or the text. */
function completionOf(
  model: ReferenceModel,
  pieces: readonly PieceEvent[],
  finishReason: 'stop' | 'length',
):
  | {
      ok: true;
      completion: { tokens: number[] } | { text: string; finishReason: 'stop' | 'length' };
    }
  | { ok: false; reason: string } {
  const withIds = pieces.filter((p) => p.tokens !== undefined).length;
  if (withIds === 0) {
    return { ok: true, completion: { text: pieces.map((p) => p.text).join(''), finishReason } };
  }
  if (withIds !== pieces.length) {
    return { ok: false, reason: 'some pieces carry token ids and some do not' };
  }
  const tokens: number[] = [];
  let prev: number | undefined;
  for (const [i, p] of pieces.entries()) {
    let text = '';
    for (const id of p.tokens!) {
      if (!Number.isInteger(id) || id < 0 || id >= model.vocabSize) {
        return {
          ok: false,
          reason: `piece ${i + 1}: token ${id} is not in the reference vocabulary`,
        };
      }
      if (id !== 1) {
        text += model.tokenizer.piece(prev, id);
        prev = id;
      }
      tokens.push(id);
    }
    if (text !== p.text) {
      return {
        ok: false,
        reason: `piece ${i + 1}: its text ${JSON.stringify(p.text.slice(0, 40))} is not what its tokens say (${JSON.stringify(text.slice(0, 40))})`,
      };
    }
  }
  return { ok: true, completion: { tokens } };
}

function claimedLogprobs(pieces: readonly PieceEvent[]): (ClaimedLogprob | null)[] {
  const out: (ClaimedLogprob | null)[] = [];
  for (const p of pieces) {
    const n = p.tokens?.length ?? 0;
    for (let j = 0; j < n; j++) {
      const logprob = p.logprobs?.[j];
      const top = p.top_logprobs?.[j]?.map(([token, lp]) => ({ token, logprob: lp }));
      out.push(
        logprob === undefined && top === undefined
          ? null
          : { ...(logprob === undefined ? {} : { logprob }), ...(top ? { top } : {}) },
      );
    }
  }
  return out;
}

function offences(audit: AuditReport): string {
  const parts: string[] = [];
  for (const [kind, n] of Object.entries(audit.counts)) {
    if (n > 0 && (HARD_OFFENCES as readonly string[]).includes(kind)) {
      parts.push(
        `${kind} ×${n} (first at ${audit.first[kind as keyof AuditReport['first']].join(', ')})`,
      );
    }
  }
  if (audit.counts.outsideTopK > 0) parts.push(`outsideTopK ×${audit.counts.outsideTopK}`);
  if (audit.counts.eosAvoided > 0) parts.push(`eosAvoided ×${audit.counts.eosAvoided}`);
  if (audit.usageMismatch.length > 0) parts.push(`usage ${audit.usageMismatch.join(', ')} wrong`);
  if (audit.maxTokensExceeded) parts.push(`more than max_tokens ${audit.maxTokens}`);
  if (audit.prematureEnd) parts.push(`premature end (${audit.prematureEnd})`);
  return parts.join('; ');
}

export function scoreInference(answer: InferenceAnswer): Verdict<InferenceEvidence> {
  const { model, modelId, task, stream, timeoutMs } = answer;
  const parsed = parseEvents(stream.text);
  const timing = {
    timeToFirstChunkMs: stream.timeToFirstChunkMs,
    totalMs: stream.totalMs,
    tokensPerSecond: null as number | null,
  };
  const evidence: InferenceEvidence = {
    tokens: 0,
    pieces: 0,
    batched: { pieces: 0, tokens: 0 },
    timing,
  };
  if (!parsed.ok) {
    return fail(`malformed stream: line ${parsed.line}: ${parsed.reason}`, {
      components: { exact: 0 },
      evidence,
    });
  }
  const { pieces, done } = parsed;
  evidence.pieces = pieces.length;
  if (done.model !== modelId) {
    return fail(`answered as model ${JSON.stringify(done.model)}, asked for ${modelId}`, {
      components: { exact: 0 },
      evidence,
    });
  }
  const completion = completionOf(model, pieces, done.finish_reason);
  if (!completion.ok) return fail(completion.reason, { components: { exact: 0 }, evidence });
  const audit = auditOutput({
    model,
    prompt: { messages: task.messages },
    completion: completion.completion,
    claimedLogprobs: claimedLogprobs(pieces),
    claimedUsage: {
      promptTokens: done.usage.prompt_tokens,
      completionTokens: done.usage.completion_tokens,
    },
    params: task.params,
    topK: task.params.topK > 0 ? task.params.topK : 20,
    // An honest sampler goes past a likely <eos> now and then; a padder does so again and again.
    tolerate: { eosAvoided: EOS_AVOIDANCE_TOLERATED },
  });
  evidence.tokens = audit.tokens.length;
  evidence.audit = {
    ok: audit.ok,
    counts: audit.counts,
    first: audit.first,
    usage: audit.usage,
    usageMismatch: audit.usageMismatch,
    prematureEnd: audit.prematureEnd,
    maxTokensExceeded: audit.maxTokensExceeded,
    finishReason: audit.finishReason,
  };
  if (!audit.ok) {
    return fail(`not the reference model's answer: ${offences(audit)}`, {
      components: { exact: 0 },
      evidence,
    });
  }
  if (task.regenerate) {
    const r = checkRegeneration({
      model,
      prompt: { messages: task.messages },
      seed: new Uint8Array(Buffer.from(task.seed, 'hex')),
      params: task.params,
      tokens: audit.tokens,
    });
    evidence.regeneration = r;
    if (!r.match) {
      return fail(
        `not the seeded regeneration: token ${r.firstMismatch} differs${r.expected === undefined ? '' : ` (expected id ${r.expected})`}`,
        { components: { exact: 0 }, evidence },
      );
    }
  }
  for (const p of pieces) {
    // A text-only piece counts the reference tokens its text holds.
    const n = p.tokens?.length ?? model.tokenizer.encode(p.text).length;
    if (n > MAX_TOKENS_PER_PIECE) {
      evidence.batched.pieces++;
      evidence.batched.tokens += n;
    }
  }
  const seconds = stream.totalMs / 1000;
  timing.tokensPerSecond = seconds > 0 ? audit.tokens.length / seconds : null;
  const speed = speedComponents(stream, timeoutMs);
  // Tokens sent in batches lose the streaming share of their credit.
  const streamed = audit.tokens.length > 0 ? 1 - evidence.batched.tokens / audit.tokens.length : 1;
  const chunking = SPEED.floor + (1 - SPEED.floor) * streamed;
  const components = { exact: 1, ...speed.components, chunking };
  return pass(speed.multiplier * chunking, { components, evidence });
}
