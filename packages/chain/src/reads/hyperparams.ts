import type { ApiPromise } from '@polkadot/api';
import type { ApiDecoration } from '@polkadot/api/types';
import { type AnyCodec, big, bool, decodeHyperparams, num } from '../decode.js';
import { ChainError } from '../errors.js';
import type { SubnetHyperparameters } from '../types.js';
import { metagraphFrom } from './metagraph.js';
import { requireStorage, runtimeCall, storage } from './runtime.js';

export async function hyperparamsFrom(
  api: ApiPromise,
  source: 'hyperparams-api' | 'mechagraph' | 'storage',
  at: ApiDecoration<'promise'>,
  netuid: number,
  head: { number: number; hash: string },
): Promise<SubnetHyperparameters | undefined> {
  const notFound = () =>
    new ChainError('INVALID_INPUT', `subnet ${netuid} does not exist`, {
      details: { field: 'netuid' },
    });
  if (source === 'hyperparams-api') {
    const call =
      runtimeCall(at, 'subnetInfoRuntimeApi', 'getSubnetHyperparamsV3') ??
      runtimeCall(at, 'subnetInfoRuntimeApi', 'getSubnetHyperparamsV2') ??
      runtimeCall(at, 'subnetInfoRuntimeApi', 'getSubnetHyperparams');
    if (!call) return undefined;
    const result = await call(netuid);
    if (result.isNone) throw notFound();
    const params = decodeHyperparams(result.unwrap(), 'hyperparams-api');
    const burn = storage(at, 'burn');
    if (burn) params.burn = big(await burn(netuid));
    const maxUids = storage(at, 'maxAllowedUids');
    if (maxUids) params.maxUids = num(await maxUids(netuid));
    return params;
  }
  if (source === 'mechagraph') {
    const graph = await metagraphFrom(api, 'mechagraph', at, {
      netuid,
      mechid: 0,
      block: head.number,
      blockHash: head.hash,
    });
    return graph?.hyperparameters;
  }
  const q = (name: string) => requireStorage(at, name);
  const read = async (name: string) => (await q(name)(netuid)) as AnyCodec;
  const networksAdded = storage(at, 'networksAdded');
  if (networksAdded && !bool(await networksAdded(netuid))) throw notFound();
  const [
    rho,
    kappa,
    immunityPeriod,
    minAllowedWeights,
    maxWeightsLimit,
    tempo,
    difficulty,
    weightsVersion,
    weightsRateLimit,
    adjustmentInterval,
    activityCutoff,
    registrationAllowed,
    targetRegs,
    minBurn,
    maxBurn,
    bondsMovingAvg,
    maxRegsPerBlock,
    servingRateLimit,
    maxValidators,
    adjustmentAlpha,
    crEnabled,
    revealPeriod,
    liquidAlpha,
    alphaValues,
    burn,
    maxUids,
  ] = await Promise.all(
    [
      'rho',
      'kappa',
      'immunityPeriod',
      'minAllowedWeights',
      'maxWeightsLimit',
      'tempo',
      'difficulty',
      'weightsVersionKey',
      'weightsSetRateLimit',
      'adjustmentInterval',
      'activityCutoff',
      'networkRegistrationAllowed',
      'targetRegistrationsPerInterval',
      'minBurn',
      'maxBurn',
      'bondsMovingAverage',
      'maxRegistrationsPerBlock',
      'servingRateLimit',
      'maxAllowedValidators',
      'adjustmentAlpha',
      'commitRevealWeightsEnabled',
      'revealPeriodEpochs',
      'liquidAlphaOn',
      'alphaValues',
      'burn',
      'maxAllowedUids',
    ].map(read),
  );
  return {
    rho: num(rho),
    kappa: num(kappa),
    immunityPeriod: num(immunityPeriod),
    minAllowedWeights: num(minAllowedWeights),
    maxWeightsLimit: num(maxWeightsLimit),
    tempo: num(tempo),
    difficulty: big(difficulty),
    weightsVersion: big(weightsVersion),
    weightsRateLimit: num(weightsRateLimit),
    adjustmentInterval: num(adjustmentInterval),
    activityCutoff: num(activityCutoff),
    registrationAllowed: bool(registrationAllowed),
    targetRegsPerInterval: num(targetRegs),
    minBurn: big(minBurn),
    maxBurn: big(maxBurn),
    bondsMovingAvg: big(bondsMovingAvg),
    maxRegsPerBlock: num(maxRegsPerBlock),
    servingRateLimit: num(servingRateLimit),
    maxValidators: num(maxValidators),
    adjustmentAlpha: big(adjustmentAlpha),
    commitRevealWeightsEnabled: bool(crEnabled),
    commitRevealPeriod: num(revealPeriod),
    liquidAlphaEnabled: bool(liquidAlpha),
    alphaLow: num(alphaValues[0]),
    alphaHigh: num(alphaValues[1]),
    burn: big(burn),
    maxUids: num(maxUids),
    source: 'storage',
  };
}
