import { encodeAddress } from '@subnetkit/wallet';
import { type AxonInfo, toAxonInfo } from './axon.js';
import { ChainError } from './errors.js';
import type { Metagraph, NeuronInfo, ReadSource, SubnetHyperparameters } from './types.js';

/**
 * Conversions from @polkadot/types codecs (decoded with the chain's own metadata) to plain
 * values. Field names are those of the runtime structs in camelCase, as polkadot-js exposes
 * them. A missing field is a decode error naming the field, never a silent default.
 */
// biome-ignore lint/suspicious/noExplicitAny: codecs built from metadata have no static types
export type AnyCodec = any;

export function field(struct: AnyCodec, name: string): AnyCodec {
  const value = struct?.get ? struct.get(name) : undefined;
  if (value === undefined) {
    throw new ChainError('DECODE_ERROR', `runtime struct has no field ${name}`, {
      details: { field: name },
    });
  }
  return value;
}

export function optField(struct: AnyCodec, name: string): AnyCodec | undefined {
  const value = struct?.get ? struct.get(name) : undefined;
  if (value === undefined) return undefined;
  if (typeof value.isSome === 'boolean' && typeof value.unwrap === 'function') {
    return value.isSome ? value.unwrap() : undefined;
  }
  return value;
}

export const big = (codec: AnyCodec): bigint => BigInt(codec.toString());
export const num = (codec: AnyCodec): number => Number(codec.toString());
export const bool = (codec: AnyCodec): boolean => codec.valueOf() === true || codec.isTrue === true;
export const account = (codec: AnyCodec): string => encodeAddress(codec.toU8a(true), 42);

export function decodeAxon(codec: AnyCodec): AxonInfo {
  return toAxonInfo({
    block: big(field(codec, 'block')),
    version: num(field(codec, 'version')),
    ip: big(field(codec, 'ip')),
    port: num(field(codec, 'port')),
    ipType: num(field(codec, 'ipType')),
    protocol: num(field(codec, 'protocol')),
    placeholder1: num(field(codec, 'placeholder1')),
    placeholder2: num(field(codec, 'placeholder2')),
  });
}

function pairs(codec: AnyCodec): Array<[number, number]> {
  return [...codec].map((pair: AnyCodec) => [num(pair[0]), num(pair[1])] as [number, number]);
}

/** `NeuronInfoLite` or `NeuronInfo` (which adds weights and bonds). */
export function decodeNeuron(codec: AnyCodec): NeuronInfo {
  const stakeEntries = [...field(codec, 'stake')];
  const neuron: NeuronInfo = {
    uid: num(field(codec, 'uid')),
    netuid: num(field(codec, 'netuid')),
    hotkey: account(field(codec, 'hotkey')),
    coldkey: account(field(codec, 'coldkey')),
    active: bool(field(codec, 'active')),
    axon: decodeAxon(field(codec, 'axonInfo')),
    stake: stakeEntries.reduce((sum: bigint, entry: AnyCodec) => sum + big(entry[1]), 0n),
    rank: num(field(codec, 'rank')),
    emission: big(field(codec, 'emission')),
    incentive: num(field(codec, 'incentive')),
    consensus: num(field(codec, 'consensus')),
    trust: num(field(codec, 'trust')),
    validatorTrust: num(field(codec, 'validatorTrust')),
    dividends: num(field(codec, 'dividends')),
    lastUpdate: num(field(codec, 'lastUpdate')),
    validatorPermit: bool(field(codec, 'validatorPermit')),
    pruningScore: num(field(codec, 'pruningScore')),
  };
  const weights = codec.get('weights');
  if (weights !== undefined) neuron.weights = pairs(weights);
  const bonds = codec.get('bonds');
  if (bonds !== undefined) neuron.bonds = pairs(bonds);
  return neuron;
}

/** Builds a column-wise metagraph from neurons (uid order). Handy for fakes too. */
export function metagraphFromNeurons(
  base: { netuid: number; mechid?: number; block: number; blockHash?: string; source?: ReadSource },
  neurons: readonly NeuronInfo[],
): Metagraph {
  const sorted = [...neurons].sort((a, b) => a.uid - b.uid);
  return {
    netuid: base.netuid,
    mechid: base.mechid ?? 0,
    block: base.block,
    blockHash: base.blockHash ?? '',
    n: sorted.length,
    source: base.source ?? 'neurons',
    uids: sorted.map((n) => n.uid),
    hotkeys: sorted.map((n) => n.hotkey),
    coldkeys: sorted.map((n) => n.coldkey),
    axons: sorted.map((n) => n.axon),
    active: sorted.map((n) => n.active),
    validatorPermit: sorted.map((n) => n.validatorPermit),
    lastUpdate: sorted.map((n) => n.lastUpdate),
    incentive: sorted.map((n) => n.incentive),
    dividends: sorted.map((n) => n.dividends),
    consensus: sorted.map((n) => n.consensus),
    trust: sorted.map((n) => n.trust),
    rank: sorted.map((n) => n.rank),
    pruningScore: sorted.map((n) => n.pruningScore),
    emission: sorted.map((n) => n.emission),
    stake: sorted.map((n) => n.stake),
    stakeKind: 'own-alpha',
    ownAlphaStake: sorted.map((n) => n.stake),
    validatorTrust: sorted.map((n) => n.validatorTrust),
  };
}

