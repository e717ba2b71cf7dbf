import { NeuronError } from '../errors.js';

/** The metagraph columns caller checks read (`@subnetkit/chain`'s `Metagraph` has them). */
export interface CallerLookupView {
  hotkeys: readonly string[];
  validatorPermit?: readonly boolean[];
  /** Stake per uid, rao. */
  stake?: readonly bigint[];
}

/** Who is calling, as far as the metagraph knows. */
export interface CallerView {
  hotkey: string;
  /** `null` when the hotkey is not registered on the subnet. */
  uid: number | null;
  /** rao; 0 when unregistered. */
  stake: bigint;
  validatorPermit: boolean;
}

/** Hotkey → uid index over a metagraph, built once per sync (O(1) per request). */
export class CallerIndex {
  readonly #view: CallerLookupView;
  readonly #uids: Map<string, number>;

  constructor(view: CallerLookupView) {
    this.#view = view;
    this.#uids = new Map();
    view.hotkeys.forEach((hotkey, uid) => {
      if (!this.#uids.has(hotkey)) this.#uids.set(hotkey, uid);
    });
  }

  /** Never throws for an unknown hotkey (the Python template's `hotkeys.index` did: HTTP 500). */
  lookup(hotkey: string): CallerView {
    const uid = this.#uids.get(hotkey);
    if (uid === undefined) return { hotkey, uid: null, stake: 0n, validatorPermit: false };
    return {
      hotkey,
      uid,
      stake: this.#view.stake?.[uid] ?? 0n,
      validatorPermit: this.#view.validatorPermit?.[uid] ?? false,
    };
  }
}

/** `--blacklist.*`. */
export interface BlacklistPolicy {
  forceValidatorPermit: boolean;
  allowNonRegistered: boolean;
  /** Minimum stake in TAO/alpha units (1 = 1e9 rao). */
  minStake: number;
}

const RAO_PER_UNIT = 1_000_000_000;

/** Converts a stake in TAO/alpha units to rao (exactly for up to 9 decimals). */
export function toRao(amount: number): bigint {
  if (!Number.isFinite(amount) || amount < 0) {
    throw new NeuronError(
      'INVALID_ARGUMENT',
      `stake: must be a finite number >= 0, got ${amount}`,
      {
        details: {
          field: 'blacklist.min_stake',
        },
      },
    );
  }
  const [whole, frac = ''] = amount.toFixed(9).split('.');
  return BigInt(whole!) * BigInt(RAO_PER_UNIT) + BigInt(frac.padEnd(9, '0'));
}

/**
 * The default miner blacklist: unregistered callers are refused (unless
 * `allowNonRegistered`), then callers without a validator permit (with
 * `forceValidatorPermit`), then callers under `minStake`. The reason says which rule.
 */
export function defaultBlacklist(
  caller: CallerView,
  policy: BlacklistPolicy,
): { blacklisted: boolean; reason: string } {
  if (caller.uid === null) {
    if (!policy.allowNonRegistered) {
      return { blacklisted: true, reason: 'unrecognized hotkey (not registered on this subnet)' };
    }
    if (policy.forceValidatorPermit || policy.minStake > 0) {
      return {
        blacklisted: true,
        reason: 'unregistered hotkey cannot hold a permit or stake here',
      };
    }
    return { blacklisted: false, reason: 'unregistered caller allowed' };
  }
  if (policy.forceValidatorPermit && !caller.validatorPermit) {
    return { blacklisted: true, reason: 'non-validator hotkey (no validator permit)' };
  }
  const min = toRao(policy.minStake);
  if (caller.stake < min) {
    return {
      blacklisted: true,
      reason: `stake ${Number(caller.stake) / RAO_PER_UNIT} below --blacklist.min_stake ${policy.minStake}`,
    };
  }
  return { blacklisted: false, reason: 'hotkey recognized' };
}

/** The default priority: the caller's stake (in units), 0 when unregistered. */
export function defaultPriority(caller: CallerView): number {
  return Number(caller.stake) / RAO_PER_UNIT;
}
