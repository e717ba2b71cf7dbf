import * as s from '../scale/scale.js';
import type { BuildContext } from './context.js';
import {
  errorEnum,
  type Hasher,
  map,
  type PalletSpec,
  palletEnum,
  plain,
  type StorageSpec,
  v,
} from './pallet-spec.js';
import { SUBTENSOR_ERRORS } from './subtensor-errors.js';
import type { TypeId } from './type-table.js';

export interface SubtensorTypes {
  pallet: PalletSpec;
  axonInfo: TypeId;
  prometheusInfo: TypeId;
  subnetIdentityV3: TypeId;
  chainIdentityV2: TypeId;
}

const COMMIT_TYPE_NAME = 'BoundedVec<u8, ConstU32<MAX_CRV3_COMMIT_SIZE_BYTES>>';

/** subtensor's `MAX_CRV3_COMMIT_SIZE_BYTES`: the bound of a timelocked commit. */
export const MAX_CRV3_COMMIT_SIZE_BYTES = 5000;

/** `bounded_collections::bounded_vec::BoundedVec<u8, S>` (S is not in the type info). */
export const boundedBytes = (ctx: BuildContext): TypeId =>
  ctx.t.struct(
    'bounded_collections::bounded_vec::BoundedVec',
    [{ type: ctx.c.bytes, typeName: 'Vec<T>' }],
    [{ name: 'T', type: ctx.c.u8 }, { name: 'S' }],
  );

