import type { BlockContext } from '../../runtime/runtime.js';

/** A subnet's hyperparameters as localnet's options spell them (storage item in the comment). */
export interface SubnetParams {
  /** Tempo (blocks between epochs; 0 = never). */
  tempo: number;
  /** MaxAllowedUids. */
  maxAllowedUids: number;
  /** ImmunityPeriod (blocks). */
  immunityPeriod: number;
  /** MinAllowedWeights. */
  minAllowedWeights: number;
  /** MaxWeightsLimit (u16). */
  maxWeightsLimit: number;
  /** WeightsSetRateLimit (blocks). */
  weightsSetRateLimit: number;
  /** WeightsVersionKey. */
  weightsVersionKey: number;
  /** CommitRevealWeightsEnabled. */
  commitReveal: boolean;
  /** RevealPeriodEpochs. */
  revealPeriodEpochs: number;
  /** ActivityCutoff (blocks). */
  activityCutoff: number;
  /** MaxAllowedValidators. */
  maxAllowedValidators: number;
  /** Kappa (u16). */
  kappa: number;
  /** Rho. */
  rho: number;
  /** BondsMovingAverage (millionths). */
  bondsMovingAverage: number;
  /** BondsPenalty (u16). */
  bondsPenalty: number;
  /** ServingRateLimit (blocks). */
  servingRateLimit: number;
  /** Burn: registration cost in rao. */
  burn: bigint;
  minBurn: bigint;
  maxBurn: bigint;
  /** TargetRegistrationsPerInterval. */
  targetRegistrationsPerInterval: number;
  /** MaxRegistrationsPerBlock. */
  maxRegistrationsPerBlock: number;
  /** AdjustmentInterval (blocks). */
  adjustmentInterval: number;
  /** NetworkRegistrationAllowed. */
  registrationAllowed: boolean;
  /** ImmuneOwnerUidsLimit. */
  immuneOwnerUidsLimit: number;
  /** Yuma3On. */
  yuma3: boolean;
  /** LiquidAlphaOn. */
  liquidAlpha: boolean;
}

/**
 * Mainnet's defaults (spec 343), except tempo 10 as in subtensor's fast-runtime localnet, and
 * a weights rate limit of 10 blocks instead of 100 so a tempo-10 subnet stays usable.
 */
export const DEFAULT_SUBNET_PARAMS: Readonly<SubnetParams> = Object.freeze({
  tempo: 10,
  maxAllowedUids: 256,
  immunityPeriod: 4096,
  minAllowedWeights: 1,
  maxWeightsLimit: 65535,
  weightsSetRateLimit: 10,
  weightsVersionKey: 0,
  commitReveal: true,
  revealPeriodEpochs: 1,
  activityCutoff: 5000,
  maxAllowedValidators: 128,
  kappa: 32767,
  rho: 10,
  bondsMovingAverage: 900_000,
  bondsPenalty: 65535,
  servingRateLimit: 50,
  burn: 100_000_000n,
  minBurn: 500_000n,
  maxBurn: 100_000_000_000n,
  targetRegistrationsPerInterval: 2,
  maxRegistrationsPerBlock: 1,
  adjustmentInterval: 100,
  registrationAllowed: true,
  immuneOwnerUidsLimit: 1,
  yuma3: false,
  liquidAlpha: false,
});

export function writeSubnetParams(ctx: BlockContext, netuid: number, p: SubnetParams): void {
  const i = ctx.items.st;
  const st = ctx.st;
  i.tempo.set(st, [netuid], p.tempo);
  i.maxAllowedUids.set(st, [netuid], p.maxAllowedUids);
  i.immunityPeriod.set(st, [netuid], p.immunityPeriod);
  i.minAllowedWeights.set(st, [netuid], p.minAllowedWeights);
  i.maxWeightsLimit.set(st, [netuid], p.maxWeightsLimit);
  i.weightsSetRateLimit.set(st, [netuid], BigInt(p.weightsSetRateLimit));
  i.weightsVersionKey.set(st, [netuid], BigInt(p.weightsVersionKey));
  i.commitRevealWeightsEnabled.set(st, [netuid], p.commitReveal);
  i.revealPeriodEpochs.set(st, [netuid], BigInt(p.revealPeriodEpochs));
  i.activityCutoff.set(st, [netuid], p.activityCutoff);
  i.maxAllowedValidators.set(st, [netuid], p.maxAllowedValidators);
  i.kappa.set(st, [netuid], p.kappa);
  i.rho.set(st, [netuid], p.rho);
  i.bondsMovingAverage.set(st, [netuid], BigInt(p.bondsMovingAverage));
  i.bondsPenalty.set(st, [netuid], p.bondsPenalty);
  i.servingRateLimit.set(st, [netuid], BigInt(p.servingRateLimit));
  i.burn.set(st, [netuid], p.burn);
  i.minBurn.set(st, [netuid], p.minBurn);
  i.maxBurn.set(st, [netuid], p.maxBurn);
  i.targetRegistrationsPerInterval.set(st, [netuid], p.targetRegistrationsPerInterval);
  i.maxRegistrationsPerBlock.set(st, [netuid], p.maxRegistrationsPerBlock);
  i.adjustmentInterval.set(st, [netuid], p.adjustmentInterval);
  i.networkRegistrationAllowed.set(st, [netuid], p.registrationAllowed);
  i.immuneOwnerUidsLimit.set(st, [netuid], p.immuneOwnerUidsLimit);
  i.yuma3On.set(st, [netuid], p.yuma3);
  i.liquidAlphaOn.set(st, [netuid], p.liquidAlpha);
}
