import { describe, expect, it } from 'vitest';
import { TextSubnetError } from '../errors.js';
import { type AuditOptions, auditOutput, type ClaimedLogprob } from './audit.js';
import { loadReferenceModel } from './load.js';
import { type Generation, promptContext, regenerate, type SamplingParams } from './sampling.js';
import { EOS_ID } from './tokenizer.js';

const model = loadReferenceModel();
const prompt = 'The state of our union is';
const params: SamplingParams = { temperature: 1, topK: 20, maxTokens: 200 };
const seed = (byte: number) => new Uint8Array(32).fill(byte);

/** An honest answer that stopped with <eos>, with its claimed logprobs. */
function honest(): Generation {
  for (let i = 0; i < 50; i++) {
    const g = regenerate({ model, prompt, seed: seed(i), ...params, logprobs: 5 });
    if (g.finishReason === 'stop' && g.tokens.length > 30) return g;
  }
  throw new Error('no honest answer that stops');
}
const answer = honest();

function audit(overrides: Partial<AuditOptions> = {}) {
  return auditOutput({
    model,
    prompt,
    completion: { tokens: answer.tokens },
    claimedLogprobs: answer.steps.map((s) => ({ logprob: s.logprob, top: s.top })),
    claimedUsage: answer.usage,
    params,
    ...overrides,
  });
}

const offences = (report: ReturnType<typeof auditOutput>) =>
  Object.entries(report.counts)
    .filter(([kind, n]) => n > 0 && kind !== 'eosArgmaxSkipped')
    .map(([kind]) => kind);

/** The token of rank `r` at a position of a completion. */
function rankedToken(tokens: readonly number[], position: number, r: number): number {
  const context = [...promptContext(model, prompt), ...tokens.slice(0, position)];
  return model.topK(context, r + 1)[r]?.token as number;
}

