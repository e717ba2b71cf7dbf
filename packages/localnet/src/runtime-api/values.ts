import { METAGRAPH_FIELDS } from '../metadata/runtime-apis.js';
import { epochIndex } from '../pallets/subtensor/weights.js';
import type { BlockContext } from '../runtime/runtime.js';
import { EMPTY_AXON, EMPTY_PROMETHEUS } from '../state/codecs.js';

const at = <T>(v: T[], i: number, d: T): T => v[i] ?? d;
const FIXED_ONE_U32 = 1n << 32n;

/** NeuronInfoLite / NeuronInfo as @polkadot/types takes them (camelCase fields). */
export function neuronValue(ctx: BlockContext, netuid: number, uid: number, full: boolean) {
  const i = ctx.items.st;
  const st = ctx.st;
  const hotkey = i.keys.get(st, netuid, uid);
  const coldkey = i.owner.get(st, hotkey);
  const v: Record<string, unknown> = {
    hotkey,
    coldkey,
    uid,
    netuid,
    active: at(i.active.get(st, netuid), uid, false),
    axonInfo: i.axons.getOpt(st, netuid, hotkey) ?? EMPTY_AXON,
    prometheusInfo: i.prometheus.getOpt(st, netuid, hotkey) ?? EMPTY_PROMETHEUS,
    stake: [[coldkey, i.totalHotkeyAlpha.get(st, hotkey, netuid)]],
    rank: at(i.rank.get(st, netuid), uid, 0),
    emission: at(i.emission.get(st, netuid), uid, 0n),
    incentive: at(i.incentive.get(st, netuid), uid, 0),
    consensus: at(i.consensus.get(st, netuid), uid, 0),
    trust: at(i.trust.get(st, netuid), uid, 0),
    validatorTrust: at(i.validatorTrust.get(st, netuid), uid, 0),
    dividends: at(i.dividends.get(st, netuid), uid, 0),
    lastUpdate: at(i.lastUpdate.get(st, netuid), uid, 0n),
    validatorPermit: at(i.validatorPermit.get(st, netuid), uid, false),
    pruningScore: at(i.pruningScores.get(st, netuid), uid, 0),
  };
  if (full) {
    const nz = (rows: [number, number][]) => rows.filter(([, w]) => w > 0);
    v.weights = nz(i.weights.get(st, netuid, uid));
    v.bonds = nz(i.bonds.get(st, netuid, uid));
  }
  return v;
}

const text = (s: string) => [...new TextEncoder().encode(s)];