/** pallet_subtensor (SubtensorModule), index 7: the subset localnet implements. */
export function buildSubtensor(ctx: BuildContext): SubtensorTypes {
  const { t, c } = ctx;
  const { u16, u64, u8, u32, u128, bool, accountId: acc, h256 } = c;
  const axonInfo = t.fields('pallet_subtensor::pallet::AxonInfo', [
    ['block', u64],
    ['version', u32],
    ['ip', u128],
    ['port', u16],
    ['ip_type', u8],
    ['protocol', u8],
    ['placeholder1', u8],
    ['placeholder2', u8],
  ]);
  const prometheusInfo = t.fields('pallet_subtensor::pallet::PrometheusInfo', [
    ['block', u64],
    ['version', u32],
    ['ip', u128],
    ['port', u16],
    ['ip_type', u8],
  ]);
  const b = c.bytes;
  const subnetIdentityV3 = t.fields('pallet_subtensor::pallet::SubnetIdentityV3', [
    ['subnet_name', b],
    ['github_repo', b],
    ['subnet_contact', b],
    ['subnet_url', b],
    ['discord', b],
    ['description', b],
    ['logo_url', b],
    ['additional', b],
  ]);
  const chainIdentityV2 = t.fields('pallet_subtensor::pallet::ChainIdentityV2', [
    ['name', b],
    ['url', b],
    ['github_repo', b],
    ['image', b],
    ['discord', b],
    ['description', b],
    ['additional', b],
  ]);
  const serveArgs: [string, TypeId][] = [
    ['netuid', u16],
    ['version', u32],
    ['ip', u128],
    ['port', u16],
    ['ip_type', u8],
    ['protocol', u8],
    ['placeholder1', u8],
    ['placeholder2', u8],
  ];
  const commitBytes = boundedBytes(ctx);
  const calls = palletEnum(t, 'pallet_subtensor::pallet::Call', [
    v('set_weights', 0, [
      ['netuid', u16],
      ['dests', c.vecU16],
      ['weights', c.vecU16],
      ['version_key', u64],
    ]),
    v('set_mechanism_weights', 119, [
      ['netuid', u16],
      ['mecid', u8],
      ['dests', c.vecU16],
      ['weights', c.vecU16],
      ['version_key', u64],
    ]),
    v('commit_weights', 96, [
      ['netuid', u16],
      ['commit_hash', h256],
    ]),
    v('commit_mechanism_weights', 115, [
      ['netuid', u16],
      ['mecid', u8],
      ['commit_hash', h256],
    ]),
    v('reveal_weights', 97, [
      ['netuid', u16],
      ['uids', c.vecU16],
      ['values', c.vecU16],
      ['salt', c.vecU16],
      ['version_key', u64],
    ]),
    v('reveal_mechanism_weights', 116, [
      ['netuid', u16],
      ['mecid', u8],
      ['uids', c.vecU16],
      ['values', c.vecU16],
      ['salt', c.vecU16],
      ['version_key', u64],
    ]),
    v('add_stake', 2, [
      ['hotkey', acc],
      ['netuid', u16],
      ['amount_staked', u64],
    ]),
    v('remove_stake', 3, [
      ['hotkey', acc],
      ['netuid', u16],
      ['amount_unstaked', u64],
    ]),
    v('serve_axon', 4, serveArgs),
    v('serve_axon_tls', 40, [...serveArgs, ['certificate', b]]),
    v('serve_prometheus', 5, [
      ['netuid', u16],
      ['version', u32],
      ['ip', u128],
      ['port', u16],
      ['ip_type', u8],
    ]),
    v('burned_register', 7, [
      ['netuid', u16],
      ['hotkey', acc],
    ]),
    v('register_network', 59, [['hotkey', acc]]),
    v('start_call', 92, [['netuid', u16]]),
    {
      name: 'commit_timelocked_weights',
      index: 113,
      fields: [
        { name: 'netuid', type: u16, typeName: 'NetUid' },
        { name: 'commit', type: commitBytes, typeName: COMMIT_TYPE_NAME },
        { name: 'reveal_round', type: u64, typeName: 'u64' },
        { name: 'commit_reveal_version', type: u16, typeName: 'u16' },
      ],
    },
    {
      name: 'commit_timelocked_mechanism_weights',
      index: 118,
      fields: [
        { name: 'netuid', type: u16, typeName: 'NetUid' },
        { name: 'mecid', type: u8, typeName: 'MechId' },
        { name: 'commit', type: commitBytes, typeName: COMMIT_TYPE_NAME },
        { name: 'reveal_round', type: u64, typeName: 'u64' },
        { name: 'commit_reveal_version', type: u16, typeName: 'u16' },
      ],
    },
  ]);
  const E = (name: string, index: number, ...types: TypeId[]) =>
    v(
      name,
      index,
      types.map((ty) => [null, ty]),
    );
  const events = palletEnum(t, 'pallet_subtensor::pallet::Event', [
    E('NetworkAdded', 0, u16, u16),
    E('NetworkRemoved', 1, u16),
    E('StakeAdded', 2, acc, acc, u64, u64, u16, u64),
    E('StakeRemoved', 3, acc, acc, u64, u64, u16, u64),
    E('WeightsSet', 5, u16, u16),
    E('NeuronRegistered', 6, u16, u16, acc),
    E('MaxAllowedUidsSet', 9, u16, u16),
    E('DifficultySet', 11, u16, u64),
    E('AdjustmentIntervalSet', 12, u16, u16),
    E('RegistrationPerIntervalSet', 13, u16, u16),
    E('MaxRegistrationsPerBlockSet', 14, u16, u16),
    E('ActivityCutoffSet', 15, u16, u16),
    E('RhoSet', 16, u16, u16),
    E('KappaSet', 18, u16, u16),
    E('MinAllowedWeightSet', 19, u16, u16),
    E('WeightsSetRateLimitSet', 22, u16, u64),
    E('ImmunityPeriodSet', 23, u16, u16),
    E('BondsMovingAverageSet', 24, u16, u64),
    E('BondsPenaltySet', 25, u16, u16),
    E('MaxAllowedValidatorsSet', 27, u16, u16),
    E('AxonServed', 28, u16, acc),
    E('PrometheusServed', 29, u16, acc),
    E('WeightsVersionKeySet', 32, u16, u64),
    E('ServingRateLimitSet', 35, u16, u64),
    E('BurnSet', 36, u16, u64),
    E('MaxBurnSet', 37, u16, u64),
    E('MinBurnSet', 38, u16, u64),
    E('AdminFreezeWindowSet', 42, u16),
    E('RegistrationAllowed', 48, u16, bool),
    E('PowRegistrationAllowed', 49, u16, bool),
    E('TempoSet', 50, u16, u16),
    E('StakeThresholdSet', 52, u64),
    E('SubnetOwnerCutSet', 55, u16),
    E('NetworkRateLimitSet', 56, u64),
    E('NetworkLockCostReductionIntervalSet', 60, u64),
    E('WeightsCommitted', 79, acc, u16, h256),
    E('WeightsRevealed', 80, acc, u16, h256),
    E('TransferToggle', 87, u16, bool),
    E('FirstEmissionBlockNumberSet', 89, u16, u64),
    E('CommitRevealPeriodsSet', 94, u16, u64),
    E('CommitRevealEnabled', 95, u16, bool),
    E('CommitRevealVersionSet', 100, u16),
    E('TimelockedWeightsCommitted', 101, acc, u16, h256, u64),
    E('TimelockedWeightsRevealed', 102, u16, acc),
  ]);
  const errors = errorEnum(t, 'pallet_subtensor::pallet::Error', SUBTENSOR_ERRORS);
  const pallet: PalletSpec = {
    name: 'SubtensorModule',
    index: 7,
    calls,
    events,
    errors,
    storage: subtensorStorage(ctx, { axonInfo, prometheusInfo }),
  };
  return { pallet, axonInfo, prometheusInfo, subnetIdentityV3, chainIdentityV2 };
}

