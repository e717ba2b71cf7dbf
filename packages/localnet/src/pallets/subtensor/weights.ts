import type { Codec } from '@polkadot/types/types';
import { blake2AsU8a } from '@polkadot/util-crypto';
import * as A from '../../runtime/args.js';
import { type BlockContext, ensureSigned, type Origin } from '../../runtime/runtime.js';
import * as s from '../../scale/scale.js';
import type { WeightCommit } from '../../state/codecs.js';
import { sameAccount, stakeOf, subnetExists, uidOf } from './neurons.js';

const MAX_UNREVEALED_COMMITS = 10;

/** subtensor's get_epoch_index: epochs are offset by netuid + 1 and last tempo + 1 blocks. */
export function epochIndex(tempo: number, netuid: number, block: bigint): bigint {
  return (block + BigInt(netuid) + 1n) / (BigInt(tempo) + 1n);
}

/** blocks_until_next_epoch == 0. */
export function isEpochBlock(tempo: number, netuid: number, block: bigint): boolean {
  if (tempo === 0) return false;
  const t1 = BigInt(tempo) + 1n;
  return BigInt(tempo) - ((block + BigInt(netuid) + 1n) % t1) === 0n;
}

/** The commit-reveal v2 hash: blake2_256(SCALE(hotkey, netuid_index, uids, values, salt, version_key)). */
export function commitHash(
  hotkey: Uint8Array,
  netuidIndex: number,
  uids: number[],
  values: number[],
  salt: number[],
  versionKey: bigint,
): Uint8Array {
  return blake2AsU8a(
    s.concat(
      hotkey,
      s.u16(netuidIndex),
      s.vec(uids, s.u16),
      s.vec(values, s.u16),
      s.vec(salt, s.u16),
      s.u64(versionKey),
    ),
    256,
  );
}

const maxUpscale = (values: number[]): number[] => {
  const max = values.reduce((m, x) => Math.max(m, x), 0);
  if (max === 0) return values.slice();
  return values.map((x) => Number((BigInt(x) * 65535n) / BigInt(max)));
};

const isSelfWeight = (uid: number, uids: number[], values: number[]) =>
  values.length === 1 && uids[0] === uid;

/** ensure_mechanism_exists. `MechanismCountCurrent` is 1 on localnet (no mechanism setter). */
export function checkMechanism(ctx: BlockContext, netuid: number, mecid: number): void {
  ctx.ensure(subnetExists(ctx, netuid), 'MechanismDoesNotExist');
  ctx.ensure(
    mecid < ctx.items.st.mechanismCountCurrent.get(ctx.st, netuid),
    'MechanismDoesNotExist',
  );
}

/** check_rate_limit: never set, or at least WeightsSetRateLimit blocks since LastUpdate. */
export function passesRateLimit(ctx: BlockContext, netuid: number, uid: number): boolean {
  const last = ctx.items.st.lastUpdate.get(ctx.st, netuid)[uid] ?? 0n;
  if (last === 0n) return true;
  return ctx.block - last >= ctx.items.st.weightsSetRateLimit.get(ctx.st, netuid);
}

export const hasMinStakeForWeights = (
  ctx: BlockContext,
  hotkey: Uint8Array,
  netuid: number,
): boolean => stakeOf(ctx, hotkey, netuid) >= ctx.items.st.stakeThreshold.get(ctx.st);

export function setLastUpdate(ctx: BlockContext, netuid: number, uid: number): void {
  ctx.items.st.lastUpdate.mutate(ctx.st, [netuid], (v) => {
    const out = v.slice();
    while (out.length <= uid) out.push(0n);
    out[uid] = ctx.block;
    return out;
  });
}

