import type { ApiPromise } from '@polkadot/api';
import type { ApiDecoration } from '@polkadot/api/types';
import { toAxonInfo } from '../axon.js';
import {
  type AnyCodec,
  account,
  big,
  bool,
  decodeAxon,
  decodeMetagraphStruct,
  decodeNeuron,
  metagraphFromNeurons,
  num,
} from '../decode.js';
import { ChainError } from '../errors.js';
import type { MetagraphSource } from '../options.js';
import type { Metagraph } from '../types.js';
import { netuidIndex } from '../weights.js';
import { requireStorage, runtimeCall, selectiveFieldCount, storage } from './runtime.js';

export async function metagraphFrom(
  api: ApiPromise,
  source: MetagraphSource,
  at: ApiDecoration<'promise'>,
  base: { netuid: number; mechid: number; block: number; blockHash: string },
): Promise<Metagraph | undefined> {
  const { netuid, mechid } = base;
  const notFound = () =>
    new ChainError('INVALID_INPUT', `subnet ${netuid} (mechanism ${mechid}) does not exist`, {
      details: {
        field: 'netuid',
      },
    });
  if (source === 'mechagraph') {
    const count = selectiveFieldCount(api);
    const all = count ? Array.from({ length: count }, (_, i) => i) : undefined;
    const mecha = runtimeCall(at, 'subnetInfoRuntimeApi', 'getSelectiveMechagraph');
    const selective = runtimeCall(at, 'subnetInfoRuntimeApi', 'getSelectiveMetagraph');
    let result: AnyCodec;
    if (mecha && all) result = await mecha(netuid, mechid, all);
    else if (selective && all && mechid === 0) result = await selective(netuid, all);
    else return undefined;
    if (result.isNone) throw notFound();
    return decodeMetagraphStruct(result.unwrap(), { ...base, source });
  }
  if (source === 'metagraph') {
    const mecha = runtimeCall(at, 'subnetInfoRuntimeApi', 'getMechagraph');
    const meta = runtimeCall(at, 'subnetInfoRuntimeApi', 'getMetagraph');
    let result: AnyCodec;
    if (mecha) result = await mecha(netuid, mechid);
    else if (meta && mechid === 0) result = await meta(netuid);
    else return undefined;
    if (result.isNone) throw notFound();
    return decodeMetagraphStruct(result.unwrap(), { ...base, source });
  }
  if (source === 'neurons') {
    const lite = runtimeCall(at, 'neuronInfoRuntimeApi', 'getNeuronsLite');
    if (!lite || mechid !== 0) return undefined;
    const neurons: AnyCodec = await lite(netuid);
    return metagraphFromNeurons({ ...base, source }, [...neurons].map(decodeNeuron));
  }
  return metagraphFromStorage(at, base);
}

export async function metagraphFromStorage(
  at: ApiDecoration<'promise'>,
  base: { netuid: number; mechid: number; block: number; blockHash: string },
): Promise<Metagraph> {
  const { netuid, mechid } = base;
  const index = netuidIndex(netuid, mechid);
  const q = (name: string) => requireStorage(at, name);
  const optional = (name: string) => storage(at, name);
  const networksAdded = optional('networksAdded');
  if (networksAdded && !bool(await networksAdded(netuid))) {
    throw new ChainError('INVALID_INPUT', `subnet ${netuid} does not exist`, {
      details: { field: 'netuid' },
    });
  }
  const n = num(await q('subnetworkN')(netuid));
  const keyEntries: AnyCodec[] = await q('keys').entries(netuid);
  const hotkeys = new Array<string>(n).fill('');
  for (const [key, value] of keyEntries) {
    const uid = num(key.args[1]);
    if (uid < n) hotkeys[uid] = account(value);
  }
  const uids = Array.from({ length: n }, (_, i) => i);
  const [coldkeys, axons, stakes, registered] = await Promise.all([
    q('owner').multi(hotkeys),
    q('axons').multi(hotkeys.map((h) => [netuid, h])),
    q('totalHotkeyAlpha').multi(hotkeys.map((h) => [h, netuid])),
    q('blockAtRegistration').multi(uids.map((uid) => [netuid, uid])),
  ]);
  const column = async <T>(
    name: string,
    key: number,
    map: (c: AnyCodec) => T,
    zero: T,
  ): Promise<T[]> => {
    const item = optional(name);
    const values: T[] = item ? [...(await item(key))].map(map) : [];
    return uids.map((uid) => values[uid] ?? zero);
  };
  const [
    active,
    validatorPermit,
    lastUpdate,
    incentive,
    dividends,
    consensus,
    emission,
    trust,
    rank,
    pruningScore,
    validatorTrust,
  ] = await Promise.all([
    column('active', netuid, bool, false),
    column('validatorPermit', netuid, bool, false),
    column('lastUpdate', index, num, 0),
    column('incentive', index, num, 0),
    column('dividends', netuid, num, 0),
    column('consensus', netuid, num, 0),
    column('emission', netuid, big, 0n),
    column('trust', netuid, num, 0),
    column('rank', netuid, num, 0),
    column('pruningScores', netuid, num, 0),
    column('validatorTrust', netuid, num, 0),
  ]);
  const emptyAxon = toAxonInfo({
    block: 0n,
    version: 0,
    ip: 0n,
    port: 0,
    ipType: 0,
    protocol: 0,
    placeholder1: 0,
    placeholder2: 0,
  });
  return {
    ...base,
    source: 'storage',
    n,
    uids,
    hotkeys,
    coldkeys: [...coldkeys].map(account),
    axons: [...axons].map((a: AnyCodec) =>
      a.isSome ? decodeAxon(a.unwrap()) : a.isNone ? emptyAxon : decodeAxon(a),
    ),
    active,
    validatorPermit,
    lastUpdate,
    incentive,
    dividends,
    consensus,
    trust,
    rank,
    pruningScore,
    emission,
    stake: [...stakes].map(big),
    stakeKind: 'own-alpha',
    ownAlphaStake: [...stakes].map(big),
    validatorTrust,
    blockAtRegistration: [...registered].map(num),
  };
}
