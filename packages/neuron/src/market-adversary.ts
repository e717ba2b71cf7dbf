/**
 * What every subnet's adversarial market miners share: the `--market.variant` flag their
 * `adversary-main.ts` reads and the roster entry that starts them with it.
 */
import type { WireName } from '@subnetkit/transport';
import { z } from 'zod';
import { type MarketMiner, marketEntry } from './market.js';

/**
 * The `market` config section of an adversary process: `--market.variant <one of variants>`,
 * its help listing what each variant does. Extend a subnet's config schema with it:
 * `mySchema.extend({ market: adversaryVariantSection(VARIANTS, DESCRIPTIONS) })`.
 */
export function adversaryVariantSection<const V extends readonly [string, ...string[]]>(
  variants: V,
  descriptions: Readonly<Record<V[number], string>>,
) {
  const help = variants.map((v: V[number]) => `${v} ${descriptions[v]}`).join('; ');
  return z.object({
    variant: z.enum(variants).describe(`How this miner misbehaves: ${help}`),
  });
}

export interface AdversaryMinerOptions {
  /** How many the market runs by default (1). */
  count?: number;
  /** The wire each instance serves, in turn (see {@link MarketMiner.wires}). */
  wires?: readonly WireName[];
  /** The process, relative to the roster module (`./adversary-main`). */
  entry?: string;
}

/**
 * A roster entry for one adversarial variant: `<roster dir>/adversary-main` run with
 * `--market.variant <variant>`. `rosterUrl` is the roster module's `import.meta.url`.
 */
export function adversaryMiner(
  rosterUrl: string,
  variant: string,
  description: string,
  options: AdversaryMinerOptions = {},
): MarketMiner {
  return {
    variant,
    honest: false,
    count: options.count ?? 1,
    ...(options.wires ? { wires: options.wires } : {}),
    description,
    entry: marketEntry(rosterUrl, options.entry ?? './adversary-main'),
    args: ['--market.variant', variant],
  };
}