function subtensorStorage(
  ctx: BuildContext,
  x: { axonInfo: TypeId; prometheusInfo: TypeId },
): StorageSpec[] {
  const { t, c } = ctx;
  const { u16, u64, bool, accountId: acc } = c;
  const N: [Hasher, TypeId] = ['Identity', u16];
  const HK: [Hasher, TypeId] = ['Blake2_128Concat', acc];
  const net = (name: string, value: TypeId, fallback: Uint8Array | null) =>
    map(name, [N], value, fallback);
  const netU16 = (name: string, dflt: number) => net(name, u16, s.u16(dflt));
  const netU64 = (name: string, dflt: bigint) => net(name, u64, s.u64(dflt));
  const netBool = (name: string, dflt: boolean) => net(name, bool, s.bool(dflt));
  const empty = s.compact(0);
  const zeroAcc = new Uint8Array(32);
  const weightsVec = t.vec(t.tuple(u16, u16));
  const commit = t.vec(t.tuple(c.h256, u64, u64, u64));
  const timelockedCommits = t.vec(t.tuple(acc, u64, boundedBytes(ctx), u64));
  return [
    // Global values.
    plain('AdminFreezeWindow', u16, s.u16(10)),
    plain('TotalIssuance', u64, s.u64(0)),
    plain('TotalStake', u64, s.u64(0)),
    plain('BlockEmission', u64, s.u64(1_000_000_000n)),
    plain('SubnetOwnerCut', u16, s.u16(11_796)),
    plain('NetworkRateLimit', u64, s.u64(7200)),
    plain('NetworkLockReductionInterval', u64, s.u64(100_800)),
    plain('NetworkMinLockCost', u64, s.u64(1_000_000_000_000n)),
    plain('NetworkLastLockCost', u64, s.u64(1_000_000_000_000n)),
    plain('TotalNetworks', u16, s.u16(0)),
    plain('StakeThreshold', u64, s.u64(0)),
    plain('CommitRevealWeightsVersion', u16, s.u16(4)),
    map('MechanismCountCurrent', [['Twox64Concat', u16]], c.u8, s.u8(1)),
    // Keys.
    map('Owner', [HK], acc, zeroAcc),
    map('OwnedHotkeys', [HK], t.vec(acc), empty),
    map('StakingHotkeys', [HK], t.vec(acc), empty),
    map('TotalHotkeyAlpha', [HK, N], u64, s.u64(0)),
    map('Alpha', [HK, ['Blake2_128Concat', acc], N], c.fixedU128U64, s.u128(0)),
    map('IsNetworkMember', [HK, N], bool, s.bool(false)),
    // Subnets.
    netU16('Tempo', 360),
    net('FirstEmissionBlockNumber', u64, null),
    netU16('SubnetMechanism', 0),
    netU16('SubnetworkN', 0),
    netBool('NetworksAdded', false),
    netBool('NetworkRegistrationAllowed', true),
    netBool('NetworkPowRegistrationAllowed', true),
    netU64('NetworkRegisteredAt', 0n),
    netU64('PendingServerEmission', 0n),
    netU64('PendingValidatorEmission', 0n),
    netU64('PendingOwnerCut', 0n),
    netU64('BlocksSinceLastStep', 0n),
    netU64('LastMechansimStepBlock', 0n),
    net('SubnetOwner', acc, zeroAcc),
    net('SubnetOwnerHotkey', acc, zeroAcc),
    netU64('SubnetTAO', 0n),
    netU64('SubnetAlphaOut', 0n),
    netU64('ServingRateLimit', 50n),
    netU16('Rho', 10),
    netU16('Kappa', 32_767),
    netU16('RegistrationsThisInterval', 0),
    netU16('BurnRegistrationsThisInterval', 0),
    netU16('MaxAllowedUids', 4096),
    netU16('ImmunityPeriod', 4096),
    netU16('ActivityCutoff', 5000),
    netU16('MaxWeightsLimit', 65_535),
    netU64('WeightsVersionKey', 0n),
    netU16('MinAllowedWeights', 1024),
    netU16('MaxAllowedValidators', 128),
    netU16('AdjustmentInterval', 100),
    netU64('BondsMovingAverage', 900_000n),
    netU16('BondsPenalty', 65_535),
    netU64('WeightsSetRateLimit', 100n),
    netU16('TargetRegistrationsPerInterval', 2),
    netBool('CommitRevealWeightsEnabled', true),
    netU64('Burn', 100_000_000n),
    netU64('Difficulty', 10_000_000n),
    netU64('MinBurn', 500_000n),
    netU64('MaxBurn', 100_000_000_000n),
    netU64('LastAdjustmentBlock', 0n),
    netU16('RegistrationsThisBlock', 0),
    netU16('MaxRegistrationsPerBlock', 1),
    netBool('TransferToggle', true),
    map('LiquidAlphaOn', [['Blake2_128Concat', u16]], bool, s.bool(false)),
    map('Yuma3On', [['Blake2_128Concat', u16]], bool, s.bool(false)),
    net('AlphaValues', t.tuple(u16, u16), Uint8Array.of(0x33, 0xb3, 0x66, 0xe6)),
    netBool('SubtokenEnabled', false),
    netU16('ImmuneOwnerUidsLimit', 1),
    map('RevealPeriodEpochs', [['Twox64Concat', u16]], u64, s.u64(1)),
    // Neurons.
    map('Uids', [N, HK], u16, null),
    map('Keys', [N, ['Identity', u16]], acc, zeroAcc),
    net('Active', c.vecBool, empty),
    net('Rank', c.vecU16, empty),
    net('Trust', c.vecU16, empty),
    net('Consensus', c.vecU16, empty),
    net('Incentive', c.vecU16, empty),
    net('Dividends', c.vecU16, empty),
    net('Emission', c.vecU64, empty),
    net('LastUpdate', c.vecU64, empty),
    net('ValidatorTrust', c.vecU16, empty),
    net('PruningScores', c.vecU16, empty),
    net('ValidatorPermit', c.vecBool, empty),
    net('StakeWeight', c.vecU16, empty),
    map('Weights', [N, ['Identity', u16]], weightsVec, empty),
    map('Bonds', [N, ['Identity', u16]], weightsVec, empty),
    map('BlockAtRegistration', [N, ['Identity', u16]], u64, s.u64(0)),
    map('Axons', [N, HK], x.axonInfo, null),
    map('Prometheus', [N, HK], x.prometheusInfo, null),
    map(
      'TimelockedWeightCommits',
      [
        ['Twox64Concat', u16],
        ['Twox64Concat', u64],
      ],
      timelockedCommits,
      empty,
    ),
    map(
      'WeightCommits',
      [
        ['Twox64Concat', u16],
        ['Twox64Concat', acc],
      ],
      commit,
      null,
    ),
  ];
}
