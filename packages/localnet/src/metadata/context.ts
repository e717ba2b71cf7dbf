import type { CommonTypes } from './common.js';
import type { TypeId, TypeTable } from './type-table.js';

export interface BuildContext {
  t: TypeTable;
  c: CommonTypes;
  /** Reserved `node_subtensor_runtime::RuntimeEvent` (System.Events refers to it). */
  runtimeEvent: TypeId;
}

/** Runtime facts written into the metadata constants and the runtime version. */
export interface RuntimeFacts {
  specName: string;
  implName: string;
  specVersion: number;
  transactionVersion: number;
  ss58Prefix: number;
  blockHashCount: number;
  existentialDeposit: bigint;
  /** Half the block time, as pallet_timestamp reports it. */
  minimumPeriodMs: bigint;
}
