import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settleEpochEmission, splitBlockEmission } from '../src/index.js';

describe('splitBlockEmission (subtensor emit_to_subnets)', () => {
  it('defaults give 18 % owner cut and 41 % / 41 % miners / validators', () => {
    const s = splitBlockEmission(1_000_000_000n);
    // 11796/65535·1e9 = 179 995 422.29…; the rest halves to 410 002 288.85… each (floored)
    expect(s).toEqual({
      ownerCut: 179_995_422n,
      server: 410_002_288n,
      validator: 410_002_288n,
      root: 0n,
    });
  });
  it('takes root_proportion · 50 % out of the validator half', () => {
    const s = splitBlockEmission(1_000_000_000n, { ownerCutEnabled: false, rootProportion: 0.5 });
    expect(s).toEqual({
      ownerCut: 0n,
      server: 500_000_000n,
      validator: 250_000_000n,
      root: 250_000_000n,
    });
  });
  it('never creates emission: parts sum to at most the block emission', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 65535 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (alpha, cut, rp) => {
          const s = splitBlockEmission(alpha, { ownerCut: cut, rootProportion: rp });
          const total = s.ownerCut + s.server + s.validator + s.root;
          expect(total <= alpha).toBe(true);
          expect(alpha - total <= 3n).toBe(true);
        },
      ),
    );
  });
  it('validators take the miners share when no incentive was paid', () => {
    const p = { server: 10n, validator: 8n, root: 2n };
    expect(settleEpochEmission(p, 5n)).toEqual({ miners: 10n, validators: 8n, root: 2n });
    expect(settleEpochEmission(p, 0n)).toEqual({ miners: 0n, validators: 18n, root: 2n });
  });
});
