import {
  chainMaxUpscaleU16,
  csrToRows,
  type YumaHyperparams,
  type YumaOutput,
  yumaEpoch,
} from '../../src/index.js';

/**
 * A tiny stand-in for the subtensor test runtime: just the storage items the epoch reads
 * (`LastUpdate`, `BlockAtRegistration`, `ValidatorPermit`, `Weights`, `Bonds`, stake), with
 * `set_weights` max-upscaling values like the chain. Used to replay subtensor's epoch tests.
 */
export class ChainSim {
  block: number;
  readonly n: number;
  stake: bigint[];
  lastUpdate: number[];
  blockAtRegistration: number[];
  validatorPermit: boolean[];
  weights: Array<Array<[number, number]>>;
  bonds: Array<Array<[number, number]>>;
  hyper: YumaHyperparams;
  ownerUid: number | undefined;
  last: YumaOutput | undefined;

  constructor(opts: {
    n: number;
    stake: Array<number | bigint>;
    block: number;
    hyper: YumaHyperparams;
    registeredAt?: number;
    ownerUid?: number;
  }) {
    this.n = opts.n;
    this.block = opts.block;
    this.stake = opts.stake.map((s) => BigInt(s));
    this.lastUpdate = new Array(opts.n).fill(0);
    this.blockAtRegistration = new Array(opts.n).fill(opts.registeredAt ?? opts.block);
    this.validatorPermit = new Array(opts.n).fill(false);
    this.weights = Array.from({ length: opts.n }, () => []);
    this.bonds = Array.from({ length: opts.n }, () => []);
    this.hyper = opts.hyper;
    this.ownerUid = opts.ownerUid;
  }

  setWeights(uid: number, dests: number[], values: number[]): void {
    const up = chainMaxUpscaleU16(values);
    this.weights[uid] = dests.map((d, k) => [d, up[k]!]);
    this.lastUpdate[uid] = this.block;
  }

  nextBlock(count = 1): void {
    this.block += count;
  }

  epoch(emission: bigint = 1_000_000_000n): YumaOutput {
    const out = yumaEpoch({
      n: this.n,
      stake: this.stake,
      weights: this.weights,
      bonds: this.bonds,
      lastUpdate: this.lastUpdate,
      blockAtRegistration: this.blockAtRegistration,
      validatorPermit: this.validatorPermit,
      currentBlock: this.block,
      emission,
      hyperparams: this.hyper,
      ...(this.ownerUid !== undefined ? { ownerUid: this.ownerUid } : {}),
    });
    this.bonds = csrToRows(out.bonds);
    this.validatorPermit = out.validatorPermit;
    this.last = out;
    return out;
  }

  /** Dense u16 bond matrix like `get_bonds` (values as stored). */
  bondMatrix(): number[][] {
    return this.bonds.map((row) => {
      const dense = new Array(this.n).fill(0);
      for (const [j, v] of row) dense[j] = v;
      return dense;
    });
  }
}
