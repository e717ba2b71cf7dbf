import { createHash } from 'node:crypto';
import type { StreamObservation } from '@subnetkit/neuron';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend, referenceModelId, type TextRequest } from '../miner/backend.js';
import { loadReferenceModel } from '../model/load.js';
import { generate, promptTokens } from '../model/sampling.js';
import { EOS_ID } from '../model/tokenizer.js';
import type { TextGenerationInput } from '../protocol.js';
import {
  type DoneEvent,
  encodeEvent,
  MAX_TOKENS_PER_PIECE,
  type PieceEvent,
  type StreamEvent,
} from '../stream/events.js';
import { SPEED, scoreInference } from './score-inference.js';
import { inferenceTask } from './task.js';

const model = loadReferenceModel();
const modelId = referenceModelId(model);
const backend = new ReferenceBackend(model);
const TIMEOUT_MS = 10_000;

type Task = ReturnType<typeof inferenceTask>;

const hex = (label: string) => createHash('sha256').update(label).digest('hex');

/** The task of seed `i`, checked by regeneration or not (nothing else differs). */
function taskOf(i: number, regenerate: boolean): Task {
  return inferenceTask({ seed: hex(`score-inference.test/${i}`) }, model, modelId, {
    regenerateShare: regenerate ? 1 : 0,
  });
}

function requestOf(input: TextGenerationInput, seed = input.seed): TextRequest {
  return {
    messages: input.messages,
    model: input.model,
    seed: new Uint8Array(Buffer.from(seed, 'hex')),
    temperature: input.temperature,
    topK: input.top_k,
    topP: input.top_p,
    maxTokens: input.max_tokens,
    logprobs: input.logprobs,
    timeoutS: TIMEOUT_MS / 1000,
  };
}

interface Answer {
  pieces: PieceEvent[];
  done: DoneEvent;
}

async function streamOf(request: TextRequest): Promise<Answer> {
  const events: StreamEvent[] = [];
  for await (const e of backend.stream(request, new AbortController().signal)) events.push(e);
  const done = events.pop() as DoneEvent;
  expect(done.done).toBe(true);
  return { pieces: events as PieceEvent[], done };
}

const tokensOf = (a: Answer) => a.pieces.flatMap((p) => p.tokens ?? []);
const clone = (a: Answer): Answer => structuredClone(a);
const encode = (a: Answer) => [...a.pieces, a.done].map(encodeEvent).join('');

function observe(
  text: string,
  timing: { ttft?: number | null; total?: number; end?: StreamObservation['end'] } = {},
): StreamObservation {
  const ttft = timing.ttft === undefined ? 5 : timing.ttft;
  const total = timing.total ?? 50;
  return {
    end: timing.end ?? 'complete',
    reason: timing.end && timing.end !== 'complete' ? timing.end : null,
    chunks: [text],
    text,
    bytes: Buffer.byteLength(text),
    timeToFirstChunkMs: ttft,
    totalMs: total,
    chunksPerSecond: null,
    longestGapMs: ttft ?? total,
  };
}

function score(task: Task, answer: Answer | string, timing?: Parameters<typeof observe>[1]) {
  const text = typeof answer === 'string' ? answer : encode(answer);
  return scoreInference({
    model,
    modelId,
    task: task.private,
    stream: observe(text, timing),
    timeoutMs: TIMEOUT_MS,
  });
}

/**
 * Pieces (one token each) for any token sequence with the claims an honest reference server
 * would make for it: text from the tokenizer, the reference logprob and top logprobs.
 */
function consistentPieces(task: Task, tokens: readonly number[]): Answer {
  const prompt = promptTokens(model, { messages: task.private.messages });
  const context = [EOS_ID, ...prompt];
  const pieces: PieceEvent[] = [];
  let prev: number | undefined;
  for (const id of tokens) {
    const text = id === EOS_ID ? '' : model.tokenizer.piece(prev, id);
    if (id !== EOS_ID) prev = id;
    pieces.push({
      text,
      tokens: [id],
      logprobs: [Math.log(model.probability(context, id))],
      top_logprobs: [
        model.topK(context, task.private.params.logprobs).map((t) => [t.token, t.logprob]),
      ],
    });
    context.push(id);
  }
  return {
    pieces,
    done: {
      done: true,
      finish_reason: tokens.at(-1) === EOS_ID ? 'stop' : 'length',
      usage: { prompt_tokens: prompt.length, completion_tokens: tokens.length },
      model: modelId,
    },
  };
}

