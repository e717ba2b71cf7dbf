import type { LocalnetMetadata } from '../metadata/build.js';
import * as C from './codecs.js';
import { makeItem, type StorageItem } from './item.js';

type Acc = Uint8Array;
type N = number;

/** Every storage item localnet's logic touches, typed. */
export function createItems(meta: LocalnetMetadata) {
  const sys = <K extends (number | bigint | Uint8Array)[], V>(name: string, c: C.Codec<V>) =>
    makeItem<K, V>(meta, 'System', name, c);
  const st = <K extends (number | bigint | Uint8Array)[], V>(name: string, c: C.Codec<V>) =>
    makeItem<K, V>(meta, 'SubtensorModule', name, c);
  const net16 = (name: string) => st<[N], number>(name, C.U16);
  const net64 = (name: string) => st<[N], bigint>(name, C.U64);
  const netBool = (name: string) => st<[N], boolean>(name, C.BOOL);
  return {
    system: {
      account: sys<[Acc], C.AccountInfo>('Account', C.ACCOUNT_INFO),
      extrinsicCount: sys<[], number>('ExtrinsicCount', C.U32),
      blockHash: sys<[N], Uint8Array>('BlockHash', C.H256),
      number: sys<[], number>('Number', C.U32),
      parentHash: sys<[], Uint8Array>('ParentHash', C.H256),
      digest: sys<[], Uint8Array>('Digest', C.RAW),
      events: sys<[], Uint8Array>('Events', C.RAW),
      eventCount: sys<[], number>('EventCount', C.U32),
    },
    timestamp: {
      now: makeItem<[], bigint>(meta, 'Timestamp', 'Now', C.U64),
      didUpdate: makeItem<[], boolean>(meta, 'Timestamp', 'DidUpdate', C.BOOL),
    },
    balances: {
      totalIssuance: makeItem<[], bigint>(meta, 'Balances', 'TotalIssuance', C.U64),
    },
    sudo: {
      key: makeItem<[], Uint8Array>(meta, 'Sudo', 'Key', C.ACCOUNT),
    },
    st: {
      adminFreezeWindow: st<[], number>('AdminFreezeWindow', C.U16),
      totalIssuance: st<[], bigint>('TotalIssuance', C.U64),
      totalStake: st<[], bigint>('TotalStake', C.U64),
      blockEmission: st<[], bigint>('BlockEmission', C.U64),
      subnetOwnerCut: st<[], number>('SubnetOwnerCut', C.U16),
      networkRateLimit: st<[], bigint>('NetworkRateLimit', C.U64),
      networkLockReductionInterval: st<[], bigint>('NetworkLockReductionInterval', C.U64),
      networkMinLockCost: st<[], bigint>('NetworkMinLockCost', C.U64),
      networkLastLockCost: st<[], bigint>('NetworkLastLockCost', C.U64),
      totalNetworks: st<[], number>('TotalNetworks', C.U16),
      stakeThreshold: st<[], bigint>('StakeThreshold', C.U64),
      commitRevealWeightsVersion: st<[], number>('CommitRevealWeightsVersion', C.U16),
      owner: st<[Acc], Acc>('Owner', C.ACCOUNT),
      ownedHotkeys: st<[Acc], Acc[]>('OwnedHotkeys', C.VEC_ACCOUNT),
      stakingHotkeys: st<[Acc], Acc[]>('StakingHotkeys', C.VEC_ACCOUNT),
      totalHotkeyAlpha: st<[Acc, N], bigint>('TotalHotkeyAlpha', C.U64),
      alpha: st<[Acc, Acc, N], bigint>('Alpha', C.U128),
      isNetworkMember: st<[Acc, N], boolean>('IsNetworkMember', C.BOOL),
      tempo: net16('Tempo'),
      firstEmissionBlockNumber: net64('FirstEmissionBlockNumber'),
      subnetMechanism: net16('SubnetMechanism'),
      subnetworkN: net16('SubnetworkN'),
      networksAdded: netBool('NetworksAdded'),
      networkRegistrationAllowed: netBool('NetworkRegistrationAllowed'),
      networkPowRegistrationAllowed: netBool('NetworkPowRegistrationAllowed'),
      networkRegisteredAt: net64('NetworkRegisteredAt'),
      pendingServerEmission: net64('PendingServerEmission'),
      pendingValidatorEmission: net64('PendingValidatorEmission'),
      pendingOwnerCut: net64('PendingOwnerCut'),
      blocksSinceLastStep: net64('BlocksSinceLastStep'),
      lastMechansimStepBlock: net64('LastMechansimStepBlock'),
      subnetOwner: st<[N], Acc>('SubnetOwner', C.ACCOUNT),
      subnetOwnerHotkey: st<[N], Acc>('SubnetOwnerHotkey', C.ACCOUNT),
      subnetTao: net64('SubnetTAO'),
      subnetAlphaOut: net64('SubnetAlphaOut'),
      servingRateLimit: net64('ServingRateLimit'),
      rho: net16('Rho'),
      kappa: net16('Kappa'),
      registrationsThisInterval: net16('RegistrationsThisInterval'),
      burnRegistrationsThisInterval: net16('BurnRegistrationsThisInterval'),
      maxAllowedUids: net16('MaxAllowedUids'),
      immunityPeriod: net16('ImmunityPeriod'),
      activityCutoff: net16('ActivityCutoff'),
      maxWeightsLimit: net16('MaxWeightsLimit'),
      weightsVersionKey: net64('WeightsVersionKey'),
      minAllowedWeights: net16('MinAllowedWeights'),
      maxAllowedValidators: net16('MaxAllowedValidators'),
      adjustmentInterval: net16('AdjustmentInterval'),
      bondsMovingAverage: net64('BondsMovingAverage'),
      bondsPenalty: net16('BondsPenalty'),
      weightsSetRateLimit: net64('WeightsSetRateLimit'),
      targetRegistrationsPerInterval: net16('TargetRegistrationsPerInterval'),
      commitRevealWeightsEnabled: netBool('CommitRevealWeightsEnabled'),
      burn: net64('Burn'),
      difficulty: net64('Difficulty'),
      minBurn: net64('MinBurn'),
      maxBurn: net64('MaxBurn'),
      lastAdjustmentBlock: net64('LastAdjustmentBlock'),
      registrationsThisBlock: net16('RegistrationsThisBlock'),
      maxRegistrationsPerBlock: net16('MaxRegistrationsPerBlock'),
      transferToggle: netBool('TransferToggle'),
      liquidAlphaOn: netBool('LiquidAlphaOn'),
      yuma3On: netBool('Yuma3On'),
      alphaValues: st<[N], [number, number]>('AlphaValues', C.TUPLE_U16_U16),
      subtokenEnabled: netBool('SubtokenEnabled'),
      immuneOwnerUidsLimit: net16('ImmuneOwnerUidsLimit'),
      revealPeriodEpochs: net64('RevealPeriodEpochs'),
      uids: st<[N, Acc], number>('Uids', C.U16),
      keys: st<[N, N], Acc>('Keys', C.ACCOUNT),
      active: st<[N], boolean[]>('Active', C.VEC_BOOL),
      rank: st<[N], number[]>('Rank', C.VEC_U16),
      trust: st<[N], number[]>('Trust', C.VEC_U16),
      consensus: st<[N], number[]>('Consensus', C.VEC_U16),
      incentive: st<[N], number[]>('Incentive', C.VEC_U16),
      dividends: st<[N], number[]>('Dividends', C.VEC_U16),
      emission: st<[N], bigint[]>('Emission', C.VEC_U64),
      lastUpdate: st<[N], bigint[]>('LastUpdate', C.VEC_U64),
      validatorTrust: st<[N], number[]>('ValidatorTrust', C.VEC_U16),
      pruningScores: st<[N], number[]>('PruningScores', C.VEC_U16),
      validatorPermit: st<[N], boolean[]>('ValidatorPermit', C.VEC_BOOL),
      stakeWeight: st<[N], number[]>('StakeWeight', C.VEC_U16),
      weights: st<[N, N], [number, number][]>('Weights', C.WEIGHTS),
      bonds: st<[N, N], [number, number][]>('Bonds', C.WEIGHTS),
      blockAtRegistration: st<[N, N], bigint>('BlockAtRegistration', C.U64),
      axons: st<[N, Acc], C.AxonInfo>('Axons', C.AXON),
      prometheus: st<[N, Acc], C.PrometheusInfo>('Prometheus', C.PROMETHEUS),
      weightCommits: st<[N, Acc], C.WeightCommit[]>('WeightCommits', C.COMMITS),
      timelockedWeightCommits: st<[N, bigint], C.TimelockedCommit[]>(
        'TimelockedWeightCommits',
        C.TIMELOCKED_COMMITS,
      ),
      mechanismCountCurrent: st<[N], number>('MechanismCountCurrent', C.U8),
    },
    drand: {
      beaconConfig: makeItem<[], C.BeaconConfig>(meta, 'Drand', 'BeaconConfig', C.BEACON_CONFIG),
      pulses: makeItem<[bigint], C.StoredPulse>(meta, 'Drand', 'Pulses', C.PULSE),
      lastStoredRound: makeItem<[], bigint>(meta, 'Drand', 'LastStoredRound', C.U64),
      oldestStoredRound: makeItem<[], bigint>(meta, 'Drand', 'OldestStoredRound', C.U64),
      nextUnsignedAt: makeItem<[], number>(meta, 'Drand', 'NextUnsignedAt', C.U32),
    },
  };
}

export type Items = ReturnType<typeof createItems>;
export type { StorageItem };
