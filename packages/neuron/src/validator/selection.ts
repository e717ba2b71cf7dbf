import { randomInt } from 'node:crypto';
import { NeuronError } from '../errors.js';

/** The metagraph columns miner selection reads (`@subnetkit/chain`'s `Metagraph` has them). */
export interface SelectionView {
  hotkeys: readonly string[];
  axons: ReadonlyArray<{ ip: string; port: number }>;
  validatorPermit?: readonly boolean[];
  /** Stake per uid, rao. */
  stake?: readonly bigint[];
}

export interface SelectMinersOptions {
  /** Miners to query this step (`--neuron.sample_size`). */
  sampleSize: number;
  /** Uids already queried in the current cycle (the state's `cycle`). */
  called: readonly number[];
  /** Our own uid, never selected. */
  selfUid?: number | null;
  /** Validators (permit holders) with more stake than this (rao) are skipped, like the template's `vpermit_tao_limit`. */
  validatorStakeLimit?: bigint;
  /** Uids never selected (e.g. known-dead for a while). */
  exclude?: readonly number[];
  /** Uniform in [0, 1); default a CSPRNG, so miners cannot predict their turn. */
  random?: () => number;
}

export interface Selection {
  /** The uids to query, ascending. */
  uids: number[];
  /** The cycle state to store for the next call. */
  called: number[];
  /** True when this selection finished a cycle (every eligible uid got its turn). */
  cycleCompleted: boolean;
  /** Uids eligible this step. */
  eligible: number;
}

const UNSPECIFIED = new Set(['', '0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

/** A uid can be queried when it published an axon: a non-zero ip and port. */
export function isServingAxon(axon: { ip: string; port: number } | undefined): boolean {
  return axon !== undefined && !UNSPECIFIED.has(axon.ip) && axon.port > 0 && axon.port <= 65535;
}

// randomInt needs max - min < 2^48.
const defaultRandom = () => randomInt(0, 2 ** 47) / 2 ** 47;

function pick(from: number[], k: number, random: () => number): number[] {
  const a = [...from];
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (a.length - i));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n);
}

/**
 * Round-robin miner selection: each step queries `sampleSize` serving uids that have not been
 * queried yet in the current cycle, chosen at random among them; when fewer remain, the cycle
 * ends and the rest of the sample starts the next one (never repeating a uid in one sample).
 * Our own uid, non-serving axons, excluded uids and high-stake validators are never chosen.
 * Pure: the caller stores `called` for next time.
 */
export function selectMiners(view: SelectionView, options: SelectMinersOptions): Selection {
  if (!Number.isInteger(options.sampleSize) || options.sampleSize < 1) {
    throw new NeuronError(
      'INVALID_ARGUMENT',
      `sampleSize: must be an integer >= 1, got ${options.sampleSize}`,
      {
        details: {
          field: 'sampleSize',
        },
      },
    );
  }
  const random = options.random ?? defaultRandom;
  const exclude = new Set(options.exclude ?? []);
  const eligible: number[] = [];
  for (let uid = 0; uid < view.hotkeys.length; uid++) {
    if (uid === options.selfUid || exclude.has(uid)) continue;
    if (!isServingAxon(view.axons[uid])) continue;
    if (
      options.validatorStakeLimit !== undefined &&
      view.validatorPermit?.[uid] &&
      (view.stake?.[uid] ?? 0n) > options.validatorStakeLimit
    ) {
      continue;
    }
    eligible.push(uid);
  }
  const eligibleSet = new Set(eligible);
  const called = new Set(options.called.filter((uid) => eligibleSet.has(uid)));
  const remaining = eligible.filter((uid) => !called.has(uid));
  const k = Math.min(options.sampleSize, eligible.length);
  let uids: number[];
  let nextCalled: number[];
  let cycleCompleted: boolean;
  if (remaining.length > k) {
    uids = pick(remaining, k, random);
    nextCalled = [...called, ...uids];
    cycleCompleted = false;
  } else {
    // The cycle ends with these; the next cycle starts with the rest of the sample.
    const left = new Set(remaining);
    const fresh = pick(
      eligible.filter((uid) => !left.has(uid)),
      k - remaining.length,
      random,
    );
    uids = [...remaining, ...fresh];
    nextCalled = fresh;
    cycleCompleted = eligible.length > 0;
  }
  return {
    uids: uids.sort((a, b) => a - b),
    called: nextCalled.sort((a, b) => a - b),
    cycleCompleted,
    eligible: eligible.length,
  };
}
