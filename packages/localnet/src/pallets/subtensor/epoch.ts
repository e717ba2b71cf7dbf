import { u8aToHex } from '@polkadot/util';
import {
  createYumaWorkspace,
  type YumaInput,
  type YumaOutput,
  yumaEpoch,
} from '@subnetkit/scoring';
import type { BlockContext } from '../../runtime/runtime.js';
import { sameAccount } from './neurons.js';
import { increaseStake } from './staking.js';
import {
  type RevealObserver,
  revealTimelockedCommits,
  timelockedCommitBlocks,
} from './timelocked.js';
import { isEpochBlock, isExpired } from './weights.js';

/**
 * One scratch workspace for every epoch this process runs (an epoch is synchronous, so the
 * localnets of one process can share it): it grows to the largest subnet's epoch and is reused,
 * which saves the allocation passes of a fresh call (scoring's README, Benchmarks).
 */
const workspace = createYumaWorkspace();

/** Every subnet except root, in netuid order. */
export function subnetIds(ctx: BlockContext): number[] {
  const out: number[] = [];
  const total = ctx.items.st.totalNetworks.get(ctx.st);
  for (let netuid = 1, found = 0; found < total && netuid < 4096; netuid++) {
    if (ctx.items.st.networksAdded.get(ctx.st, netuid)) {
      out.push(netuid);
      found++;
    }
  }
  return out;
}

/** Reads everything Yuma needs from state, for subnet `netuid` at this block. */
export function epochInput(ctx: BlockContext, netuid: number, emission: bigint): YumaInput {
  const i = ctx.items.st;
  const st = ctx.st;
  const n = i.subnetworkN.get(st, netuid);
  const hotkeys = Array.from({ length: n }, (_, uid) => i.keys.get(st, netuid, uid));
  const ownerHotkey = i.subnetOwnerHotkey.get(st, netuid);
  const ownerUid = hotkeys.findIndex((h) => sameAccount(h, ownerHotkey));
  const cr = i.commitRevealWeightsEnabled.get(st, netuid);
  const [alphaLow, alphaHigh] = i.alphaValues.get(st, netuid);
  const lastUpdate = i.lastUpdate.get(st, netuid);
  const permit = i.validatorPermit.get(st, netuid);
  const input: YumaInput = {
    n,
    stake: hotkeys.map((h) => i.totalHotkeyAlpha.get(st, h, netuid)),
    weights: Array.from({ length: n }, (_, uid) => i.weights.get(st, netuid, uid)),
    bonds: Array.from({ length: n }, (_, uid) => i.bonds.get(st, netuid, uid)),
    lastUpdate: Array.from({ length: n }, (_, uid) => Number(lastUpdate[uid] ?? 0n)),
    blockAtRegistration: Array.from({ length: n }, (_, uid) =>
      Number(i.blockAtRegistration.get(st, netuid, uid)),
    ),
    validatorPermit: Array.from({ length: n }, (_, uid) => permit[uid] ?? false),
    currentBlock: ctx.blockNumber,
    emission,
    hyperparams: {
      tempo: i.tempo.get(st, netuid),
      activityCutoff: i.activityCutoff.get(st, netuid),
      kappa: i.kappa.get(st, netuid),
      bondsPenalty: i.bondsPenalty.get(st, netuid),
      bondsMovingAverage: Number(i.bondsMovingAverage.get(st, netuid)),
      maxAllowedValidators: i.maxAllowedValidators.get(st, netuid),
      stakeThreshold: i.stakeThreshold.get(st),
      yuma3: i.yuma3On.get(st, netuid),
      liquidAlpha: i.liquidAlphaOn.get(st, netuid),
      alphaLow,
      alphaHigh,
    },
  };
  if (ownerUid >= 0) input.ownerUid = ownerUid;
  if (cr) {
    // The earliest unexpired commit of each validator, v2 and timelocked (run_epoch's mask).
    const timelocked = timelockedCommitBlocks(ctx, netuid);
    input.commitBlocks = hotkeys.map((h) => {
      const v2 = (i.weightCommits.getOpt(st, netuid, h) ?? []).find(
        (c) => !isExpired(ctx, netuid, c.commitBlock),
      )?.commitBlock;
      const tl = timelocked.get(u8aToHex(h));
      const first = v2 === undefined ? tl : tl === undefined || v2 < tl ? v2 : tl;
      return first === undefined ? undefined : Number(first);
    });
  }
  return input;
}

