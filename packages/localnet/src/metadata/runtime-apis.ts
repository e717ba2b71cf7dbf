import type { BuildContext } from './context.js';
import type { SubtensorTypes } from './subtensor.js';
import type { TypeId } from './type-table.js';

export interface ApiMethodSpec {
  name: string;
  inputs: { name: string; type: TypeId }[];
  output: TypeId;
}

export interface ApiSpec {
  name: string;
  version: number;
  methods: ApiMethodSpec[];
}

/** Metagraph fields in spec-343 order; `SelectiveMetagraph` wraps each (but netuid) in Option. */
export const METAGRAPH_FIELDS = [
  'netuid',
  'name',
  'symbol',
  'identity',
  'network_registered_at',
  'owner_hotkey',
  'owner_coldkey',
  'block',
  'tempo',
  'last_step',
  'blocks_since_last_step',
  'subnet_emission',
  'alpha_in',
  'alpha_out',
  'tao_in',
  'alpha_out_emission',
  'alpha_in_emission',
  'tao_in_emission',
  'pending_alpha_emission',
  'pending_root_emission',
  'subnet_volume',
  'moving_price',
  'rho',
  'kappa',
  'min_allowed_weights',
  'max_weights_limit',
  'weights_version',
  'weights_rate_limit',
  'activity_cutoff',
  'max_validators',
  'num_uids',
  'max_uids',
  'burn',
  'difficulty',
  'registration_allowed',
  'pow_registration_allowed',
  'immunity_period',
  'min_difficulty',
  'max_difficulty',
  'min_burn',
  'max_burn',
  'adjustment_alpha',
  'adjustment_interval',
  'target_regs_per_interval',
  'max_regs_per_block',
  'serving_rate_limit',
  'commit_reveal_weights_enabled',
  'commit_reveal_period',
  'liquid_alpha_enabled',
  'alpha_high',
  'alpha_low',
  'bonds_moving_avg',
  'hotkeys',
  'coldkeys',
  'identities',
  'axons',
  'active',
  'validator_permit',
  'pruning_score',
  'last_update',
  'emission',
  'dividends',
  'incentives',
  'consensus',
  'trust',
  'rank',
  'block_at_registration',
  'alpha_stake',
  'tao_stake',
  'total_stake',
  'tao_dividends_per_hotkey',
  'alpha_dividends_per_hotkey',
] as const;

/** Extra SelectiveMetagraph fields after the Metagraph ones (indexes 72, 73). */
export const SELECTIVE_EXTRA_FIELDS = ['validators', 'commitments'] as const;

export const HYPERPARAM_FIELDS = [
  'rho',
  'kappa',
  'immunity_period',
  'min_allowed_weights',
  'max_weights_limit',
  'tempo',
  'min_difficulty',
  'max_difficulty',
  'weights_version',
  'weights_rate_limit',
  'adjustment_interval',
  'activity_cutoff',
  'registration_allowed',
  'target_regs_per_interval',
  'min_burn',
  'max_burn',
  'bonds_moving_avg',
  'max_regs_per_block',
  'serving_rate_limit',
  'max_validators',
  'adjustment_alpha',
  'difficulty',
  'commit_reveal_period',
  'commit_reveal_weights_enabled',
  'alpha_high',
  'alpha_low',
  'liquid_alpha_enabled',
] as const;

export const HYPERPARAM_V2_EXTRA = [
  'alpha_sigmoid_steepness',
  'yuma_version',
  'subnet_is_active',
  'transfers_enabled',
  'bonds_reset_enabled',
  'user_liquidity_enabled',
] as const;

export const SUBNET_STATE_FIELDS = [
  'netuid',
  'hotkeys',
  'coldkeys',
  'active',
  'validator_permit',
  'pruning_score',
  'last_update',
  'emission',
  'dividends',
  'incentives',
  'consensus',
  'trust',
  'rank',
  'block_at_registration',
  'alpha_stake',
  'tao_stake',
  'total_stake',
  'emission_history',
] as const;

