import type { Codec } from '@polkadot/types/types';
import { u8aEq } from '@polkadot/util';
import type { DrandSimulator } from '@subnetkit/timelock';
import { MAX_KEPT_PULSES, MAX_PULSES_TO_FETCH, MAX_REMOVED_PULSES } from '../metadata/drand.js';
import * as A from '../runtime/args.js';
import { type BlockContext, badOrigin, ensureRoot, type Origin } from '../runtime/runtime.js';
import * as s from '../scale/scale.js';
import { PULSE, type StoredPulse } from '../state/codecs.js';
import type { Items } from '../state/items.js';
import type { StateStore } from '../state/store.js';

/** Drand's pallet index and `write_pulse`'s call index in spec 343. */
const WRITE_PULSE = Uint8Array.of(26, 0);

type StructArg = Codec & { get(name: string): Codec | undefined };
const field = (c: Codec | undefined, name: string): Codec => {
  const v = (c as StructArg | undefined)?.get(name);
  if (v === undefined) throw new Error(`drand: argument has no field ${name}`);
  return v;
};

/**
 * `write_pulse` (spec 343), dispatched only from the unsigned extrinsics localnet puts into its
 * own blocks (the pool refuses unsigned transactions). Rounds must increase; the first stored
 * round becomes `OldestStoredRound`; old pulses are pruned as subtensor does; `NewPulse`.
 * The BLS check of each pulse against `BeaconConfig` is not repeated (a pairing per pulse):
 * localnet writes only its own simulator's pulses, and only while `BeaconConfig` holds the
 * simulator's key (see {@link pulsesDue}).
 */
export function writePulse(ctx: BlockContext, origin: Origin, args: Codec[]): void {
  if (origin.kind !== 'none') throw badOrigin();
  const d = ctx.items.drand;
  let last = d.lastStoredRound.get(ctx.st);
  const isFirstStorage = last === 0n && d.oldestStoredRound.get(ctx.st) === 0n;
  let firstNew: bigint | undefined;
  const rounds: bigint[] = [];
  for (const p of [...(field(args[0], 'pulses') as unknown as Codec[])]) {
    const pulse: StoredPulse = {
      round: A.big(field(p, 'round')),
      randomness: A.bytes(field(p, 'randomness')),
      signature: A.bytes(field(p, 'signature')),
    };
    if (pulse.round <= last) throw ctx.error('Drand', 'InvalidRoundNumber');
    d.pulses.set(ctx.st, [pulse.round], pulse);
    last = pulse.round;
    rounds.push(pulse.round);
    if (isFirstStorage && firstNew === undefined) firstNew = pulse.round;
  }
  d.lastStoredRound.set(ctx.st, [], last);
  if (firstNew !== undefined) d.oldestStoredRound.set(ctx.st, [], firstNew);
  prune(ctx, last);
  d.nextUnsignedAt.set(ctx.st, [], ctx.blockNumber);
  if (rounds.length > 0) ctx.deposit({ Drand: { NewPulse: { rounds } } });
}

function prune(ctx: BlockContext, last: bigint): void {
  const d = ctx.items.drand;
  let oldest = d.oldestStoredRound.get(ctx.st);
  if (oldest === 0n) return;
  let removed = 0n;
  while (last - oldest + 1n > MAX_KEPT_PULSES && removed < MAX_REMOVED_PULSES) {
    d.pulses.remove(ctx.st, oldest);
    oldest++;
    removed++;
  }
  d.oldestStoredRound.set(ctx.st, [], oldest);
}

/** `set_beacon_config` (root): stores the configuration as given, no verification (as subtensor). */
export function setBeaconConfig(ctx: BlockContext, origin: Origin, args: Codec[]): void {
  ensureRoot(origin);
  const config = field(args[0], 'config');
  const bytesOf = (name: string) => A.bytes(field(config, name));
  ctx.items.drand.beaconConfig.set(ctx.st, [], {
    publicKey: bytesOf('publicKey'),
    period: A.num(field(config, 'period')),
    genesisTime: A.num(field(config, 'genesisTime')),
    hash: bytesOf('hash'),
    groupHash: bytesOf('groupHash'),
    schemeId: bytesOf('schemeId'),
    beaconId: A.bytes(field(field(config, 'metadata'), 'beaconId')),
  });
  ctx.items.drand.nextUnsignedAt.set(ctx.st, [], ctx.blockNumber + 1);
  ctx.deposit({ Drand: { BeaconConfigChanged: [] } });
}

/** `set_oldest_stored_round` (root). */
export function setOldestStoredRound(ctx: BlockContext, origin: Origin, args: Codec[]): void {
  ensureRoot(origin);
  const round = A.big(args[0]);
  ctx.items.drand.oldestStoredRound.set(ctx.st, [], round);
  ctx.deposit({ Drand: { SetOldestStoredRound: [round] } });
}

/**
 * The `write_pulse` calls subtensor's drand offchain worker would have the next block carry,
 * one per pulse as it sends them: after importing the parent block (`parentNumber`, timestamp
 * `parentTimestampMs`) it asks the beacon for its latest round and submits every round after
 * `LastStoredRound` up to it (at most 50; on an empty store only the latest). Nothing when
 * `BeaconConfig` is not the simulator's key (subtensor's `write_pulse` would reject the pulses)
 * or `NextUnsignedAt` is still ahead.
 */
export function pulsesDue(
  items: Items,
  st: StateStore,
  drand: DrandSimulator,
  parentNumber: number,
  parentTimestampMs: bigint,
  author: Uint8Array,
): Uint8Array[] {
  const d = items.drand;
  if (d.nextUnsignedAt.get(st) > parentNumber) return [];
  if (!u8aEq(d.beaconConfig.get(st).publicKey, drand.publicKey)) return [];
  const current = BigInt(drand.roundAt(Number(parentTimestampMs) / 1000));
  let last = d.lastStoredRound.get(st);
  if (last === 0n) last = current > 0n ? current - 1n : 0n;
  const max = BigInt(MAX_PULSES_TO_FETCH);
  const count = current - last < max ? current - last : max;
  const calls: Uint8Array[] = [];
  for (let r = last + 1n; r <= last + count; r++) {
    const p = drand.pulse(Number(r));
    calls.push(
      s.concat(
        WRITE_PULSE,
        s.u32(parentNumber),
        s.compact(1),
        PULSE.enc({ round: r, randomness: p.randomness, signature: p.signature }),
        Uint8Array.of(1), // MultiSigner::Sr25519
        author,
        Uint8Array.of(0), // signature: None (the offchain worker signs the payload)
      ),
    );
  }
  return calls;
}