/**
 * The first task (seeds 0, 1, …) whose honest answer has the shape `want` asks for (chosen
 * without the scorer under test, so a broken scorer cannot pick its own fixtures).
 */
async function findHonest(
  want: (a: Answer) => boolean,
): Promise<{ task: Task; regen: Task; answer: Answer }> {
  for (let i = 0; i < 200; i++) {
    const regen = taskOf(i, true);
    const answer = await streamOf(requestOf(regen.input));
    if (!want(answer)) continue;
    return { task: taskOf(i, false), regen, answer };
  }
  throw new Error('no such honest answer');
}

/** An honest answer that ends with <eos> after at least 12 tokens. */
const stopped = await findHonest((a) => a.done.finish_reason === 'stop' && a.pieces.length >= 12);
/** An honest answer cut by max_tokens, at least 40 tokens long. */
const long = await findHonest((a) => a.done.finish_reason === 'length' && a.pieces.length >= 40);

const reasonOf = (v: { reasons: string[] }) => v.reasons.join('; ');

describe('scoreInference: honest answers', () => {
  it('the reference backend’s answer passes with exact 1, with and without regeneration', () => {
    for (const f of [stopped, long]) {
      const audited = score(f.task, f.answer);
      expect(audited.status, reasonOf(audited)).toBe('pass');
      expect(audited.components).toEqual({ exact: 1, ttft: 1, duration: 1, chunking: 1 });
      expect(audited.score).toBe(1);
      expect(audited.evidence.regeneration).toBeUndefined();
      expect(audited.evidence.audit?.ok).toBe(true);
      expect(audited.evidence.tokens).toBe(tokensOf(f.answer).length);
      expect(audited.evidence.pieces).toBe(f.answer.pieces.length);

      const regenerated = score(f.regen, f.answer);
      expect(regenerated.status, reasonOf(regenerated)).toBe('pass');
      expect(regenerated.components.exact).toBe(1);
      expect(regenerated.score).toBe(1);
      expect(regenerated.evidence.regeneration).toEqual({
        match: true,
        firstMismatch: -1,
        expected: undefined,
      });
    }
    expect(stopped.answer.done.finish_reason).toBe('stop');
    expect(tokensOf(stopped.answer).at(-1)).toBe(EOS_ID);
    expect(long.answer.done.usage.completion_tokens).toBe(long.task.private.params.maxTokens);
  });

  it('the test’s own consistent claims equal the backend’s (so the forgeries below are fair)', () => {
    for (const f of [stopped, long]) {
      expect(consistentPieces(f.task, tokensOf(f.answer))).toEqual(f.answer);
    }
  });

  it('a text-only answer (no ids) of the honest text passes: it is re-tokenized', () => {
    for (const f of [stopped, long]) {
      const textOnly: Answer = {
        pieces: f.answer.pieces.map((p) => ({ text: p.text })),
        done: f.answer.done,
      };
      for (const task of [f.task, f.regen]) {
        const v = score(task, textOnly);
        expect(v.status, reasonOf(v)).toBe('pass');
        expect(v.components.exact).toBe(1);
        expect(v.evidence.tokens).toBe(tokensOf(f.answer).length);
      }
    }
  });

  it('a right answer that is not the seeded one passes the audit alone, fails regeneration', async () => {
    const other = await streamOf(requestOf(stopped.task.input, hex('another seed')));
    expect(tokensOf(other)).not.toEqual(tokensOf(stopped.answer));

    const audited = score(stopped.task, other);
    expect(audited.status, reasonOf(audited)).toBe('pass');
    expect(audited.components.exact).toBe(1);

    const regenerated = score(stopped.regen, other);
    expect(regenerated.status).toBe('fail');
    expect(regenerated.score).toBe(0);
    expect(regenerated.components).toEqual({ exact: 0 });
    const r = regenerated.evidence.regeneration;
    expect(r?.match).toBe(false);
    const mine = tokensOf(other);
    const seeded = tokensOf(stopped.answer);
    const firstDiff = mine.findIndex((t, i) => t !== seeded[i]);
    expect(r?.firstMismatch).toBe(firstDiff);
    expect(r?.expected).toBe(seeded[firstDiff]);
    expect(reasonOf(regenerated)).toBe(
      `not the seeded regeneration: token ${firstDiff} differs (expected id ${seeded[firstDiff]})`,
    );
  });
});