/** Writes Yuma's results where subtensor stores them and pays out the emission as stake. */
export function applyEpoch(
  ctx: BlockContext,
  netuid: number,
  out: YumaOutput,
  ownerCut: bigint,
): void {
  const i = ctx.items.st;
  const st = ctx.st;
  const n = out.active.length;
  i.active.set(st, [netuid], out.active);
  i.consensus.set(st, [netuid], [...out.consensus.u16]);
  i.incentive.set(st, [netuid], [...out.incentive.u16]);
  i.dividends.set(st, [netuid], [...out.dividends.u16]);
  i.validatorTrust.set(st, [netuid], [...out.validatorTrust.u16]);
  i.pruningScores.set(st, [netuid], [...out.pruningScores.u16]);
  i.stakeWeight.set(st, [netuid], [...out.stake.u16]);
  i.emission.set(st, [netuid], out.emission);
  i.validatorPermit.set(st, [netuid], out.validatorPermit);
  i.rank.set(st, [netuid], new Array(n).fill(0));
  i.trust.set(st, [netuid], new Array(n).fill(0));
  for (let uid = 0; uid < n; uid++) {
    const row = bondRow(out.bonds, uid);
    if (row.length === 0) i.bonds.remove(st, netuid, uid);
    else i.bonds.set(st, [netuid, uid], row);
    const paid = out.emission[uid] ?? 0n;
    if (paid > 0n) {
      const hotkey = i.keys.get(st, netuid, uid);
      increaseStake(ctx, hotkey, i.owner.get(st, hotkey), netuid, paid);
    }
  }
  if (ownerCut > 0n) {
    const hotkey = i.subnetOwnerHotkey.get(st, netuid);
    increaseStake(ctx, hotkey, i.subnetOwner.get(st, netuid), netuid, ownerCut);
  }
}

/**
 * on_initialize of each block: emission accrues to started subnets (owner cut first, the rest
 * pending for the epoch), and each subnet whose tempo boundary this is runs its epoch.
 */
export function blockStep(
  ctx: BlockContext,
  onEpoch?: (netuid: number, input: YumaInput, out: YumaOutput) => void,
  onReveal?: RevealObserver,
): void {
  const i = ctx.items.st;
  const st = ctx.st;
  for (const netuid of subnetIds(ctx)) {
    i.registrationsThisBlock.set(st, [netuid], 0);
    const interval = i.adjustmentInterval.get(st, netuid);
    if (interval > 0 && ctx.block - i.lastAdjustmentBlock.get(st, netuid) >= BigInt(interval)) {
      i.lastAdjustmentBlock.set(st, [netuid], ctx.block);
      i.registrationsThisInterval.set(st, [netuid], 0);
      i.burnRegistrationsThisInterval.set(st, [netuid], 0);
    }
    const first = i.firstEmissionBlockNumber.getOpt(st, netuid);
    if (first !== undefined && ctx.block >= first) {
      const emission = ctx.params.blockEmission;
      const cut = (emission * BigInt(i.subnetOwnerCut.get(st))) / 65535n;
      const rest = emission - cut;
      i.pendingOwnerCut.mutate(st, [netuid], (v) => v + cut);
      i.pendingServerEmission.mutate(st, [netuid], (v) => v + rest / 2n);
      i.pendingValidatorEmission.mutate(st, [netuid], (v) => v + (rest - rest / 2n));
      i.subnetAlphaOut.mutate(st, [netuid], (v) => v + emission);
    }
    // Matured timelocked weights first, then the epoch (run_coinbase's order).
    revealTimelockedCommits(ctx, netuid, onReveal);
    if (isEpochBlock(i.tempo.get(st, netuid), netuid, ctx.block)) {
      i.blocksSinceLastStep.set(st, [netuid], 0n);
      i.lastMechansimStepBlock.set(st, [netuid], ctx.block);
      const pending =
        i.pendingServerEmission.get(st, netuid) + i.pendingValidatorEmission.get(st, netuid);
      const ownerCut = i.pendingOwnerCut.get(st, netuid);
      i.pendingServerEmission.set(st, [netuid], 0n);
      i.pendingValidatorEmission.set(st, [netuid], 0n);
      i.pendingOwnerCut.set(st, [netuid], 0n);
      const input = epochInput(ctx, netuid, pending);
      const out = yumaEpoch(input, { workspace });
      applyEpoch(ctx, netuid, out, ownerCut);
      onEpoch?.(netuid, input, out);
    } else {
      i.blocksSinceLastStep.mutate(st, [netuid], (v) => v + 1n);
    }
  }
}

type Csr = { indptr: ArrayLike<number>; indices: ArrayLike<number>; values: ArrayLike<number> };

/** Row `uid` of Yuma's bonds, whether scoring returns chain-style rows or CSR. */
function bondRow(bonds: unknown, uid: number): [number, number][] {
  if (Array.isArray(bonds)) return (bonds[uid] as [number, number][] | undefined) ?? [];
  const csr = bonds as Csr;
  const row: [number, number][] = [];
  const end = csr.indptr[uid + 1] ?? 0;
  for (let k = csr.indptr[uid] ?? 0; k < end; k++)
    row.push([csr.indices[k] as number, csr.values[k] as number]);
  return row;
}