export const DYNAMIC_INFO_FIELDS = [
  'netuid',
  'owner_hotkey',
  'owner_coldkey',
  'subnet_name',
  'token_symbol',
  'tempo',
  'last_step',
  'blocks_since_last_step',
  'emission',
  'alpha_in',
  'alpha_out',
  'tao_in',
  'alpha_out_emission',
  'alpha_in_emission',
  'tao_in_emission',
  'pending_alpha_emission',
  'pending_root_emission',
  'subnet_volume',
  'network_registered_at',
  'subnet_identity',
  'moving_price',
] as const;

export interface RuntimeApiTypes {
  apis: ApiSpec[];
}

export function buildRuntimeApis(ctx: BuildContext, st: SubtensorTypes): RuntimeApiTypes {
  const { t, c } = ctx;
  const { u16, u32, u8, bool, accountId: acc } = c;
  const C16 = c.compactU16;
  const C64 = c.compactU64;
  const vecC8 = t.vec(t.compact(u8));
  const vecAcc = t.vec(acc);
  const vecC16 = t.vec(C16);
  const vecC64 = t.vec(C64);
  const stakeList = t.vec(t.tuple(acc, C64));
  const pairs = t.vec(t.tuple(C16, C16));
  const accountParam = [{ name: 'AccountId', type: acc }];

  const neuronBase: [string, TypeId][] = [
    ['hotkey', acc],
    ['coldkey', acc],
    ['uid', C16],
    ['netuid', C16],
    ['active', bool],
    ['axon_info', st.axonInfo],
    ['prometheus_info', st.prometheusInfo],
    ['stake', stakeList],
    ['rank', C16],
    ['emission', C64],
    ['incentive', C16],
    ['consensus', C16],
    ['trust', C16],
    ['validator_trust', C16],
    ['dividends', C16],
    ['last_update', C64],
    ['validator_permit', bool],
  ];
  const neuronInfoLite = t.fields(
    'pallet_subtensor::rpc_info::neuron_info::NeuronInfoLite',
    [...neuronBase, ['pruning_score', C16]],
    accountParam,
  );
  const neuronInfo = t.fields(
    'pallet_subtensor::rpc_info::neuron_info::NeuronInfo',
    [...neuronBase, ['weights', pairs], ['bonds', pairs], ['pruning_score', C16]],
    accountParam,
  );

  const optIdentity = t.option(st.subnetIdentityV3);
  const metagraphTypes: Record<(typeof METAGRAPH_FIELDS)[number], TypeId> = {
    netuid: C16,
    name: vecC8,
    symbol: vecC8,
    identity: optIdentity,
    network_registered_at: C64,
    owner_hotkey: acc,
    owner_coldkey: acc,
    block: C64,
    tempo: C16,
    last_step: C64,
    blocks_since_last_step: C64,
    subnet_emission: C64,
    alpha_in: C64,
    alpha_out: C64,
    tao_in: C64,
    alpha_out_emission: C64,
    alpha_in_emission: C64,
    tao_in_emission: C64,
    pending_alpha_emission: C64,
    pending_root_emission: C64,
    subnet_volume: c.compactU128,
    moving_price: c.fixedI128U32,
    rho: C16,
    kappa: C16,
    min_allowed_weights: C16,
    max_weights_limit: C16,
    weights_version: C64,
    weights_rate_limit: C64,
    activity_cutoff: C16,
    max_validators: C16,
    num_uids: C16,
    max_uids: C16,
    burn: C64,
    difficulty: C64,
    registration_allowed: bool,
    pow_registration_allowed: bool,
    immunity_period: C16,
    min_difficulty: C64,
    max_difficulty: C64,
    min_burn: C64,
    max_burn: C64,
    adjustment_alpha: C64,
    adjustment_interval: C16,
    target_regs_per_interval: C16,
    max_regs_per_block: C16,
    serving_rate_limit: C64,
    commit_reveal_weights_enabled: bool,
    commit_reveal_period: C64,
    liquid_alpha_enabled: bool,
    alpha_high: C16,
    alpha_low: C16,
    bonds_moving_avg: C64,
    hotkeys: vecAcc,
    coldkeys: vecAcc,
    identities: t.vec(t.option(st.chainIdentityV2)),
    axons: t.vec(st.axonInfo),
    active: c.vecBool,
    validator_permit: c.vecBool,
    pruning_score: vecC16,
    last_update: vecC64,
    emission: vecC64,
    dividends: vecC16,
    incentives: vecC16,
    consensus: vecC16,
    trust: vecC16,
    rank: vecC16,
    block_at_registration: vecC64,
    alpha_stake: vecC64,
    tao_stake: vecC64,
    total_stake: vecC64,
    tao_dividends_per_hotkey: stakeList,
    alpha_dividends_per_hotkey: stakeList,
  };
  const metagraph = t.fields(
    'pallet_subtensor::rpc_info::metagraph::Metagraph',
    METAGRAPH_FIELDS.map((f) => [f, metagraphTypes[f]]),
    accountParam,
  );
  const selectiveExtra: Record<(typeof SELECTIVE_EXTRA_FIELDS)[number], TypeId> = {
    validators: vecC16,
    commitments: t.vec(t.tuple(acc, vecC8)),
  };
  const selective = t.fields(
    'pallet_subtensor::rpc_info::metagraph::SelectiveMetagraph',
    [
      ['netuid', C16],
      ...METAGRAPH_FIELDS.slice(1).map((f): [string, TypeId] => [f, t.option(metagraphTypes[f])]),
      ...SELECTIVE_EXTRA_FIELDS.map((f): [string, TypeId] => [f, t.option(selectiveExtra[f])]),
    ],
    accountParam,
  );

  const hyperTypes: Record<string, TypeId> = {
    registration_allowed: bool,
    commit_reveal_weights_enabled: bool,
    liquid_alpha_enabled: bool,
    alpha_sigmoid_steepness: c.fixedI64U32,
    yuma_version: C16,
    subnet_is_active: bool,
    transfers_enabled: bool,
    bonds_reset_enabled: bool,
    user_liquidity_enabled: bool,
  };
  const u64Hyper = new Set([
    'min_difficulty',
    'max_difficulty',
    'weights_version',
    'weights_rate_limit',
    'min_burn',
    'max_burn',
    'bonds_moving_avg',
    'serving_rate_limit',
    'adjustment_alpha',
    'difficulty',
    'commit_reveal_period',
  ]);
  const hyperType = (f: string): TypeId => hyperTypes[f] ?? (u64Hyper.has(f) ? C64 : C16);
  const hyperparams = t.fields(
    'pallet_subtensor::rpc_info::subnet_info::SubnetHyperparams',
    HYPERPARAM_FIELDS.map((f) => [f, hyperType(f)]),
  );
  const hyperparamsV2 = t.fields(
    'pallet_subtensor::rpc_info::subnet_info::SubnetHyperparamsV2',
    [...HYPERPARAM_FIELDS, ...HYPERPARAM_V2_EXTRA].map((f) => [f, hyperType(f)]),
  );
  const stateTypes: Record<(typeof SUBNET_STATE_FIELDS)[number], TypeId> = {
    netuid: C16,
    hotkeys: vecAcc,
    coldkeys: vecAcc,
    active: c.vecBool,
    validator_permit: c.vecBool,
    pruning_score: vecC16,
    last_update: vecC64,
    emission: vecC64,
    dividends: vecC16,
    incentives: vecC16,
    consensus: vecC16,
    trust: vecC16,
    rank: vecC16,
    block_at_registration: vecC64,
    alpha_stake: vecC64,
    tao_stake: vecC64,
    total_stake: vecC64,
    emission_history: t.vec(vecC64),
  };
  const subnetState = t.fields(
    'pallet_subtensor::rpc_info::show_subnet::SubnetState',
    SUBNET_STATE_FIELDS.map((f) => [f, stateTypes[f]]),
    accountParam,
  );
  const dynTypes: Record<(typeof DYNAMIC_INFO_FIELDS)[number], TypeId> = {
    netuid: C16,
    owner_hotkey: acc,
    owner_coldkey: acc,
    subnet_name: vecC8,
    token_symbol: vecC8,
    tempo: C16,
    last_step: C64,
    blocks_since_last_step: C64,
    emission: C64,
    alpha_in: C64,
    alpha_out: C64,
    tao_in: C64,
    alpha_out_emission: C64,
    alpha_in_emission: C64,
    tao_in_emission: C64,
    pending_alpha_emission: C64,
    pending_root_emission: C64,
    subnet_volume: c.compactU128,
    network_registered_at: C64,
    subnet_identity: optIdentity,
    moving_price: c.fixedI128U32,
  };
  const dynamicInfo = t.fields(
    'pallet_subtensor::rpc_info::dynamic_info::DynamicInfo',
    DYNAMIC_INFO_FIELDS.map((f) => [f, dynTypes[f]]),
    accountParam,
  );

  const opaque = t.struct('sp_core::OpaqueMetadata', [{ type: c.bytes, typeName: 'Vec<u8>' }]);
  const netuid = { name: 'netuid', type: u16 };
  const m = (name: string, inputs: ApiMethodSpec['inputs'], output: TypeId): ApiMethodSpec => ({
    name,
    inputs,
    output,
  });
  const apis: ApiSpec[] = [
    { name: 'Core', version: 5, methods: [m('version', [], c.runtimeVersion)] },
    {
      name: 'Metadata',
      version: 2,
      methods: [
        m('metadata', [], opaque),
        m('metadata_at_version', [{ name: 'version', type: u32 }], t.option(opaque)),
        m('metadata_versions', [], t.vec(u32)),
      ],
    },
    {
      name: 'AccountNonceApi',
      version: 1,
      methods: [m('account_nonce', [{ name: 'account', type: acc }], u32)],
    },
    {
      name: 'NeuronInfoRuntimeApi',
      version: 1,
      methods: [
        m('get_neurons', [netuid], t.vec(neuronInfo)),
        m('get_neuron', [netuid, { name: 'uid', type: u16 }], t.option(neuronInfo)),
        m('get_neurons_lite', [netuid], t.vec(neuronInfoLite)),
        m('get_neuron_lite', [netuid, { name: 'uid', type: u16 }], t.option(neuronInfoLite)),
      ],
    },
    {
      name: 'SubnetInfoRuntimeApi',
      version: 1,
      methods: [
        m('get_subnet_hyperparams', [netuid], t.option(hyperparams)),
        m('get_subnet_hyperparams_v2', [netuid], t.option(hyperparamsV2)),
        m('get_all_dynamic_info', [], t.vec(t.option(dynamicInfo))),
        m('get_metagraph', [netuid], t.option(metagraph)),
        m('get_mechagraph', [netuid, { name: 'mecid', type: u8 }], t.option(metagraph)),
        m('get_dynamic_info', [netuid], t.option(dynamicInfo)),
        m('get_subnet_state', [netuid], t.option(subnetState)),
        m(
          'get_selective_metagraph',
          [netuid, { name: 'metagraph_indexes', type: c.vecU16 }],
          t.option(selective),
        ),
        m(
          'get_selective_mechagraph',
          [netuid, { name: 'subid', type: u8 }, { name: 'metagraph_indexes', type: c.vecU16 }],
          t.option(selective),
        ),
      ],
    },
    {
      name: 'SubnetRegistrationRuntimeApi',
      version: 1,
      methods: [m('get_network_registration_cost', [], c.u64)],
    },
  ];
  return { apis };
}
