import { u8aToHex } from '@polkadot/util';
import type { LocalnetMetadata } from '../metadata/build.js';
import type { SubtensorError } from '../metadata/subtensor-errors.js';
import * as s from '../scale/scale.js';
import type { Items } from '../state/items.js';
import type { StateStore } from '../state/store.js';
import { DispatchFailure, type ModuleErrorFn, moduleErrors } from './dispatch-error.js';
import { encodePhase, eventEncoder } from './events.js';

export type Origin = { kind: 'signed'; who: Uint8Array } | { kind: 'root' } | { kind: 'none' };

export type Phase = { ApplyExtrinsic: number } | 'Initialization' | 'Finalization';

/** Options of the chain logic that are not storage (they live in the node, not the runtime). */
export interface ChainParams {
  /** Alpha emitted to each started subnet per block (rao). */
  blockEmission: bigint;
}

/**
 * What a call handler sees while a block is being built: the working state, the block number,
 * and event deposit. One instance per block.
 */
export class BlockContext {
  readonly events: Uint8Array[] = [];
  phase: Phase = 'Initialization';
  readonly #encodeEvent: (e: Record<string, unknown>) => Uint8Array;
  readonly #moduleError: ModuleErrorFn;

  constructor(
    readonly meta: LocalnetMetadata,
    readonly items: Items,
    readonly st: StateStore,
    readonly blockNumber: number,
    readonly params: ChainParams,
    moduleError?: ModuleErrorFn,
    encodeEvent?: (e: Record<string, unknown>) => Uint8Array,
  ) {
    this.#encodeEvent = encodeEvent ?? eventEncoder(meta);
    this.#moduleError = moduleError ?? moduleErrors(meta);
  }

  get block(): bigint {
    return BigInt(this.blockNumber);
  }

  /** Deposits an event, e.g. `{ SubtensorModule: { WeightsSet: [1, 0] } }`. */
  deposit(event: Record<string, unknown>): void {
    this.events.push(s.concat(encodePhase(this.phase), this.#encodeEvent(event), s.compact(0)));
  }

  encodedEvents(): Uint8Array {
    return s.concat(s.compact(this.events.length), ...this.events);
  }

  error(pallet: string, name: string): DispatchFailure {
    return this.#moduleError(pallet, name);
  }

  stError(name: SubtensorError): DispatchFailure {
    return this.#moduleError('SubtensorModule', name);
  }

  ensure(cond: boolean, name: SubtensorError): void {
    if (!cond) throw this.stError(name);
  }
}

export const badOrigin = () => new DispatchFailure('BadOrigin', 'BadOrigin');

export function ensureSigned(origin: Origin): Uint8Array {
  if (origin.kind !== 'signed') throw badOrigin();
  return origin.who;
}

export function ensureRoot(origin: Origin): void {
  if (origin.kind !== 'root') throw badOrigin();
}

export const hex = u8aToHex;
