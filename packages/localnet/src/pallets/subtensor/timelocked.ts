import type { Codec } from '@polkadot/types/types';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { openTimelockedCommit, TimelockError } from '@subnetkit/timelock';
import { MAX_CRV3_COMMIT_SIZE_BYTES } from '../../metadata/subtensor.js';
import * as A from '../../runtime/args.js';
import { DispatchFailure } from '../../runtime/dispatch-error.js';
import { type BlockContext, ensureSigned, type Origin } from '../../runtime/runtime.js';
import type { TimelockedCommit } from '../../state/codecs.js';
import { uidOf } from './neurons.js';
import {
  checkMechanism,
  doSetWeights,
  epochIndex,
  isEpochBlock,
  isExpired,
  passesRateLimit,
  setLastUpdate,
} from './weights.js';

const MAX_UNREVEALED_COMMITS = 10;

/** subtensor's `GLOBAL_MAX_SUBNET_COUNT`: mechanism storage index = mecid · 4096 + netuid. */
export const mechanismStorageIndex = (netuid: number, mecid: number): number =>
  mecid * 4096 + netuid;

/** What happened to one timelocked commit at a reveal attempt (subtensor only logs this). */
export interface TimelockedRevealOutcome {
  netuid: number;
  /** Mechanism storage index (`mecid·4096 + netuid`). */
  netuidIndex: number;
  who: Uint8Array;
  commitBlock: bigint;
  revealRound: bigint;
  /** Block whose `on_initialize` made this attempt. */
  block: number;
  /**
   * `revealed`: weights applied, `TimelockedWeightsRevealed` deposited; `retry`: the round's
   * pulse is not on chain yet, kept for the next block of the reveal epoch; `dropped`: removed
   * for good (`reason` says why, as subtensor's trace log would).
   */
  outcome: 'revealed' | 'retry' | 'dropped';
  reason?: string;
}

export type RevealObserver = (outcome: TimelockedRevealOutcome) => void;

/**
 * `internal_commit_timelocked_weights` (spec 343), for `commit_timelocked_weights` and
 * `commit_timelocked_mechanism_weights`: the same checks in the same order, the commit appended
 * to `TimelockedWeightCommits[netuid_index][epoch]`, `TimelockedWeightsCommitted`, `LastUpdate`.
 */
export function commitTimelockedWeights(
  ctx: BlockContext,
  origin: Origin,
  args: Codec[],
  mech = false,
): void {
  const o = mech ? 1 : 0;
  const netuid = A.num(args[0]);
  const mecid = mech ? A.num(args[1]) : 0;
  const commit = A.bytes(args[1 + o]);
  const revealRound = A.big(args[2 + o]);
  const version = A.num(args[3 + o]);
  if (commitTooLarge(commit)) {
    throw new DispatchFailure(
      'Other',
      `commit of ${commit.length} bytes exceeds BoundedVec<u8, ${MAX_CRV3_COMMIT_SIZE_BYTES}>`,
    );
  }
  checkMechanism(ctx, netuid, mecid);
  const netuidIndex = mechanismStorageIndex(netuid, mecid);
  const who = ensureSigned(origin);
  const i = ctx.items.st;
  ctx.ensure(i.commitRevealWeightsEnabled.get(ctx.st, netuid), 'CommitRevealDisabled');
  ctx.ensure(version === i.commitRevealWeightsVersion.get(ctx.st), 'IncorrectCommitRevealVersion');
  const uid = uidOf(ctx, netuid, who);
  ctx.ensure(uid !== undefined, 'HotKeyNotRegisteredInSubNet');
  ctx.ensure(passesRateLimit(ctx, netuidIndex, uid as number), 'CommittingWeightsTooFast');
  const tempo = i.tempo.get(ctx.st, netuid);
  const epoch =
    epochIndex(tempo, netuid, ctx.block) + (isEpochBlock(tempo, netuid, ctx.block) ? 1n : 0n);
  const commits = i.timelockedWeightCommits.get(ctx.st, netuidIndex, epoch);
  ctx.ensure(
    commits.filter((c) => u8aToHex(c.who) === u8aToHex(who)).length < MAX_UNREVEALED_COMMITS,
    'TooManyUnrevealedCommits',
  );
  const hash = blake2AsU8a(commit, 256);
  i.timelockedWeightCommits.set(
    ctx.st,
    [netuidIndex, epoch],
    [...commits, { who, commitBlock: ctx.block, commit, revealRound }],
  );
  ctx.deposit({
    SubtensorModule: { TimelockedWeightsCommitted: [who, netuidIndex, hash, revealRound] },
  });
  setLastUpdate(ctx, netuidIndex, uid as number);
}

/** The bound subtensor's `BoundedVec<u8, 5000>` puts on a commit (checked when decoding). */
export function commitTooLarge(commit: Uint8Array): boolean {
  return commit.length > MAX_CRV3_COMMIT_SIZE_BYTES;
}