/** internal_set_weights, spec 343: the same checks in the same order. */
export function doSetWeights(
  ctx: BlockContext,
  hotkey: Uint8Array,
  netuid: number,
  mecid: number,
  uids: number[],
  values: number[],
  versionKey: bigint,
): void {
  const i = ctx.items.st;
  const st = ctx.st;
  ctx.ensure(netuid !== 0, 'CanNotSetRootNetworkWeights');
  ctx.ensure(uids.length === values.length, 'WeightVecNotEqualSize');
  checkMechanism(ctx, netuid, mecid);
  const n = i.subnetworkN.get(st, netuid);
  ctx.ensure(uids.length <= n, 'UidsLengthExceedUidsInSubNet');
  const uid = uidOf(ctx, netuid, hotkey);
  ctx.ensure(uid !== undefined, 'HotKeyNotRegisteredInSubNet');
  const me = uid as number;
  ctx.ensure(hasMinStakeForWeights(ctx, hotkey, netuid), 'NotEnoughStakeToSetWeights');
  const networkKey = i.weightsVersionKey.get(st, netuid);
  ctx.ensure(networkKey === 0n || versionKey >= networkKey, 'IncorrectWeightVersionKey');
  const cr = i.commitRevealWeightsEnabled.get(st, netuid);
  if (!cr) ctx.ensure(passesRateLimit(ctx, netuid, me), 'SettingWeightsTooFast');
  ctx.ensure(
    isSelfWeight(me, uids, values) || (i.validatorPermit.get(st, netuid)[me] ?? false),
    'NeuronNoValidatorPermit',
  );
  ctx.ensure(new Set(uids).size === uids.length, 'DuplicateUids');
  ctx.ensure(
    uids.every((u) => u < n),
    'UidVecContainInvalidOne',
  );
  const minAllowed = Math.min(n, i.minAllowedWeights.get(st, netuid));
  ctx.ensure(isSelfWeight(me, uids, values) || values.length >= minAllowed, 'WeightVecLengthIsLow');
  const upscaled = maxUpscale(values);
  const limit = i.maxWeightsLimit.get(st, netuid);
  if (!isSelfWeight(me, uids, upscaled) && limit !== 65535) {
    const sum = upscaled.reduce((a, b) => a + b, 0);
    const normalized = upscaled.map((x) => (sum === 0 ? 0 : Math.floor((x * 65535) / sum)));
    ctx.ensure(Math.max(0, ...normalized) <= limit, 'MaxWeightExceeded');
  }
  i.weights.set(
    st,
    [netuid, me],
    uids.map((u, k) => [u, upscaled[k] as number]),
  );
  if (!cr) setLastUpdate(ctx, netuid, me);
  ctx.deposit({ SubtensorModule: { WeightsSet: [netuid, me] } });
}

/** The `set_weights` / `set_mechanism_weights` dispatchables: refused while commit-reveal is on. */
export function setWeights(ctx: BlockContext, origin: Origin, args: Codec[], mech = false): void {
  ctx.ensure(
    !ctx.items.st.commitRevealWeightsEnabled.get(ctx.st, A.num(args[0])),
    'CommitRevealEnabled',
  );
  const hotkey = ensureSigned(origin);
  const o = mech ? 1 : 0;
  doSetWeights(
    ctx,
    hotkey,
    A.num(args[0]),
    mech ? A.num(args[1]) : 0,
    A.u16s(args[1 + o]),
    A.u16s(args[2 + o]),
    A.big(args[3 + o]),
  );
}

function revealWindow(
  ctx: BlockContext,
  netuid: number,
  commitBlock: bigint,
): { first: bigint; last: bigint } {
  const tempo = ctx.items.st.tempo.get(ctx.st, netuid);
  const period = ctx.items.st.revealPeriodEpochs.get(ctx.st, netuid);
  const revealEpoch = epochIndex(tempo, netuid, commitBlock) + period;
  const first = revealEpoch * (BigInt(tempo) + 1n) - (BigInt(netuid) + 1n);
  return { first, last: first + BigInt(tempo) };
}

export const isExpired = (ctx: BlockContext, netuid: number, commitBlock: bigint): boolean => {
  const tempo = ctx.items.st.tempo.get(ctx.st, netuid);
  const period = ctx.items.st.revealPeriodEpochs.get(ctx.st, netuid);
  return epochIndex(tempo, netuid, ctx.block) > epochIndex(tempo, netuid, commitBlock) + period;
};

export const inRevealRange = (ctx: BlockContext, netuid: number, commitBlock: bigint): boolean => {
  const tempo = ctx.items.st.tempo.get(ctx.st, netuid);
  const period = ctx.items.st.revealPeriodEpochs.get(ctx.st, netuid);
  return epochIndex(tempo, netuid, ctx.block) === epochIndex(tempo, netuid, commitBlock) + period;
};

