/**
 * Adversarial image miners for the local market (tooling/demo) and the tests: the honest
 * miner's definition with its answers spoiled, so the market shows the validator pays them
 * less. Not part of the miner a team runs: `miner/` knows nothing of them.
 */
import { adversaryVariantSection, type MinerDefinition } from '@subnetkit/neuron';
import sharp from 'sharp';
import type { z } from 'zod';
import { imageConfigSchema } from '../config.js';
import type { ImageBackend } from '../miner/backend.js';
import { PALETTE } from '../prompt/palette.js';
import type { ImageGeneration } from '../protocol.js';
import { imageTask } from '../validator/task.js';

/** The adversarial miners that run as processes (a dead miner never starts: no variant here). */
export const ADVERSARY_VARIANTS = ['blank', 'wrong-size', 'copycat', 'slow'] as const;
export type AdversaryVariant = (typeof ADVERSARY_VARIANTS)[number];

/** What each variant does, for `--help`, the roster and the market's header. */
export const ADVERSARY_DESCRIPTIONS: Readonly<Record<AdversaryVariant, string>> = Object.freeze({
  blank: 'answers a blank image of the asked size, filled with the asked background',
  'wrong-size': 'answers the right picture at the wrong size',
  copycat: 'replays one real image, made once for a task of its own, resized to the asked size',
  slow: 'answers the right picture, late (at 85 % of the timeout)',
});

/** The image flags plus `--market.variant`, for `adversary-main.ts`. */
export const adversaryConfigSchema = imageConfigSchema.extend({
  market: adversaryVariantSection(ADVERSARY_VARIANTS, ADVERSARY_DESCRIPTIONS),
});

export type AdversaryConfig = z.output<typeof adversaryConfigSchema>;

type Definition<C> = MinerDefinition<typeof ImageGeneration, ImageBackend, C>;
type Output = { image_b64: string | null };

const png = async (image: ReturnType<typeof sharp>): Promise<Output> => ({
  image_b64: (await image.png().toBuffer()).toString('base64'),
});

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new Error('adversary "slow": cancelled'));
      },
      { once: true },
    );
  });
}

/** `honest` with its `forward` replaced by the variant's misbehaviour (everything else kept). */
export function createAdversaryMiner<C>(
  variant: AdversaryVariant,
  honest: Definition<C>,
): Definition<C> {
  if (!ADVERSARY_VARIANTS.includes(variant)) {
    throw new Error(`market.variant: "${variant}" is not one of ${ADVERSARY_VARIANTS.join(', ')}`);
  }
  let first: Buffer | null = null;
  return {
    ...honest,
    async forward(input, ctx) {
      const { width, height, background } = input.spec;
      if (variant === 'blank') {
        const [r, g, b] = PALETTE[background];
        return png(sharp({ create: { width, height, channels: 3, background: { r, g, b } } }));
      }
      if (variant === 'copycat') {
        // One real image, made once for a task of its own, replayed at every asked size.
        if (first === null) {
          const own = imageTask({ seed: '07'.repeat(32) }).input;
          const made = (await honest.forward(own, ctx)) as Output;
          first = Buffer.from(made.image_b64 ?? '', 'base64');
        }
        return png(sharp(first).resize(width, height, { fit: 'fill' }));
      }
      if (variant === 'slow') await sleep(ctx.timeout * 850, ctx.signal);
      const answer = (await honest.forward(input, ctx)) as Output;
      const bytes = Buffer.from(answer.image_b64 ?? '', 'base64');
      if (variant === 'wrong-size') {
        return png(sharp(bytes).resize(width + 64, height, { fit: 'fill' }));
      }
      return answer;
    },
  };
}
