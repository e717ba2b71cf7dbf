import type { BuildContext } from './context.js';
import { errorEnum, type PalletSpec, palletEnum, v } from './pallet-spec.js';

export type SetterKind = 'u16' | 'u64' | 'bool';

/**
 * The AdminUtils hyperparameter setters localnet implements: call index and argument name as in
 * spec 343, the SubtensorModule storage item each one writes, and the event it deposits.
 * `root`: sudo only; `owner`: the subnet owner coldkey (outside the admin freeze window) or sudo.
 */
export interface AdminSetter {
  call: string;
  index: number;
  /** Per-subnet setters take `netuid: u16` first. */
  perSubnet: boolean;
  arg: string;
  kind: SetterKind;
  item: string;
  event?: string;
  auth: 'root' | 'owner';
}

const S = (
  index: number,
  call: string,
  arg: string,
  kind: SetterKind,
  item: string,
  event: string | undefined,
  auth: 'root' | 'owner',
  perSubnet = true,
): AdminSetter => ({ call, index, arg, kind, item, auth, perSubnet, ...(event ? { event } : {}) });

export const ADMIN_SETTERS: readonly AdminSetter[] = [
  S(
    3,
    'sudo_set_serving_rate_limit',
    'serving_rate_limit',
    'u64',
    'ServingRateLimit',
    'ServingRateLimitSet',
    'owner',
  ),
  S(
    6,
    'sudo_set_weights_version_key',
    'weights_version_key',
    'u64',
    'WeightsVersionKey',
    'WeightsVersionKeySet',
    'owner',
  ),
  S(
    7,
    'sudo_set_weights_set_rate_limit',
    'weights_set_rate_limit',
    'u64',
    'WeightsSetRateLimit',
    'WeightsSetRateLimitSet',
    'root',
  ),
  S(
    8,
    'sudo_set_adjustment_interval',
    'adjustment_interval',
    'u16',
    'AdjustmentInterval',
    'AdjustmentIntervalSet',
    'root',
  ),
  S(
    13,
    'sudo_set_immunity_period',
    'immunity_period',
    'u16',
    'ImmunityPeriod',
    'ImmunityPeriodSet',
    'owner',
  ),
  S(
    14,
    'sudo_set_min_allowed_weights',
    'min_allowed_weights',
    'u16',
    'MinAllowedWeights',
    'MinAllowedWeightSet',
    'owner',
  ),
  S(
    15,
    'sudo_set_max_allowed_uids',
    'max_allowed_uids',
    'u16',
    'MaxAllowedUids',
    'MaxAllowedUidsSet',
    'owner',
  ),
  S(16, 'sudo_set_kappa', 'kappa', 'u16', 'Kappa', 'KappaSet', 'root'),
  S(17, 'sudo_set_rho', 'rho', 'u16', 'Rho', 'RhoSet', 'owner'),
  S(
    18,
    'sudo_set_activity_cutoff',
    'activity_cutoff',
    'u16',
    'ActivityCutoff',
    'ActivityCutoffSet',
    'owner',
  ),
  S(
    19,
    'sudo_set_network_registration_allowed',
    'registration_allowed',
    'bool',
    'NetworkRegistrationAllowed',
    'RegistrationAllowed',
    'root',
  ),
  S(
    20,
    'sudo_set_network_pow_registration_allowed',
    'registration_allowed',
    'bool',
    'NetworkPowRegistrationAllowed',
    'PowRegistrationAllowed',
    'owner',
  ),
  S(
    21,
    'sudo_set_target_registrations_per_interval',
    'target_registrations_per_interval',
    'u16',
    'TargetRegistrationsPerInterval',
    'RegistrationPerIntervalSet',
    'root',
  ),
  S(22, 'sudo_set_min_burn', 'min_burn', 'u64', 'MinBurn', 'MinBurnSet', 'owner'),
  S(23, 'sudo_set_max_burn', 'max_burn', 'u64', 'MaxBurn', 'MaxBurnSet', 'owner'),
  S(24, 'sudo_set_difficulty', 'difficulty', 'u64', 'Difficulty', 'DifficultySet', 'root'),
  S(
    25,
    'sudo_set_max_allowed_validators',
    'max_allowed_validators',
    'u16',
    'MaxAllowedValidators',
    'MaxAllowedValidatorsSet',
    'root',
  ),
  S(
    26,
    'sudo_set_bonds_moving_average',
    'bonds_moving_average',
    'u64',
    'BondsMovingAverage',
    'BondsMovingAverageSet',
    'owner',
  ),
  S(
    27,
    'sudo_set_max_registrations_per_block',
    'max_registrations_per_block',
    'u16',
    'MaxRegistrationsPerBlock',
    'MaxRegistrationsPerBlockSet',
    'root',
  ),
  S(
    28,
    'sudo_set_subnet_owner_cut',
    'subnet_owner_cut',
    'u16',
    'SubnetOwnerCut',
    'SubnetOwnerCutSet',
    'root',
    false,
  ),
  S(
    29,
    'sudo_set_network_rate_limit',
    'rate_limit',
    'u64',
    'NetworkRateLimit',
    'NetworkRateLimitSet',
    'root',
    false,
  ),
  S(30, 'sudo_set_tempo', 'tempo', 'u16', 'Tempo', 'TempoSet', 'root'),
  S(
    38,
    'sudo_set_lock_reduction_interval',
    'interval',
    'u64',
    'NetworkLockReductionInterval',
    'NetworkLockCostReductionIntervalSet',
    'root',
    false,
  ),
  S(
    42,
    'sudo_set_stake_threshold',
    'min_stake',
    'u64',
    'StakeThreshold',
    'StakeThresholdSet',
    'root',
    false,
  ),
  S(
    49,
    'sudo_set_commit_reveal_weights_enabled',
    'enabled',
    'bool',
    'CommitRevealWeightsEnabled',
    'CommitRevealEnabled',
    'owner',
  ),
  S(50, 'sudo_set_liquid_alpha_enabled', 'enabled', 'bool', 'LiquidAlphaOn', undefined, 'owner'),
  S(
    57,
    'sudo_set_commit_reveal_weights_interval',
    'interval',
    'u64',
    'RevealPeriodEpochs',
    'CommitRevealPeriodsSet',
    'owner',
  ),
  S(
    60,
    'sudo_set_bonds_penalty',
    'bonds_penalty',
    'u16',
    'BondsPenalty',
    'BondsPenaltySet',
    'owner',
  ),
  S(61, 'sudo_set_toggle_transfer', 'toggle', 'bool', 'TransferToggle', 'TransferToggle', 'owner'),
  S(
    66,
    'sudo_set_subtoken_enabled',
    'subtoken_enabled',
    'bool',
    'SubtokenEnabled',
    undefined,
    'root',
  ),
  S(69, 'sudo_set_yuma3_enabled', 'enabled', 'bool', 'Yuma3On', undefined, 'owner'),
  S(
    71,
    'sudo_set_commit_reveal_version',
    'version',
    'u16',
    'CommitRevealWeightsVersion',
    'CommitRevealVersionSet',
    'root',
    false,
  ),
  S(
    72,
    'sudo_set_owner_immune_neuron_limit',
    'immune_neurons',
    'u16',
    'ImmuneOwnerUidsLimit',
    undefined,
    'owner',
  ),
  S(
    74,
    'sudo_set_admin_freeze_window',
    'window',
    'u16',
    'AdminFreezeWindow',
    'AdminFreezeWindowSet',
    'root',
    false,
  ),
];

