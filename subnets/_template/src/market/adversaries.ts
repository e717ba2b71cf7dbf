/**
 * Adversarial miners for the local market (tooling/demo) and the tests: the honest miner's
 * definition with its answers spoiled, so the market shows the validator tells them apart.
 * Not part of the miner a team runs: `miner/` knows nothing of them.
 */
import { adversaryVariantSection, type MinerDefinition } from '@subnetkit/neuron';
import type { z } from 'zod';
import { templateConfigSchema } from '../config.js';
import type { DummyBackend } from '../miner/backend.js';
import type { Dummy } from '../protocol.js';

/** The adversarial miners that run as processes (a dead miner never starts: no variant here). */
export const ADVERSARY_VARIANTS = ['wrong', 'slow', 'garbage'] as const;
export type AdversaryVariant = (typeof ADVERSARY_VARIANTS)[number];

/** What each variant does, for `--help`, the roster and the market's header. */
export const ADVERSARY_DESCRIPTIONS: Readonly<Record<AdversaryVariant, string>> = Object.freeze({
  wrong: 'answers off by one (a wrong answer)',
  slow: 'never answers before the validator times out',
  garbage: 'answers with an empty output',
});

/** The template's flags plus `--market.variant`, for `adversary-main.ts`. */
export const adversaryConfigSchema = templateConfigSchema.extend({
  market: adversaryVariantSection(ADVERSARY_VARIANTS, ADVERSARY_DESCRIPTIONS),
});

export type AdversaryConfig = z.output<typeof adversaryConfigSchema>;

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** `honest` with its `forward` replaced by the variant's misbehaviour (everything else kept). */
export function createAdversaryMiner<C>(
  variant: AdversaryVariant,
  honest: MinerDefinition<typeof Dummy, DummyBackend, C>,
): MinerDefinition<typeof Dummy, DummyBackend, C> {
  if (!ADVERSARY_VARIANTS.includes(variant)) {
    throw new Error(`market.variant: "${variant}" is not one of ${ADVERSARY_VARIANTS.join(', ')}`);
  }
  return {
    ...honest,
    async forward(input, ctx) {
      if (variant === 'slow') {
        await untilAborted(ctx.signal);
        throw new Error('adversary "slow": no answer before the timeout');
      }
      if (variant === 'garbage') return { dummy_output: null };
      const answer = await honest.forward(input, ctx);
      return { dummy_output: (answer.dummy_output ?? 0) + 1 };
    },
  };
}
