/**
 * The inputs of `vectors/python-weight-stress.json`, rebuilt exactly as
 * `vectors/stress_cases.py` draws them: splitmix64 and IEEE double `+ - * /` only, so Python
 * and JavaScript produce the same bits. Every draw must stay in the Python file's order.
 */

const M64 = (1n << 64n) - 1n;

export const DISTS = ['uniform', 'power4', 'pareto', 'pareto2', 'spiky'] as const;
const ZERO_SHARES = [0, 0, 0.2, 0.5];
export const MIN_ALLOWED = [0, 1, 8, 16, 64];
export const QUANTILES = [0, 0, 6553, 32767, 65535];

export class SplitMix64 {
  private state: bigint;

  constructor(seed: number | bigint) {
    this.state = BigInt(seed) & M64;
  }

  next(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & M64;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    return z ^ (z >> 31n);
  }

  /** A double in [0, 1) from the top 53 bits. */
  uniform(): number {
    return Number(this.next() >> 11n) * 2 ** -53;
  }

  int(lo: number, hi: number): number {
    return lo + Number(this.next() % BigInt(hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Number(this.next() % BigInt(items.length))]!;
  }
}

function draw(rng: SplitMix64, dist: (typeof DISTS)[number]): number {
  const u = rng.uniform();
  switch (dist) {
    case 'uniform':
      return u;
    case 'power4':
      return u * u * u * u;
    case 'pareto':
      return 1 / (1 - u);
    case 'pareto2': {
      const p = 1 / (1 - u);
      return p * p;
    }
    case 'spiky':
      return rng.uniform() < 0.05 ? u * 1000 : u;
  }
}

export function drawWeights(rng: SplitMix64, n: number): { dist: string; weights: number[] } {
  const dist = rng.pick(DISTS);
  const zeros = rng.pick(ZERO_SHARES);
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = draw(rng, dist);
    weights.push(rng.uniform() < zeros ? 0 : v);
  }
  return { dist, weights };
}

export function drawLimit(rng: SplitMix64): { kind: 'float' | 'u16'; limit: number } {
  if (rng.uniform() < 0.5) return { kind: 'float', limit: 0.05 + 0.95 * rng.uniform() };
  return { kind: 'u16', limit: rng.int(3277, 65535) / 65535 };
}
