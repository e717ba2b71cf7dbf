import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@subnetkit/neuron';
import { describe, expect, it } from 'vitest';
import { OfflineBackend } from '../miner/backend.js';
import { createTemplateMiner } from '../miner/miner.js';
import {
  ADVERSARY_VARIANTS,
  type AdversaryVariant,
  adversaryConfigSchema,
  createAdversaryMiner,
} from './adversaries.js';
import { market } from './roster.js';

// The parts of the forward context the template miner reads.
const ctx = (signal = new AbortController().signal) =>
  ({ backend: new OfflineBackend(), signal }) as never;
const adversary = (variant: AdversaryVariant) =>
  createAdversaryMiner(variant, createTemplateMiner(new OfflineBackend()));
const input = { dummy_input: 21 };

describe('adversarial miners', () => {
  it('wrap the honest miner: wrong answers off by one, garbage answers empty', async () => {
    expect(await adversary('wrong').forward(input, ctx())).toEqual({ dummy_output: 43 });
    expect(await adversary('garbage').forward(input, ctx())).toEqual({ dummy_output: null });
    expect(adversary('wrong').protocol).toBe(createTemplateMiner(new OfflineBackend()).protocol);
  });

  it('slow never answers before the request is aborted', async () => {
    const controller = new AbortController();
    let settled = false;
    const slow = Promise.resolve(adversary('slow').forward(input, ctx(controller.signal))).finally(
      () => {
        settled = true;
      },
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    controller.abort();
    await expect(slow).rejects.toThrow(/slow/);
  });

  it('--market.variant is required and checked; the template flags stay', () => {
    const load = (argv: string[]) => {
      const r = loadConfig(adversaryConfigSchema, { argv, env: {} });
      if (r.help) throw new Error('help');
      return r.config;
    };
    expect(load(['--market.variant', 'slow']).market.variant).toBe('slow');
    expect(load(['--market.variant', 'wrong']).template.backend).toBe('offline');
    expect(() => load([])).toThrow(/market\.variant/);
    expect(() => load(['--market.variant', 'lazy'])).toThrow(/market\.variant/);
    expect(() => adversary('lazy' as AdversaryVariant)).toThrow(/market\.variant/);
  });
});

describe('market roster', () => {
  const path = (u: URL | null) => (u === null ? null : fileURLToPath(u));

  it('runs the real miner as the honest one and every adversary through adversary-main', () => {
    expect(market.subnet).toBe('template');
    const honest = market.miners.filter((m) => m.honest);
    expect(honest.map((m) => path(m.entry))).toEqual([
      fileURLToPath(new URL('../miner/main.ts', import.meta.url)),
    ]);
    expect(path(market.validator.entry)).toBe(
      fileURLToPath(new URL('../validator/main.ts', import.meta.url)),
    );
    for (const variant of ADVERSARY_VARIANTS) {
      const m = market.miners.find((x) => x.variant === variant);
      expect(m, variant).toMatchObject({ honest: false, args: ['--market.variant', variant] });
      expect(path(m!.entry)).toBe(fileURLToPath(new URL('./adversary-main.ts', import.meta.url)));
    }
    // dead: registered, never started
    expect(market.miners.find((m) => m.variant === 'dead')).toMatchObject({
      honest: false,
      entry: null,
    });
    for (const m of [market.validator, ...market.miners]) {
      if (m.entry) expect(existsSync(fileURLToPath(m.entry)), m.entry.href).toBe(true);
    }
  });
});
