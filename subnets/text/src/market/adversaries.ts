/**
 * Adversarial text miners for the local market (tooling/demo) and the tests: backends that
 * cheat in the ways text subnets have seen, so the market shows the validator pays them less.
 * Not part of the miner a team runs: `miner/` knows nothing of them.
 */
import { adversaryVariantSection } from '@subnetkit/neuron';
import type { z } from 'zod';
import { textConfigSchema } from '../config.js';
import {
  type ReferenceBackend,
  referenceModelId,
  type TextBackend,
  type TextRequest,
} from '../miner/backend.js';
import { promptContext } from '../model/sampling.js';
import { EOS_ID } from '../model/tokenizer.js';
import type { PieceEvent, StreamEvent } from '../stream/events.js';

export const ADVERSARY_VARIANTS = ['random', 'impostor', 'padder', 'copycat', 'slow'] as const;
export type AdversaryVariant = (typeof ADVERSARY_VARIANTS)[number];

export const ADVERSARY_DESCRIPTIONS: Readonly<Record<AdversaryVariant, string>> = Object.freeze({
  random: 'streams random tokens of the vocabulary with made-up logprobs',
  impostor: 'a smaller model (bigram) claiming the reference id, with its own logprobs',
  padder: 'the reference model that never stops: skips <eos> to pad to max_tokens',
  copycat: 'replays one real answer, made once for a prompt of its own, for every task',
  slow: 'the right answer, one token at a time, finishing at 80 % of the timeout',
});

/** The text flags plus `--market.variant`, for `adversary-main.ts`. */
export const adversaryConfigSchema = textConfigSchema.extend({
  market: adversaryVariantSection(ADVERSARY_VARIANTS, ADVERSARY_DESCRIPTIONS),
});

export type AdversaryConfig = z.output<typeof adversaryConfigSchema>;

const piece = (text: string, token: number, logprob: number): PieceEvent => ({
  text,
  tokens: [token],
  logprobs: [logprob],
  top_logprobs: [[]],
});

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const t = setTimeout(() => resolve(true), ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve(false);
      },
      { once: true },
    );
  });
}

/** A backend that misbehaves as `variant` says, built on the honest reference backend. */
export function createAdversaryBackend(
  variant: AdversaryVariant,
  honest: ReferenceBackend,
): TextBackend {
  if (!ADVERSARY_VARIANTS.includes(variant)) {
    throw new Error(`market.variant: "${variant}" is not one of ${ADVERSARY_VARIANTS.join(', ')}`);
  }
  const model = honest.model;
  const modelId = referenceModelId(model);
  const done = (finish: 'stop' | 'length', prompt: number, completion: number): StreamEvent => ({
    done: true,
    finish_reason: finish,
    usage: { prompt_tokens: prompt, completion_tokens: completion },
    model: modelId,
  });
  let first: StreamEvent[] | null = null;
  return {
    name: `adversary-${variant}`,
    async *stream(request: TextRequest, signal: AbortSignal) {
      const context = promptContext(model, { messages: request.messages });
      const promptLength = context.length - 1;
      if (variant === 'random') {
        let prev: number | undefined;
        for (let i = 0; i < request.maxTokens; i++) {
          const id = 2 + ((request.seed[i % 32]! * 131 + i * 7919) % (model.vocabSize - 2));
          yield piece(model.tokenizer.piece(prev, id), id, -1);
          prev = id;
        }
        yield done('length', promptLength, request.maxTokens);
        return;
      }
      if (variant === 'impostor') {
        // Greedy from the bigram (the last token only): another model's choices and logprobs.
        const ctx = [...context];
        let prev: number | undefined;
        for (let i = 0; i < request.maxTokens; i++) {
          const [best] = model.topK([ctx[ctx.length - 1]!], 1);
          const id = best!.token;
          if (id === EOS_ID) {
            yield piece('', id, best!.logprob);
            yield done('stop', promptLength, i + 1);
            return;
          }
          yield piece(model.tokenizer.piece(prev, id), id, best!.logprob);
          ctx.push(id);
          prev = id;
        }
        yield done('length', promptLength, request.maxTokens);
        return;
      }
      if (variant === 'padder') {
        // The honest sampler, with <eos> taken out of every step: the answer runs to max_tokens.
        const ctx = [...context];
        let prev: number | undefined;
        for (let i = 0; i < request.maxTokens; i++) {
          const ranked = model.topK(ctx, Math.max(2, request.topK || 20));
          const pick = ranked.find((t) => t.token !== EOS_ID)!;
          yield piece(model.tokenizer.piece(prev, pick.token), pick.token, pick.logprob);
          ctx.push(pick.token);
          prev = pick.token;
        }
        yield done('length', promptLength, request.maxTokens);
        return;
      }
      if (variant === 'copycat') {
        // One real answer, made once for a prompt of its own, replayed for every task.
        if (first === null) {
          const events: StreamEvent[] = [];
          const canned = {
            ...request,
            model: modelId,
            messages: [{ role: 'user' as const, content: 'the state of the union' }],
            seed: new Uint8Array(32).fill(7),
          };
          for await (const e of honest.stream(canned, signal)) events.push(e);
          first = events;
        }
        yield* first;
        return;
      }
      // slow: honest events, spread over 80 % of the call's timeout (the request says how long).
      const events: StreamEvent[] = [];
      for await (const e of honest.stream(request, signal)) events.push(e);
      const gapMs = (0.8 * request.timeoutS * 1000) / Math.max(1, events.length);
      for (const e of events) {
        if (!(await sleep(gapMs, signal))) return;
        yield e;
      }
    },
  };
}
