import type { BlockContext } from '../../runtime/runtime.js';
import { EMPTY_AXON } from '../../state/codecs.js';

const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
export const sameAccount = eq;

export const subnetExists = (ctx: BlockContext, netuid: number): boolean =>
  ctx.items.st.networksAdded.get(ctx.st, netuid);

export const hotkeyExists = (ctx: BlockContext, hotkey: Uint8Array): boolean =>
  ctx.items.st.owner.has(ctx.st, hotkey);

export const uidOf = (ctx: BlockContext, netuid: number, hotkey: Uint8Array): number | undefined =>
  ctx.items.st.uids.getOpt(ctx.st, netuid, hotkey);

/** Stake weight of a hotkey on a subnet: its alpha (localnet has no root TAO weight). */
export const stakeOf = (ctx: BlockContext, hotkey: Uint8Array, netuid: number): bigint =>
  ctx.items.st.totalHotkeyAlpha.get(ctx.st, hotkey, netuid);

/** Associates a hotkey with a coldkey on first use (subtensor's create_account_if_non_existent). */
export function createHotkeyIfMissing(
  ctx: BlockContext,
  coldkey: Uint8Array,
  hotkey: Uint8Array,
): void {
  const i = ctx.items.st;
  if (i.owner.has(ctx.st, hotkey)) return;
  i.owner.set(ctx.st, [hotkey], coldkey);
  i.ownedHotkeys.mutate(ctx.st, [coldkey], (v) =>
    v.some((h) => eq(h, hotkey)) ? v : [...v, hotkey],
  );
  i.stakingHotkeys.mutate(ctx.st, [coldkey], (v) =>
    v.some((h) => eq(h, hotkey)) ? v : [...v, hotkey],
  );
}

export function appendNeuron(ctx: BlockContext, netuid: number, hotkey: Uint8Array): number {
  const i = ctx.items.st;
  const uid = i.subnetworkN.get(ctx.st, netuid);
  i.subnetworkN.set(ctx.st, [netuid], uid + 1);
  i.rank.mutate(ctx.st, [netuid], (v) => [...v, 0]);
  i.trust.mutate(ctx.st, [netuid], (v) => [...v, 0]);
  i.active.mutate(ctx.st, [netuid], (v) => [...v, true]);
  i.emission.mutate(ctx.st, [netuid], (v) => [...v, 0n]);
  i.consensus.mutate(ctx.st, [netuid], (v) => [...v, 0]);
  i.incentive.mutate(ctx.st, [netuid], (v) => [...v, 0]);
  i.lastUpdate.mutate(ctx.st, [netuid], (v) => [...v, ctx.block]);
  i.dividends.mutate(ctx.st, [netuid], (v) => [...v, 0]);
  i.pruningScores.mutate(ctx.st, [netuid], (v) => [...v, 0]);
  i.validatorTrust.mutate(ctx.st, [netuid], (v) => [...v, 0]);
  i.validatorPermit.mutate(ctx.st, [netuid], (v) => [...v, false]);
  i.keys.set(ctx.st, [netuid, uid], hotkey);
  i.uids.set(ctx.st, [netuid, hotkey], uid);
  i.blockAtRegistration.set(ctx.st, [netuid, uid], ctx.block);
  i.isNetworkMember.set(ctx.st, [hotkey, netuid], true);
  return uid;
}

const setAt = <T>(arr: T[], idx: number, v: T): T[] => {
  const out = arr.slice();
  if (idx < out.length) out[idx] = v;
  return out;
};