/** The full `Metagraph` value, keyed by the snake_case field names of METAGRAPH_FIELDS. */
export function metagraphValue(ctx: BlockContext, netuid: number): Record<string, unknown> {
  const i = ctx.items.st;
  const st = ctx.st;
  const n = i.subnetworkN.get(st, netuid);
  const uids = Array.from({ length: n }, (_, u) => u);
  const hotkeys = uids.map((u) => i.keys.get(st, netuid, u));
  const stake = hotkeys.map((h) => i.totalHotkeyAlpha.get(st, h, netuid));
  const tempo = i.tempo.get(st, netuid);
  const lastStep = i.lastMechansimStepBlock.get(st, netuid);
  void epochIndex;
  return {
    netuid,
    name: text(`localnet-${netuid}`),
    symbol: text(`α${netuid}`),
    identity: null,
    network_registered_at: i.networkRegisteredAt.get(st, netuid),
    owner_hotkey: i.subnetOwnerHotkey.get(st, netuid),
    owner_coldkey: i.subnetOwner.get(st, netuid),
    block: ctx.blockNumber - 1,
    tempo,
    last_step: lastStep,
    blocks_since_last_step: i.blocksSinceLastStep.get(st, netuid),
    subnet_emission: ctx.params.blockEmission,
    alpha_in: 0,
    alpha_out: i.subnetAlphaOut.get(st, netuid),
    tao_in: i.subnetTao.get(st, netuid),
    alpha_out_emission: ctx.params.blockEmission,
    alpha_in_emission: 0,
    tao_in_emission: 0,
    pending_alpha_emission:
      i.pendingServerEmission.get(st, netuid) + i.pendingValidatorEmission.get(st, netuid),
    pending_root_emission: 0,
    subnet_volume: 0,
    moving_price: { bits: FIXED_ONE_U32 },
    rho: i.rho.get(st, netuid),
    kappa: i.kappa.get(st, netuid),
    min_allowed_weights: i.minAllowedWeights.get(st, netuid),
    max_weights_limit: i.maxWeightsLimit.get(st, netuid),
    weights_version: i.weightsVersionKey.get(st, netuid),
    weights_rate_limit: i.weightsSetRateLimit.get(st, netuid),
    activity_cutoff: i.activityCutoff.get(st, netuid),
    max_validators: i.maxAllowedValidators.get(st, netuid),
    num_uids: n,
    max_uids: i.maxAllowedUids.get(st, netuid),
    burn: i.burn.get(st, netuid),
    difficulty: i.difficulty.get(st, netuid),
    registration_allowed: i.networkRegistrationAllowed.get(st, netuid),
    pow_registration_allowed: false,
    immunity_period: i.immunityPeriod.get(st, netuid),
    min_difficulty: i.difficulty.get(st, netuid),
    max_difficulty: i.difficulty.get(st, netuid),
    min_burn: i.minBurn.get(st, netuid),
    max_burn: i.maxBurn.get(st, netuid),
    adjustment_alpha: 0,
    adjustment_interval: i.adjustmentInterval.get(st, netuid),
    target_regs_per_interval: i.targetRegistrationsPerInterval.get(st, netuid),
    max_regs_per_block: i.maxRegistrationsPerBlock.get(st, netuid),
    serving_rate_limit: i.servingRateLimit.get(st, netuid),
    commit_reveal_weights_enabled: i.commitRevealWeightsEnabled.get(st, netuid),
    commit_reveal_period: i.revealPeriodEpochs.get(st, netuid),
    liquid_alpha_enabled: i.liquidAlphaOn.get(st, netuid),
    alpha_high: i.alphaValues.get(st, netuid)[1],
    alpha_low: i.alphaValues.get(st, netuid)[0],
    bonds_moving_avg: i.bondsMovingAverage.get(st, netuid),
    hotkeys,
    coldkeys: hotkeys.map((h) => i.owner.get(st, h)),
    identities: uids.map(() => null),
    axons: hotkeys.map((h) => i.axons.getOpt(st, netuid, h) ?? EMPTY_AXON),
    active: pad(i.active.get(st, netuid), n, false),
    validator_permit: pad(i.validatorPermit.get(st, netuid), n, false),
    pruning_score: pad(i.pruningScores.get(st, netuid), n, 0),
    last_update: pad(i.lastUpdate.get(st, netuid), n, 0n),
    emission: pad(i.emission.get(st, netuid), n, 0n),
    dividends: pad(i.dividends.get(st, netuid), n, 0),
    incentives: pad(i.incentive.get(st, netuid), n, 0),
    consensus: pad(i.consensus.get(st, netuid), n, 0),
    trust: pad(i.trust.get(st, netuid), n, 0),
    rank: pad(i.rank.get(st, netuid), n, 0),
    block_at_registration: uids.map((u) => i.blockAtRegistration.get(st, netuid, u)),
    alpha_stake: stake,
    tao_stake: stake.map(() => 0n),
    total_stake: stake,
    tao_dividends_per_hotkey: hotkeys.map((h) => [h, 0n]),
    alpha_dividends_per_hotkey: hotkeys.map((h) => [h, 0n]),
  };
}

const pad = <T>(v: T[], n: number, d: T): T[] => Array.from({ length: n }, (_, k) => v[k] ?? d);

const camel = (s: string) => s.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

export function toCamel(v: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), x]));
}

/** SelectiveMetagraph: requested indexes (0 is always included) wrapped as Some, others None. */
export function selectiveValue(
  ctx: BlockContext,
  netuid: number,
  indexes: number[],
): Record<string, unknown> {
  const full = metagraphValue(ctx, netuid);
  const want = new Set([0, ...indexes]);
  const out: Record<string, unknown> = { netuid };
  METAGRAPH_FIELDS.forEach((f, k) => {
    if (k > 0) out[camel(f)] = want.has(k) ? full[f] : null;
  });
  const permit = full.validator_permit as boolean[];
  out.validators = want.has(72) ? permit.flatMap((p, u) => (p ? [u] : [])) : null;
  out.commitments = want.has(73) ? [] : null;
  return out;
}