/** Epoch keys of `TimelockedWeightCommits[netuidIndex]` in state (an `iter_prefix`). */
export function timelockedEpochs(ctx: BlockContext, netuidIndex: number): bigint[] {
  const item = ctx.items.st.timelockedWeightCommits;
  const prefix = item.key(netuidIndex, 0n).slice(0, -32); // drop the epoch's twox64 + u64
  return ctx.st.keys(prefix).map((k) => {
    const le = hexToU8a(`0x${k.slice(-16)}`);
    return new DataView(le.buffer, le.byteOffset, 8).getBigUint64(0, true);
  });
}

/** The committer's earliest unexpired timelocked commit block on the subnet, per hotkey hex. */
export function timelockedCommitBlocks(ctx: BlockContext, netuid: number): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const netuidIndex = mechanismStorageIndex(netuid, 0);
  for (const epoch of timelockedEpochs(ctx, netuidIndex)) {
    for (const c of ctx.items.st.timelockedWeightCommits.get(ctx.st, netuidIndex, epoch)) {
      if (isExpired(ctx, netuid, c.commitBlock)) continue;
      const key = u8aToHex(c.who);
      const prev = out.get(key);
      if (prev === undefined || c.commitBlock < prev) out.set(key, c.commitBlock);
    }
  }
  return out;
}

const strip0x = (sig: Uint8Array): Uint8Array =>
  sig[0] === 0x30 && sig[1] === 0x78 ? sig.subarray(2) : sig;

/**
 * `reveal_crv3_commits` (spec 343), run for every subnet at the start of every block, before its
 * epoch: drop commits of epochs before `current_epoch − reveal_period`, then try each commit of
 * that epoch in order. A missing pulse keeps the commit (retried next block, within the epoch);
 * any other failure (ciphertext, signature, decryption, payload, hotkey, `set_weights` rules)
 * drops it with no event; a success applies the weights as the committer and deposits
 * `TimelockedWeightsRevealed(netuid_index, who)`.
 */
export function revealTimelockedCommits(
  ctx: BlockContext,
  netuid: number,
  observe?: RevealObserver,
): void {
  const i = ctx.items.st;
  const revealPeriod = i.revealPeriodEpochs.get(ctx.st, netuid);
  const curEpoch = epochIndex(i.tempo.get(ctx.st, netuid), netuid, ctx.block);
  const revealEpoch = curEpoch > revealPeriod ? curEpoch - revealPeriod : 0n;
  const mechanisms = i.mechanismCountCurrent.get(ctx.st, netuid);
  for (let mecid = 0; mecid < mechanisms; mecid++) {
    const netuidIndex = mechanismStorageIndex(netuid, mecid);
    const report = (
      entry: TimelockedCommit,
      outcome: TimelockedRevealOutcome['outcome'],
      reason?: string,
    ) =>
      observe?.({
        netuid,
        netuidIndex,
        who: entry.who,
        commitBlock: entry.commitBlock,
        revealRound: entry.revealRound,
        block: ctx.blockNumber,
        outcome,
        ...(reason === undefined ? {} : { reason }),
      });
    for (const epoch of timelockedEpochs(ctx, netuidIndex)) {
      if (epoch >= revealEpoch) continue;
      if (observe) {
        for (const entry of i.timelockedWeightCommits.get(ctx.st, netuidIndex, epoch)) {
          report(entry, 'dropped', `expired: epoch ${epoch} is past its reveal epoch`);
        }
      }
      i.timelockedWeightCommits.remove(ctx.st, netuidIndex, epoch);
    }
    if (curEpoch < revealPeriod) return;
    if (!i.timelockedWeightCommits.has(ctx.st, netuidIndex, revealEpoch)) continue;
    const entries = i.timelockedWeightCommits.get(ctx.st, netuidIndex, revealEpoch);
    i.timelockedWeightCommits.remove(ctx.st, netuidIndex, revealEpoch);
    const unrevealed: TimelockedCommit[] = [];
    for (const entry of entries) {
      const pulse = ctx.items.drand.pulses.getOpt(ctx.st, entry.revealRound);
      if (!pulse) {
        unrevealed.push(entry);
        report(entry, 'retry', `no pulse for round ${entry.revealRound} yet`);
        continue;
      }
      let weights: ReturnType<typeof openTimelockedCommit>;
      try {
        weights = openTimelockedCommit(entry.commit, strip0x(pulse.signature), entry.who);
      } catch (e) {
        if (!(e instanceof TimelockError)) throw e;
        report(entry, 'dropped', `${e.code}: ${e.message}`);
        continue;
      }
      ctx.st.begin();
      const mark = ctx.events.length;
      try {
        doSetWeights(
          ctx,
          entry.who,
          netuid,
          mecid,
          [...weights.uids],
          [...weights.values],
          BigInt(weights.versionKey),
        );
        ctx.st.commit();
      } catch (e) {
        if (!(e instanceof DispatchFailure)) throw e;
        ctx.st.rollback();
        ctx.events.length = mark;
        report(entry, 'dropped', `do_set_mechanism_weights: ${e.label}`);
        continue;
      }
      ctx.deposit({ SubtensorModule: { TimelockedWeightsRevealed: [netuidIndex, entry.who] } });
      report(entry, 'revealed');
    }
    if (unrevealed.length > 0) {
      i.timelockedWeightCommits.set(ctx.st, [netuidIndex, revealEpoch], unrevealed);
    }
  }
}