export function replaceNeuron(
  ctx: BlockContext,
  netuid: number,
  uid: number,
  hotkey: Uint8Array,
): void {
  const i = ctx.items.st;
  const st = ctx.st;
  const old = i.keys.get(st, netuid, uid);
  i.uids.remove(st, netuid, old);
  i.isNetworkMember.remove(st, old, netuid);
  i.keys.set(st, [netuid, uid], hotkey);
  i.uids.set(st, [netuid, hotkey], uid);
  i.blockAtRegistration.set(st, [netuid, uid], ctx.block);
  i.isNetworkMember.set(st, [hotkey, netuid], true);
  // clear_neuron: zero the per-uid vectors, drop weights and bonds.
  i.active.mutate(st, [netuid], (v) => setAt(v, uid, true));
  i.emission.mutate(st, [netuid], (v) => setAt(v, uid, 0n));
  for (const item of [
    i.rank,
    i.trust,
    i.consensus,
    i.incentive,
    i.dividends,
    i.validatorTrust,
    i.pruningScores,
  ]) {
    item.mutate(st, [netuid], (v) => setAt(v, uid, 0));
  }
  i.lastUpdate.mutate(st, [netuid], (v) => setAt(v, uid, ctx.block));
  i.validatorPermit.mutate(st, [netuid], (v) => setAt(v, uid, false));
  i.weights.remove(st, netuid, uid);
  i.bonds.remove(st, netuid, uid);
  i.axons.remove(st, netuid, old);
  i.prometheus.remove(st, netuid, old);
}

export function isImmune(ctx: BlockContext, netuid: number, uid: number): boolean {
  const reg = ctx.items.st.blockAtRegistration.get(ctx.st, netuid, uid);
  return ctx.block - reg < BigInt(ctx.items.st.immunityPeriod.get(ctx.st, netuid));
}

/** subtensor's get_neuron_to_prune: lowest pruning score, then earliest registration. */
export function neuronToPrune(ctx: BlockContext, netuid: number): number | undefined {
  const i = ctx.items.st;
  const n = i.subnetworkN.get(ctx.st, netuid);
  if (n === 0) return undefined;
  const scores = i.pruningScores.get(ctx.st, netuid);
  const ownerHotkey = i.subnetOwnerHotkey.get(ctx.st, netuid);
  const immortal = i.immuneOwnerUidsLimit.get(ctx.st, netuid) > 0 ? ownerHotkey : undefined;
  let best: { uid: number; score: number; reg: bigint } | undefined;
  let bestImmune: typeof best;
  for (let uid = 0; uid < n; uid++) {
    if (immortal && eq(i.keys.get(ctx.st, netuid, uid), immortal)) continue;
    const score = scores[uid] ?? 0;
    const reg = i.blockAtRegistration.get(ctx.st, netuid, uid);
    const cand = { uid, score, reg };
    const better = (cur: typeof best) =>
      !cur || score < cur.score || (score === cur.score && reg < cur.reg);
    if (isImmune(ctx, netuid, uid)) {
      if (better(bestImmune)) bestImmune = cand;
    } else if (better(best)) best = cand;
  }
  const chosen = best ?? bestImmune;
  if (chosen) i.pruningScores.mutate(ctx.st, [netuid], (v) => setAt(v, chosen.uid, 65535));
  return chosen?.uid;
}

/** Registers a hotkey: a new uid while the subnet has room, otherwise the pruned uid. */
export function registerNeuron(
  ctx: BlockContext,
  netuid: number,
  hotkey: Uint8Array,
): number | undefined {
  const i = ctx.items.st;
  const n = i.subnetworkN.get(ctx.st, netuid);
  if (n < i.maxAllowedUids.get(ctx.st, netuid)) return appendNeuron(ctx, netuid, hotkey);
  const uid = neuronToPrune(ctx, netuid);
  if (uid === undefined) return undefined;
  replaceNeuron(ctx, netuid, uid, hotkey);
  return uid;
}

export const axonOf = (ctx: BlockContext, netuid: number, hotkey: Uint8Array) =>
  ctx.items.st.axons.getOpt(ctx.st, netuid, hotkey) ?? EMPTY_AXON;

/** Whether the hotkey holds a uid on any subnet (IsNetworkMember entries under its prefix). */
export function registeredAnywhere(ctx: BlockContext, hotkey: Uint8Array): boolean {
  const key = ctx.items.st.isNetworkMember.key(hotkey, 0);
  return ctx.st.keys(key.slice(0, key.length - 4)).length > 0;
}