function vec<T>(codec: AnyCodec | undefined, name: string, map: (c: AnyCodec) => T): T[] {
  if (codec === undefined) {
    throw new ChainError('DECODE_ERROR', `metagraph response lacks ${name}`, {
      details: { field: name },
    });
  }
  return [...codec].map(map);
}

/**
 * `Metagraph` or `SelectiveMetagraph` (every field an Option) from SubnetInfoRuntimeApi.
 */
export function decodeMetagraphStruct(
  codec: AnyCodec,
  base: { netuid: number; mechid: number; block: number; blockHash: string; source: ReadSource },
): Metagraph {
  const f = (name: string) => optField(codec, name);
  const hotkeys = vec(f('hotkeys'), 'hotkeys', account);
  const n = hotkeys.length;
  const m: Metagraph = {
    ...base,
    n,
    uids: Array.from({ length: n }, (_, i) => i),
    hotkeys,
    coldkeys: vec(f('coldkeys'), 'coldkeys', account),
    axons: vec(f('axons'), 'axons', decodeAxon),
    active: vec(f('active'), 'active', bool),
    validatorPermit: vec(f('validatorPermit'), 'validatorPermit', bool),
    lastUpdate: vec(f('lastUpdate'), 'lastUpdate', num),
    incentive: vec(f('incentives'), 'incentives', num),
    dividends: vec(f('dividends'), 'dividends', num),
    consensus: vec(f('consensus'), 'consensus', num),
    trust: vec(f('trust'), 'trust', num),
    rank: vec(f('rank'), 'rank', num),
    pruningScore: vec(f('pruningScore'), 'pruningScore', num),
    emission: vec(f('emission'), 'emission', big),
    stake: [],
    stakeKind: 'total',
    alphaStake: vec(f('alphaStake'), 'alphaStake', big),
    taoStake: vec(f('taoStake'), 'taoStake', big),
    totalStake: vec(f('totalStake'), 'totalStake', big),
    blockAtRegistration: vec(f('blockAtRegistration'), 'blockAtRegistration', num),
  };
  m.stake = m.totalStake as bigint[];
  for (const [key, value] of Object.entries(m)) {
    if (Array.isArray(value) && value.length !== n) {
      throw new ChainError(
        'DECODE_ERROR',
        `metagraph column ${key} has ${value.length} entries, expected ${n}`,
        { details: { field: key } },
      );
    }
  }
  if (f('tempo') !== undefined && f('kappa') !== undefined) {
    m.hyperparameters = decodeHyperparams(codec, base.source);
  }
  return m;
}

/**
 * `SubnetHyperparams` (v1, v2, v3) or a (Selective)Metagraph, which carries the same values
 * under almost the same names.
 */
export function decodeHyperparams(codec: AnyCodec, source: ReadSource): SubnetHyperparameters {
  const f = (name: string, ...aliases: string[]) => {
    for (const candidate of [name, ...aliases]) {
      const value = optField(codec, candidate);
      if (value !== undefined) return value;
    }
    throw new ChainError('DECODE_ERROR', `hyperparameters lack ${name}`, {
      details: { field: name },
    });
  };
  const o = (name: string) => optField(codec, name);
  const h: SubnetHyperparameters = {
    rho: num(f('rho')),
    kappa: num(f('kappa')),
    immunityPeriod: num(f('immunityPeriod')),
    minAllowedWeights: num(f('minAllowedWeights')),
    maxWeightsLimit: num(f('maxWeightsLimit')),
    tempo: num(f('tempo')),
    difficulty: big(f('difficulty')),
    weightsVersion: big(f('weightsVersion')),
    weightsRateLimit: num(f('weightsRateLimit')),
    adjustmentInterval: num(f('adjustmentInterval')),
    activityCutoff: num(f('activityCutoff')),
    registrationAllowed: bool(f('registrationAllowed')),
    targetRegsPerInterval: num(f('targetRegsPerInterval')),
    minBurn: big(f('minBurn')),
    maxBurn: big(f('maxBurn')),
    bondsMovingAvg: big(f('bondsMovingAvg')),
    maxRegsPerBlock: num(f('maxRegsPerBlock')),
    servingRateLimit: num(f('servingRateLimit')),
    maxValidators: num(f('maxValidators')),
    adjustmentAlpha: big(f('adjustmentAlpha')),
    commitRevealWeightsEnabled: bool(f('commitRevealWeightsEnabled')),
    commitRevealPeriod: num(f('commitRevealPeriod')),
    liquidAlphaEnabled: bool(f('liquidAlphaEnabled')),
    alphaHigh: num(f('alphaHigh')),
    alphaLow: num(f('alphaLow')),
    source,
  };
  const burn = o('burn');
  if (burn !== undefined) h.burn = big(burn);
  const maxUids = o('maxUids');
  if (maxUids !== undefined) h.maxUids = num(maxUids);
  return h;
}
