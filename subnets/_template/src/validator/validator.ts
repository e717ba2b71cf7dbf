import type { ValidatorDefinition } from '@subnetkit/neuron';
import { fail, pass } from '@subnetkit/scoring';
import type { TemplateConfig } from '../config.js';
import { Dummy } from '../protocol.js';

/** Inputs stay below 2^31, so `2 · input` is exact everywhere (JSON, Python int, JS number). */
export const MAX_INPUT = 2 ** 31;

/**
 * The template validator. Each miner gets its own input, drawn from its own seed (derived
 * from the validator's secret, so miners cannot predict it, share or replay answers); the
 * answer is checked exactly against `2 · input`.
 */
export function createTemplateValidator(): ValidatorDefinition<
  typeof Dummy,
  number,
  { expected: number; got: number | null },
  TemplateConfig
> {
  return {
    protocol: Dummy,
    createTask(_seed, _uid, ctx) {
      const input = ctx.random.int(MAX_INPUT);
      return { input: { dummy_input: input }, private: input * 2 };
    },
    score(task, response) {
      const expected = task.private as number;
      const got = response.output?.dummy_output ?? null;
      const evidence = { expected, got };
      if (got === null) return fail('empty answer', { components: { exact: 0 }, evidence });
      if (got !== expected) {
        return fail(`expected ${expected}, got ${got}`, { components: { exact: 0 }, evidence });
      }
      return pass(1, { components: { exact: 1 }, evidence });
    },
  };
}