describe('scoreInference: forgeries fail, naming why', () => {
  const expectFail = (v: ReturnType<typeof score>, reason: string | RegExp) => {
    expect(v.status).toBe('fail');
    expect(v.score).toBe(0);
    expect(v.components.exact).toBe(0);
    if (typeof reason === 'string') expect(reasonOf(v)).toContain(reason);
    else expect(reasonOf(v)).toMatch(reason);
  };

  it('a single changed token, its text changed consistently: the audit tells', () => {
    const original = tokensOf(stopped.answer);
    const prompt = promptTokens(model, { messages: stopped.task.private.messages });
    // The first position where another token the sampler could draw (top 3 of the reference,
    // not <eos>) keeps every later token inside the reference's support: the fairest forgery,
    // one whose every claim can be made consistent with the reference.
    let forgery: { at: number; tokens: number[] } | undefined;
    for (let at = 2; at < original.length - 1 && !forgery; at++) {
      const context = [EOS_ID, ...prompt, ...original.slice(0, at)];
      for (const { token } of model.topK(context, 3)) {
        if (token === original[at] || token === EOS_ID) continue;
        const tokens = [...original];
        tokens[at] = token;
        if (score(stopped.task, consistentPieces(stopped.task, tokens)).status === 'pass') {
          forgery = { at, tokens };
          break;
        }
      }
    }
    if (!forgery) throw new Error('no single-token swap keeps the answer in the support');
    const { at, tokens } = forgery;
    const honestClaims = clone(stopped.answer);
    const texts = consistentPieces(stopped.task, tokens).pieces.map((p) => p.text);
    honestClaims.pieces.forEach((p, i) => {
      p.tokens = [tokens[i] as number];
      p.text = texts[i] as string;
    });
    expect(honestClaims.pieces.map((p) => p.text).join('')).not.toBe(
      stopped.answer.pieces.map((p) => p.text).join(''),
    );
    // The ids and the text agree, so only the audit can tell: the claimed logprob at the
    // changed position (and the next contexts') are not the reference's.
    for (const task of [stopped.task, stopped.regen]) {
      const v = score(task, honestClaims);
      expectFail(
        v,
        new RegExp(
          `^not the reference model's answer: .*logprobMismatch ×\\d+ \\(first at ${at}\\b`,
        ),
      );
      expect(v.evidence.audit?.first.logprobMismatch[0]).toBe(at);
      expect(v.evidence.regeneration).toBeUndefined();
    }
    // With every claim forged to match the new tokens, the audit alone is fooled (the search
    // above); the seeded regeneration is not.
    const forged = consistentPieces(stopped.task, tokens);
    const regenerated = score(stopped.regen, forged);
    expectFail(regenerated, `not the seeded regeneration: token ${at} differs`);
    expect(regenerated.evidence.regeneration?.expected).toBe(original[at]);
  });

  it('a changed logprob (beyond 1e-6; within it passes)', () => {
    const within = clone(stopped.answer);
    within.pieces[3]!.logprobs![0]! += 5e-7;
    expect(score(stopped.task, within).status).toBe('pass');

    const beyond = clone(stopped.answer);
    beyond.pieces[3]!.logprobs![0]! += 2e-6;
    expectFail(score(stopped.task, beyond), 'logprobMismatch ×1 (first at 3)');
  });

  it('a fabricated top_logprob: an alternative outside the reference top, or its logprob off', () => {
    const at = 4;
    const prompt = promptTokens(model, { messages: stopped.task.private.messages });
    const context = [EOS_ID, ...prompt, ...tokensOf(stopped.answer).slice(0, at)];
    // A real token with its true logprob, but ranked 150th: not one of the reference's top.
    const far = model.topK(context, 151)[150]!;
    const outside = clone(stopped.answer);
    outside.pieces[at]!.top_logprobs![0]![2] = [far.token, far.logprob];
    const v = score(stopped.task, outside);
    expectFail(v, `topLogprobMismatch ×1 (first at ${at})`);
    expect(v.evidence.audit?.counts.logprobMismatch).toBe(0);

    const off = clone(stopped.answer);
    off.pieces[at]!.top_logprobs![0]![1]![1] -= 0.01;
    expectFail(score(stopped.task, off), `topLogprobMismatch ×1 (first at ${at})`);
  });

  it('wrong usage counts', () => {
    const prompt = clone(stopped.answer);
    prompt.done.usage.prompt_tokens += 1;
    expectFail(score(stopped.task, prompt), 'usage promptTokens wrong');
    const completion = clone(long.answer);
    completion.done.usage.completion_tokens -= 1;
    expectFail(score(long.task, completion), 'usage completionTokens wrong');
  });

  it('tokens past max_tokens', async () => {
    const maxTokens = long.task.private.params.maxTokens;
    const more = await streamOf({ ...requestOf(long.task.input), maxTokens: maxTokens + 5 });
    // The same seed gives the same first max_tokens tokens, then goes on.
    expect(tokensOf(more).slice(0, maxTokens)).toEqual(tokensOf(long.answer));
    expect(tokensOf(more).length).toBeGreaterThan(maxTokens);
    for (const task of [long.task, long.regen]) {
      const v = score(task, more);
      expectFail(v, `more than max_tokens ${maxTokens}`);
      expect(v.evidence.audit?.maxTokensExceeded).toBe(true);
    }
  });

  it('an answer that skips <eos> where the reference sampler emits it', () => {
    const honest = tokensOf(stopped.answer);
    const eosAt = honest.length - 1;
    const params = stopped.task.private.params;
    const prompt = promptTokens(model, { messages: stopped.task.private.messages });
    const prefix = honest.slice(0, eosAt);
    // Go on with the reference's best token other than <eos>, then keep generating from the
    // reference model (same seed, same parameters) to its next <eos> or max_tokens.
    const context = [EOS_ID, ...prompt, ...prefix];
    const next = model
      .topK(context, 2)
      .map((t) => t.token)
      .find((t) => t !== EOS_ID) as number;
    const cont: number[] = [];
    const steps = generate({
      model,
      prompt: { tokens: [...prompt, ...prefix, next] },
      seed: new Uint8Array(Buffer.from(stopped.task.private.seed, 'hex')),
      temperature: params.temperature,
      topK: params.topK,
      topP: params.topP,
      maxTokens: params.maxTokens - eosAt - 1,
      logprobs: 0,
    });
    for (let s = steps.next(); !s.done; s = steps.next()) cont.push(s.value.token);
    const padded = consistentPieces(stopped.task, [...prefix, next, ...cont]);
    expect(padded.pieces.length).toBeGreaterThan(honest.length);
    // Every claim is the reference's and <eos> was merely likely there (not 100× the token
    // taken): the audit alone cannot tell, which is what the regenerated share is for.
    const audited = score(stopped.task, padded);
    expect(audited.status, reasonOf(audited)).toBe('pass');
    expect(audited.evidence.audit?.counts.eosAvoided).toBeLessThanOrEqual(1);
    const v = score(stopped.regen, padded);
    expectFail(v, `not the seeded regeneration: token ${eosAt} differs (expected id ${EOS_ID})`);
    expect(v.evidence.regeneration).toEqual({
      match: false,
      firstMismatch: eosAt,
      expected: EOS_ID,
    });
  });

  it('a premature <eos> (where the reference gives it almost no chance)', () => {
    const honest = tokensOf(stopped.answer);
    const prompt = promptTokens(model, { messages: stopped.task.private.messages });
    let at = -1;
    for (let i = 1; i < honest.length - 1 && at < 0; i++) {
      const p = model.probability([EOS_ID, ...prompt, ...honest.slice(0, i)], EOS_ID);
      if (p < 1e-4) at = i;
    }
    expect(at).toBeGreaterThan(0);
    const early = consistentPieces(stopped.task, [...honest.slice(0, at), EOS_ID]);
    // Every claim is the reference's, the usage is right: only the ending is wrong.
    const v = score(stopped.task, early);
    expectFail(v, 'premature end (eos-unlikely)');
    expect(v.evidence.audit?.prematureEnd).toBe('eos-unlikely');
    expect(v.evidence.audit?.counts.logprobMismatch).toBe(0);
    expect(v.evidence.audit?.usageMismatch).toEqual([]);
  });

  it('an answer that stops short of max_tokens without <eos>', () => {
    const short = consistentPieces(long.task, tokensOf(long.answer).slice(0, 20));
    expect(short.done.finish_reason).toBe('length');
    expectFail(score(long.task, short), 'premature end (stopped-early)');
  });

  it('piece text that does not match its tokens', () => {
    const a = clone(stopped.answer);
    a.pieces[2]!.text = `${a.pieces[2]!.text}s`;
    const v = score(stopped.task, a);
    expectFail(v, /^piece 3: its text .* is not what its tokens say/);
    expect(v.evidence.audit).toBeUndefined();
    // Text moved from one piece to the next (same total) is refused too.
    const moved = clone(stopped.answer);
    moved.pieces[1]!.text += moved.pieces[2]!.text;
    moved.pieces[2]!.text = '';
    expectFail(score(stopped.task, moved), /^piece 2: its text/);
  });

  it('a token id outside the vocabulary', () => {
    const a = clone(stopped.answer);
    a.pieces[1]!.tokens = [model.vocabSize];
    expectFail(
      score(stopped.task, a),
      `piece 2: token ${model.vocabSize} is not in the reference vocabulary`,
    );
  });

  it('pieces mixing with and without ids', () => {
    const a = clone(stopped.answer);
    const p = a.pieces[1]!;
    a.pieces[1] = { text: p.text };
    expectFail(score(stopped.task, a), 'some pieces carry token ids and some do not');
  });

  it('a different model id in the done event', () => {
    const a = clone(stopped.answer);
    a.done.model = 'gpt-4o';
    expectFail(score(stopped.regen, a), `answered as model "gpt-4o", asked for ${modelId}`);
  });

  it('a stream cut mid-way: part of the pieces and no done event', () => {
    const half = Math.floor(stopped.answer.pieces.length / 2);
    const text = stopped.answer.pieces.slice(0, half).map(encodeEvent).join('');
    const v = score(stopped.task, text, { end: 'cut' });
    expectFail(v, `malformed stream: line ${half + 1}: the stream ended without its done event`);
    // Cut inside a line.
    const inLine = encode(stopped.answer).slice(0, text.length + 7);
    expectFail(
      score(stopped.task, inLine, { end: 'cut' }),
      `malformed stream: line ${half + 1}: the stream does not end with a newline`,
    );
    expectFail(
      score(stopped.task, ''),
      'malformed stream: line 1: the stream ended without its done event',
    );
  });

  it('a text-only answer of other text fails the audit', () => {
    // The honest answer to another prompt: fine text, not this prompt's continuation.
    const otherText = long.answer.pieces.map((p) => p.text).join('');
    const tokens = model.tokenizer.encode(otherText);
    const a: Answer = {
      pieces: [{ text: otherText }],
      done: {
        ...long.answer.done,
        usage: {
          prompt_tokens: stopped.answer.done.usage.prompt_tokens,
          completion_tokens: tokens.length,
        },
      },
    };
    // Sanity: as its own prompt's answer the same text-only stream passes.
    const own = score(long.task, { ...a, done: long.answer.done });
    expect(own.status, reasonOf(own)).toBe('pass');
    const v = score(stopped.task, a);
    expectFail(v, /^not the reference model's answer: /);
    expect(v.evidence.audit?.ok).toBe(false);
  });
});

describe('scoreInference: speed on the validator’s clock', () => {
  const T = TIMEOUT_MS;

  it('a slower first chunk lowers the score monotonically, to 0.5 at the timeout', () => {
    const ttfts = [0, 0.05 * T, 0.1 * T, 0.2 * T, 0.4 * T, 0.55 * T, 0.8 * T, T, 2 * T];
    const results = ttfts.map((ttft) => score(stopped.task, stopped.answer, { ttft, total: T }));
    const comps = results.map((v) => v.components.ttft as number);
    for (const v of results) expect(v.status).toBe('pass');
    expect(comps[0]).toBe(1);
    expect(comps[2]).toBe(1); // at the target, a tenth of the timeout
    for (let i = 1; i < comps.length; i++) expect(comps[i]).toBeLessThanOrEqual(comps[i - 1]!);
    for (let i = 3; i <= 7; i++) expect(comps[i]).toBeLessThan(comps[i - 1]!);
    expect(comps[5]).toBeCloseTo(0.75, 12); // half way from the target to the timeout
    expect(comps[7]).toBe(SPEED.floor);
    expect(comps[8]).toBe(SPEED.floor);
    // The duration (the whole timeout) is at its floor throughout: the score is their product.
    for (const v of results) {
      expect(v.components.duration).toBe(SPEED.floor);
      expect(v.score).toBeCloseTo((v.components.ttft as number) * SPEED.floor, 12);
    }
    // No first chunk at all counts as the timeout.
    expect(score(stopped.task, stopped.answer, { ttft: null, total: T }).components.ttft).toBe(
      SPEED.floor,
    );
  });

  it('a longer stream lowers the score monotonically, to 0.5 at the timeout', () => {
    const totals = [10, 0.1 * T, 0.25 * T, 0.4 * T, 0.625 * T, 0.9 * T, T, 3 * T];
    const results = totals.map((total) => score(long.task, long.answer, { ttft: 5, total }));
    const comps = results.map((v) => v.components.duration as number);
    const scores = results.map((v) => v.score as number);
    expect(comps.slice(0, 3)).toEqual([1, 1, 1]);
    for (let i = 3; i <= 6; i++) {
      expect(comps[i]).toBeLessThan(comps[i - 1]!);
      expect(scores[i]).toBeLessThan(scores[i - 1]!);
    }
    expect(comps[4]).toBeCloseTo(0.75, 12);
    expect(comps[6]).toBe(SPEED.floor);
    expect(comps[7]).toBe(SPEED.floor);
    expect(scores[7]).toBe(SPEED.floor);
    for (const v of results) expect(v.components.ttft).toBe(1);
    // Tokens per second on the validator's clock.
    const n = tokensOf(long.answer).length;
    expect(results[3]?.evidence.timing.tokensPerSecond).toBeCloseTo(n / ((0.4 * T) / 1000), 9);
  });

  it(`pieces batching more than ${MAX_TOKENS_PER_PIECE} tokens lower the chunking component`, () => {
    const tokens = tokensOf(long.answer);
    const n = tokens.length;
    const batched = (size: number): Answer => {
      const pieces: PieceEvent[] = [];
      for (let i = 0; i < long.answer.pieces.length; i += size) {
        const group = long.answer.pieces.slice(i, i + size);
        pieces.push({
          text: group.map((p) => p.text).join(''),
          tokens: group.flatMap((p) => p.tokens!),
          logprobs: group.flatMap((p) => p.logprobs!),
          top_logprobs: group.flatMap((p) => p.top_logprobs!),
        });
      }
      return { pieces, done: long.answer.done };
    };
    const chunking = (size: number) => {
      const v = score(long.task, batched(size));
      expect(v.status, reasonOf(v)).toBe('pass');
      expect(v.components.exact).toBe(1);
      return v;
    };
    // Up to the limit, no penalty.
    expect(chunking(4).components.chunking).toBe(1);
    expect(chunking(MAX_TOKENS_PER_PIECE).components.chunking).toBe(1);
    // Past it, the batched tokens lose the streaming half of their credit.
    const size = MAX_TOKENS_PER_PIECE + 1;
    const full = Math.floor(n / size) * size + (n % size > MAX_TOKENS_PER_PIECE ? n % size : 0);
    const v = chunking(size);
    expect(v.evidence.batched).toEqual({
      pieces: Math.floor(n / size),
      tokens: full,
    });
    expect(v.components.chunking).toBeCloseTo(SPEED.floor + (1 - SPEED.floor) * (1 - full / n), 12);
    expect(v.components.chunking).toBeLessThan(1);
    const all = chunking(n);
    expect(all.evidence.batched).toEqual({ pieces: 1, tokens: n });
    expect(all.components.chunking).toBe(SPEED.floor);
    expect(all.score).toBe(SPEED.floor);
    expect(all.components.chunking).toBeLessThan(v.components.chunking as number);
  });

  // Text-only pieces count the reference tokens of their text: dropping the ids does not dodge
  // the batching penalty.
  it('a text-only answer batched in one piece loses chunking credit too', () => {
    const one: Answer = {
      pieces: [{ text: long.answer.pieces.map((p) => p.text).join('') }],
      done: long.answer.done,
    };
    const v = score(long.task, one);
    expect(v.status, reasonOf(v)).toBe('pass');
    expect(v.components.chunking).toBeLessThan(1);
  });
});