export function hyperparamsValue(
  ctx: BlockContext,
  netuid: number,
  v2: boolean,
): Record<string, unknown> {
  const i = ctx.items.st;
  const st = ctx.st;
  const m = metagraphValue(ctx, netuid);
  const base: Record<string, unknown> = {
    rho: m.rho,
    kappa: m.kappa,
    immunityPeriod: m.immunity_period,
    minAllowedWeights: m.min_allowed_weights,
    maxWeightsLimit: m.max_weights_limit,
    tempo: m.tempo,
    minDifficulty: m.min_difficulty,
    maxDifficulty: m.max_difficulty,
    weightsVersion: m.weights_version,
    weightsRateLimit: m.weights_rate_limit,
    adjustmentInterval: m.adjustment_interval,
    activityCutoff: m.activity_cutoff,
    registrationAllowed: m.registration_allowed,
    targetRegsPerInterval: m.target_regs_per_interval,
    minBurn: m.min_burn,
    maxBurn: m.max_burn,
    bondsMovingAvg: m.bonds_moving_avg,
    maxRegsPerBlock: m.max_regs_per_block,
    servingRateLimit: m.serving_rate_limit,
    maxValidators: m.max_validators,
    adjustmentAlpha: m.adjustment_alpha,
    difficulty: m.difficulty,
    commitRevealPeriod: m.commit_reveal_period,
    commitRevealWeightsEnabled: m.commit_reveal_weights_enabled,
    alphaHigh: m.alpha_high,
    alphaLow: m.alpha_low,
    liquidAlphaEnabled: m.liquid_alpha_enabled,
  };
  if (!v2) return base;
  return {
    ...base,
    alphaSigmoidSteepness: { bits: 1000n * FIXED_ONE_U32 },
    yumaVersion: i.yuma3On.get(st, netuid) ? 3 : 2,
    subnetIsActive: i.subtokenEnabled.get(st, netuid),
    transfersEnabled: i.transferToggle.get(st, netuid),
    bondsResetEnabled: false,
    userLiquidityEnabled: false,
  };
}

export function subnetStateValue(ctx: BlockContext, netuid: number): Record<string, unknown> {
  const m = metagraphValue(ctx, netuid);
  return {
    netuid,
    hotkeys: m.hotkeys,
    coldkeys: m.coldkeys,
    active: m.active,
    validatorPermit: m.validator_permit,
    pruningScore: m.pruning_score,
    lastUpdate: m.last_update,
    emission: m.emission,
    dividends: m.dividends,
    incentives: m.incentives,
    consensus: m.consensus,
    trust: m.trust,
    rank: m.rank,
    blockAtRegistration: m.block_at_registration,
    alphaStake: m.alpha_stake,
    taoStake: m.tao_stake,
    totalStake: m.total_stake,
    emissionHistory: [],
  };
}

export function dynamicInfoValue(ctx: BlockContext, netuid: number): Record<string, unknown> {
  const m = metagraphValue(ctx, netuid);
  return {
    netuid,
    ownerHotkey: m.owner_hotkey,
    ownerColdkey: m.owner_coldkey,
    subnetName: m.name,
    tokenSymbol: m.symbol,
    tempo: m.tempo,
    lastStep: m.last_step,
    blocksSinceLastStep: m.blocks_since_last_step,
    emission: m.subnet_emission,
    alphaIn: 0,
    alphaOut: m.alpha_out,
    taoIn: m.tao_in,
    alphaOutEmission: m.alpha_out_emission,
    alphaInEmission: 0,
    taoInEmission: 0,
    pendingAlphaEmission: m.pending_alpha_emission,
    pendingRootEmission: 0,
    subnetVolume: 0,
    networkRegisteredAt: m.network_registered_at,
    subnetIdentity: null,
    movingPrice: m.moving_price,
  };
}
