import * as s from '../scale/scale.js';
import type { BuildContext } from './context.js';
import { type PalletSpec, palletEnum, plain, v } from './pallet-spec.js';

/** pallet_timestamp, index 2: the `set` inherent each block carries. */
export function buildTimestamp(ctx: BuildContext, minimumPeriodMs: bigint): PalletSpec {
  const { t, c } = ctx;
  return {
    name: 'Timestamp',
    index: 2,
    calls: palletEnum(t, 'pallet_timestamp::pallet::Call', [v('set', 0, [['now', c.compactU64]])]),
    storage: [plain('Now', c.u64, s.u64(0)), plain('DidUpdate', c.bool, s.bool(false))],
    constants: [{ name: 'MinimumPeriod', type: c.u64, value: s.u64(minimumPeriodMs) }],
  };
}
