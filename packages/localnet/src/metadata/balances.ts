import * as s from '../scale/scale.js';
import type { BuildContext } from './context.js';
import { errorEnum, type PalletSpec, palletEnum, plain, v } from './pallet-spec.js';

/** pallet_balances, index 5. Balances live in System.Account, as on subtensor. */
export function buildBalances(ctx: BuildContext, existentialDeposit: bigint): PalletSpec {
  const { t, c } = ctx;
  const acc = c.accountId;
  const calls = palletEnum(
    t,
    'pallet_balances::pallet::Call',
    [
      v('transfer_allow_death', 0, [
        ['dest', c.multiAddress],
        ['value', c.compactU64],
      ]),
      v('transfer_keep_alive', 3, [
        ['dest', c.multiAddress],
        ['value', c.compactU64],
      ]),
      v('transfer_all', 4, [
        ['dest', c.multiAddress],
        ['keep_alive', c.bool],
      ]),
      v('force_set_balance', 8, [
        ['who', c.multiAddress],
        ['new_free', c.compactU64],
      ]),
    ],
    true,
  );
  const whoAmount = (name: string, index: number) =>
    v(name, index, [
      ['who', acc],
      ['amount', c.u64],
    ]);
  const events = palletEnum(
    t,
    'pallet_balances::pallet::Event',
    [
      v('Endowed', 0, [
        ['account', acc],
        ['free_balance', c.u64],
      ]),
      v('DustLost', 1, [
        ['account', acc],
        ['amount', c.u64],
      ]),
      v('Transfer', 2, [
        ['from', acc],
        ['to', acc],
        ['amount', c.u64],
      ]),
      v('BalanceSet', 3, [
        ['who', acc],
        ['free', c.u64],
      ]),
      whoAmount('Reserved', 4),
      whoAmount('Unreserved', 5),
      whoAmount('Deposit', 7),
      whoAmount('Withdraw', 8),
      whoAmount('Slashed', 9),
      whoAmount('Minted', 10),
      whoAmount('Burned', 11),
      v('Issued', 15, [['amount', c.u64]]),
      v('Rescinded', 16, [['amount', c.u64]]),
    ],
    true,
  );
  const errors = errorEnum(
    t,
    'pallet_balances::pallet::Error',
    [
      'VestingBalance',
      'LiquidityRestrictions',
      'InsufficientBalance',
      'ExistentialDeposit',
      'Expendability',
      'ExistingVestingSchedule',
      'DeadAccount',
      'TooManyReserves',
      'TooManyHolds',
      'TooManyFreezes',
      'IssuanceDeactivated',
      'DeltaZero',
    ],
    true,
  );
  return {
    name: 'Balances',
    index: 5,
    calls,
    events,
    errors,
    storage: [plain('TotalIssuance', c.u64, s.u64(0)), plain('InactiveIssuance', c.u64, s.u64(0))],
    constants: [{ name: 'ExistentialDeposit', type: c.u64, value: s.u64(existentialDeposit) }],
  };
}