/** pallet_admin_utils, index 19. */
export function buildAdminUtils(ctx: BuildContext): PalletSpec {
  const { t, c } = ctx;
  const kindType = { u16: c.u16, u64: c.u64, bool: c.bool } as const;
  const calls = ADMIN_SETTERS.map((s) =>
    v(s.call, s.index, [
      ...(s.perSubnet ? ([['netuid', c.u16]] as [string, number][]) : []),
      [s.arg, kindType[s.kind]],
    ]),
  );
  calls.push(
    v('sudo_set_alpha_values', 51, [
      ['netuid', c.u16],
      ['alpha_low', c.u16],
      ['alpha_high', c.u16],
    ]),
  );
  return {
    name: 'AdminUtils',
    index: 19,
    calls: palletEnum(t, 'pallet_admin_utils::pallet::Call', calls),
    events: palletEnum(t, 'pallet_admin_utils::pallet::Event', [
      v('Yuma3EnableToggled', 1, [
        ['netuid', c.u16],
        ['enabled', c.bool],
      ]),
      v('BondsResetToggled', 2, [
        ['netuid', c.u16],
        ['enabled', c.bool],
      ]),
    ]),
    errors: errorEnum(t, 'pallet_admin_utils::pallet::Error', [
      'SubnetDoesNotExist',
      'MaxValidatorsLargerThanMaxUIds',
      'MaxAllowedUIdsLessThanCurrentUIds',
      'BondsMovingAverageMaxReached',
      'NegativeSigmoidSteepness',
      'ValueNotInBounds',
      'MinAllowedUidsGreaterThanCurrentUids',
      'MinAllowedUidsGreaterThanMaxAllowedUids',
      'MaxAllowedUidsLessThanMinAllowedUids',
      'MaxAllowedUidsGreaterThanDefaultMaxAllowedUids',
      'InvalidValue',
    ]),
  };
}