describe('auditOutput', () => {
  it('passes an honest answer cleanly, with its usage and reference logprobs', () => {
    const report = audit();
    expect(offences(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.prematureEnd).toBeNull();
    expect(report.finishReason).toBe('stop');
    expect(report.usage).toEqual(answer.usage);
    expect(Array.from(report.logprobs)).toEqual(answer.steps.map((s) => s.logprob));
    expect(Math.max(...report.ranks)).toBeLessThan(20);
    expect(Math.min(...report.ranks)).toBeGreaterThanOrEqual(0);
  });

  it('passes honest answers over many seeds and parameter sets', () => {
    const sets: SamplingParams[] = [
      { temperature: 0, maxTokens: 50 },
      { temperature: 0.7, topK: 5, maxTokens: 80 },
      { temperature: 1.3, topK: 40, topP: 0.9, maxTokens: 80 },
      { temperature: 1, topK: 10, maxTokens: 80 },
    ];
    for (const p of sets) {
      for (let i = 0; i < 4; i++) {
        const g = regenerate({ model, prompt, seed: seed(100 + i), ...p, logprobs: 5 });
        const report = auditOutput({
          model,
          prompt,
          completion: { tokens: g.tokens },
          claimedLogprobs: g.steps.map((s) => ({ logprob: s.logprob, top: s.top })),
          claimedUsage: g.usage,
          params: p,
          topK: 40,
        });
        expect(offences(report), JSON.stringify(p)).toEqual([]);
        expect(report.ok).toBe(true);
      }
    }
  });

  it('accepts the completion as text with its finish reason', () => {
    const visible = answer.text;
    const report = audit({ completion: { text: visible, finishReason: 'stop' } });
    expect(report.ok).toBe(true);
    expect(report.tokens).toEqual(answer.tokens);
  });

  it('catches a single changed token (outside the support, logprob claim now wrong)', () => {
    const tokens = [...answer.tokens];
    tokens[10] = rankedToken(tokens, 10, 30);
    const report = audit({ completion: { tokens } });
    expect(report.ok).toBe(false);
    // Positions before it are clean; the tokens after it now follow another context.
    expect(report.first.outsideTopK[0]).toBe(10);
    expect(report.first.outsideSupport[0]).toBe(10);
    expect(report.first.logprobMismatch).toContain(10);
    expect(report.ranks[10]).toBe(-1);
  });

  it('catches a token inside the reference top-k but outside the requested top-k', () => {
    const tokens = [...answer.tokens];
    tokens[3] = rankedToken(tokens, 3, 25);
    const report = audit({
      completion: { tokens },
      claimedLogprobs: undefined,
      params: { ...params, topK: 20 },
      topK: 40,
    });
    expect(report.first.outsideTopK).not.toContain(3);
    expect(report.first.outsideSupport[0]).toBe(3);
    expect(report.ranks[3]).toBe(25);
    expect(report.ok).toBe(false);
  });

  it('catches a wrong logprob and a wrong top-logprob list', () => {
    const claimed: ClaimedLogprob[] = answer.steps.map((s) => ({ logprob: s.logprob, top: s.top }));
    claimed[4] = {
      ...(claimed[4] as (typeof claimed)[number]),
      logprob: (claimed[4]?.logprob as number) + 1e-3,
    };
    const top7 = claimed[7]?.top ?? [];
    claimed[7] = {
      logprob: claimed[7]?.logprob as number,
      top: top7.map((t, i) => (i === 1 ? { ...t, logprob: t.logprob - 0.01 } : t)),
    };
    const report = audit({ claimedLogprobs: claimed });
    expect(report.first.logprobMismatch).toEqual([4]);
    expect(report.first.topLogprobMismatch).toEqual([7]);
    expect(report.ok).toBe(false);
    // Within the tolerance is fine.
    claimed[4] = {
      ...(claimed[4] as (typeof claimed)[number]),
      logprob: answer.steps[4]?.logprob as number,
    };
    claimed[7] = { logprob: answer.steps[7]?.logprob as number, top: answer.steps[7]?.top };
    claimed[9] = { logprob: (answer.steps[9]?.logprob as number) + 5e-7 };
    expect(audit({ claimedLogprobs: claimed }).ok).toBe(true);
  });

  it('catches EOS avoidance: going on past a forced <eos>', () => {
    const closing = 'thank you, and god bless america.';
    // After the closing formula <eos> is the argmax (p ≈ 0.8): a miner that keeps talking
    // with a low-ranked token avoided stopping.
    const context = promptContext(model, closing);
    expect(model.topK(context, 1)[0]?.token).toBe(EOS_ID);
    const low = model.topK(context, 20)[19]?.token as number;
    const cont = regenerate({
      model,
      prompt: { tokens: [...context.slice(1), low] },
      seed: seed(3),
      ...params,
    });
    const tokens = [low, ...cont.tokens];
    const report = auditOutput({
      model,
      prompt: closing,
      completion: { tokens },
      params: { ...params, maxTokens: 400 },
    });
    expect(report.first.eosAvoided).toEqual([0]);
    expect(report.first.eosArgmaxSkipped[0]).toBe(0);
    expect(report.ok).toBe(false);
    // Greedy decoding must stop there: any other token is outside the support.
    const second = model.topK(context, 2)[1]?.token as number;
    const greedy = auditOutput({
      model,
      prompt: closing,
      completion: { tokens: [second, EOS_ID] },
      params: { temperature: 0, maxTokens: 10 },
    });
    expect(greedy.first.outsideSupport[0]).toBe(0);
    expect(greedy.counts.eosAvoided).toBe(0);
    expect(greedy.ok).toBe(false);
  });

  it('catches a premature <eos> and a stop before max_tokens without <eos>', () => {
    // Cut mid-sentence after "the": p(<eos>) is tiny there and <eos> is outside the top-20.
    const at = answer.tokens.findIndex((t, i) => i > 2 && model.tokenizer.vocab[t] === 'the');
    const cut = at >= 0 ? at + 1 : 5;
    const early = [...answer.tokens.slice(0, cut), EOS_ID];
    const report = audit({
      completion: { tokens: early },
      claimedLogprobs: undefined,
      claimedUsage: undefined,
    });
    expect(report.prematureEnd).toBe('eos-unlikely');
    expect(report.first.outsideSupport).toEqual([cut]);
    expect(report.ok).toBe(false);
    // Without sampling params the probability threshold alone decides.
    const loose = audit({
      completion: { tokens: early },
      claimedLogprobs: undefined,
      claimedUsage: undefined,
      params: { maxTokens: 200 },
      prematureEosProb: 1e-3,
    });
    expect(loose.prematureEnd).toBe('eos-unlikely');
    const stopped = audit({
      completion: { tokens: answer.tokens.slice(0, -1) },
      claimedLogprobs: undefined,
      claimedUsage: undefined,
    });
    expect(stopped.prematureEnd).toBe('stopped-early');
    expect(stopped.finishReason).toBe('length');
    expect(stopped.ok).toBe(false);
  });

  it('catches wrong usage counts', () => {
    const report = audit({
      claimedUsage: { ...answer.usage, completionTokens: answer.usage.completionTokens + 3 },
    });
    expect(report.usageMismatch).toEqual(['completionTokens']);
    expect(report.ok).toBe(false);
    const prompts = audit({
      claimedUsage: { promptTokens: 1, totalTokens: answer.usage.totalTokens },
    });
    expect(prompts.usageMismatch).toEqual(['promptTokens']);
  });

  it('catches more tokens than max_tokens', () => {
    const long = regenerate({ model, prompt, seed: seed(7), ...params, maxTokens: 60 });
    const report = auditOutput({
      model,
      prompt,
      completion: { tokens: long.tokens },
      params: { ...params, maxTokens: long.tokens.length - 5 },
    });
    expect(report.maxTokensExceeded).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.counts.outsideSupport).toBe(0);
    // The positions past the limit are not audited.
    expect(report.ranks.at(-1)).toBe(-1);
    expect(Number.isNaN(report.logprobs.at(-1) as number)).toBe(true);
    expect(report.usage.completionTokens).toBe(long.tokens.length);
  });

  it('catches tokens after <eos> and ids outside the vocabulary', () => {
    const after = audit({
      completion: { tokens: [...answer.tokens, 2, 3] },
      claimedLogprobs: undefined,
      claimedUsage: undefined,
    });
    expect(after.first.afterEos).toEqual([answer.tokens.length, answer.tokens.length + 1]);
    expect(after.ok).toBe(false);
    const invalid = audit({
      completion: { tokens: [2, 99999] },
      claimedLogprobs: undefined,
      claimedUsage: undefined,
    });
    expect(invalid.first.invalidToken).toEqual([1]);
    expect(invalid.ok).toBe(false);
  });

  it('tolerates tail tokens when told to, and rejects bad options', () => {
    const tokens = [...answer.tokens];
    tokens[2] = rankedToken(tokens, 2, 50);
    const strict = audit({
      completion: { tokens },
      claimedLogprobs: undefined,
      params: { temperature: 1, maxTokens: 200 },
    });
    expect(strict.counts.outsideTopK).toBe(1);
    expect(strict.counts.outsideSupport).toBe(0);
    expect(strict.ok).toBe(false);
    const loose = audit({
      completion: { tokens },
      claimedLogprobs: undefined,
      params: { temperature: 1, maxTokens: 200 },
      tolerate: { outsideTopK: 1 },
    });
    expect(loose.ok).toBe(true);
    expect(() => audit({ topK: 0 })).toThrow(TextSubnetError);
    expect(() => audit({ completion: { text: 'x' } as never })).toThrow(/completion/);
  });
});