export function commitWeights(
  ctx: BlockContext,
  origin: Origin,
  args: Codec[],
  mech = false,
): void {
  const who = ensureSigned(origin);
  const netuid = A.num(args[0]);
  const mecid = mech ? A.num(args[1]) : 0;
  const hash = A.h256(args[mech ? 2 : 1]);
  checkMechanism(ctx, netuid, mecid);
  const i = ctx.items.st;
  ctx.ensure(i.commitRevealWeightsEnabled.get(ctx.st, netuid), 'CommitRevealDisabled');
  const uid = uidOf(ctx, netuid, who);
  ctx.ensure(uid !== undefined, 'HotKeyNotRegisteredInSubNet');
  ctx.ensure(passesRateLimit(ctx, netuid, uid as number), 'CommittingWeightsTooFast');
  const { first, last } = revealWindow(ctx, netuid, ctx.block);
  const commits = (i.weightCommits.getOpt(ctx.st, netuid, who) ?? []).slice();
  while (commits[0] && isExpired(ctx, netuid, commits[0].commitBlock)) commits.shift();
  ctx.ensure(commits.length < MAX_UNREVEALED_COMMITS, 'TooManyUnrevealedCommits');
  commits.push({ hash, commitBlock: ctx.block, firstRevealBlock: first, lastRevealBlock: last });
  i.weightCommits.set(ctx.st, [netuid, who], commits);
  ctx.deposit({ SubtensorModule: { WeightsCommitted: [who, netuid, hash] } });
  setLastUpdate(ctx, netuid, uid as number);
}

export function revealWeights(
  ctx: BlockContext,
  origin: Origin,
  args: Codec[],
  mech = false,
): void {
  const who = ensureSigned(origin);
  const o = mech ? 1 : 0;
  const netuid = A.num(args[0]);
  const mecid = mech ? A.num(args[1]) : 0;
  const uids = A.u16s(args[1 + o]);
  const values = A.u16s(args[2 + o]);
  const salt = A.u16s(args[3 + o]);
  const versionKey = A.big(args[4 + o]);
  const i = ctx.items.st;
  ctx.ensure(i.commitRevealWeightsEnabled.get(ctx.st, netuid), 'CommitRevealDisabled');
  const stored = i.weightCommits.getOpt(ctx.st, netuid, who);
  ctx.ensure(stored !== undefined, 'NoWeightsCommitFound');
  const commits: WeightCommit[] = (stored as WeightCommit[]).slice();
  const expired: Uint8Array[] = [];
  while (commits[0] && isExpired(ctx, netuid, commits[0].commitBlock)) {
    expired.push((commits.shift() as WeightCommit).hash);
  }
  const provided = commitHash(who, netuid + mecid * 4096, uids, values, salt, versionKey);
  const wasExpired = expired.some((h) => sameAccount(h, provided));
  if (commits.length === 0)
    throw ctx.stError(wasExpired ? 'ExpiredWeightCommit' : 'NoWeightsCommitFound');
  const pos = commits.findIndex((c) => sameAccount(c.hash, provided));
  if (pos < 0)
    throw ctx.stError(wasExpired ? 'ExpiredWeightCommit' : 'InvalidRevealCommitHashNotMatch');
  ctx.ensure(
    inRevealRange(ctx, netuid, (commits[pos] as WeightCommit).commitBlock),
    'RevealTooEarly',
  );
  const rest = commits.slice(pos + 1);
  if (rest.length === 0) i.weightCommits.remove(ctx.st, netuid, who);
  else i.weightCommits.set(ctx.st, [netuid, who], rest);
  doSetWeights(ctx, who, netuid, mecid, uids, values, versionKey);
  ctx.deposit({ SubtensorModule: { WeightsRevealed: [who, netuid, provided] } });
}

/** find_commit_block_via_hash, for the pool check of reveal_weights. */
export function findCommitBlock(
  ctx: BlockContext,
  netuid: number,
  who: Uint8Array,
  hash: Uint8Array,
): bigint | undefined {
  const commits = ctx.items.st.weightCommits.getOpt(ctx.st, netuid, who) ?? [];
  return commits.find((c) => sameAccount(c.hash, hash))?.commitBlock;
}
