import type { Header } from '@polkadot/types/interfaces';
import type { StateStore } from '../state/store.js';

export interface Block {
  number: number;
  hash: string;
  header: Header;
  /** Full extrinsic bytes (compact length prefix included), hex. */
  extrinsics: string[];
  /** Undefined once pruned (older than the state history window). */
  state: StateStore | undefined;
  stateRoot: Uint8Array;
}

export type TxStatus =
  | 'future'
  | 'ready'
  | 'invalid'
  | 'dropped'
  | { inBlock: string }
  | { finalized: string };
