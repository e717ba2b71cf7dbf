import * as s from '../scale/scale.js';
import type { BuildContext } from './context.js';
import { errorEnum, map, type PalletSpec, palletEnum, plain, v } from './pallet-spec.js';

/** AccountInfo default: all zero, with ExtraFlags' "new logic" bit (1 << 127) set. */
export const DEFAULT_ACCOUNT_INFO = (() => {
  const b = new Uint8Array(56);
  b[55] = 0x80;
  return b;
})();

export interface SystemTypes {
  pallet: PalletSpec;
  accountInfo: number;
  eventRecord: number;
  phase: number;
}

/** frame_system, index 0: accounts, nonces, events, block hash/number. */
export function buildSystem(
  ctx: BuildContext,
  versionBytes: Uint8Array,
  facts: { ss58Prefix: number; blockHashCount: number },
): SystemTypes {
  const { t, c } = ctx;
  const extraFlags = t.struct('pallet_balances::types::ExtraFlags', [
    { type: c.u128, typeName: 'u128' },
  ]);
  const accountData = t.struct(
    'pallet_balances::types::AccountData',
    [
      { name: 'free', type: c.u64, typeName: 'Balance' },
      { name: 'reserved', type: c.u64, typeName: 'Balance' },
      { name: 'frozen', type: c.u64, typeName: 'Balance' },
      { name: 'flags', type: extraFlags, typeName: 'ExtraFlags' },
    ],
    [{ name: 'Balance', type: c.u64 }],
  );
  const accountInfo = t.struct(
    'frame_system::AccountInfo',
    [
      { name: 'nonce', type: c.u32, typeName: 'Nonce' },
      { name: 'consumers', type: c.u32, typeName: 'RefCount' },
      { name: 'providers', type: c.u32, typeName: 'RefCount' },
      { name: 'sufficients', type: c.u32, typeName: 'RefCount' },
      { name: 'data', type: accountData, typeName: 'AccountData' },
    ],
    [
      { name: 'Nonce', type: c.u32 },
      { name: 'AccountData', type: accountData },
    ],
  );
  const phase = t.enum('frame_system::Phase', [
    { name: 'ApplyExtrinsic', index: 0, fields: [{ type: c.u32, typeName: 'u32' }] },
    { name: 'Finalization', index: 1 },
    { name: 'Initialization', index: 2 },
  ]);
  const eventRecord = t.struct(
    'frame_system::EventRecord',
    [
      { name: 'phase', type: phase, typeName: 'Phase' },
      { name: 'event', type: ctx.runtimeEvent, typeName: 'E' },
      { name: 'topics', type: t.vec(c.h256), typeName: 'Vec<T>' },
    ],
    [
      { name: 'E', type: ctx.runtimeEvent },
      { name: 'T', type: c.h256 },
    ],
  );
  const calls = palletEnum(t, 'frame_system::pallet::Call', [
    v('remark', 0, [['remark', c.bytes]]),
    v('remark_with_event', 7, [['remark', c.bytes]]),
  ]);
  const events = palletEnum(t, 'frame_system::pallet::Event', [
    v('ExtrinsicSuccess', 0, [['dispatch_info', c.dispatchEventInfo]]),
    v('ExtrinsicFailed', 1, [
      ['dispatch_error', c.dispatchError],
      ['dispatch_info', c.dispatchEventInfo],
    ]),
    v('CodeUpdated', 2),
    v('NewAccount', 3, [['account', c.accountId]]),
    v('KilledAccount', 4, [['account', c.accountId]]),
    v('Remarked', 5, [
      ['sender', c.accountId],
      ['hash', c.h256],
    ]),
    v('UpgradeAuthorized', 6, [
      ['code_hash', c.h256],
      ['check_version', c.bool],
    ]),
    v('RejectedInvalidAuthorizedUpgrade', 7, [
      ['code_hash', c.h256],
      ['error', c.dispatchError],
    ]),
  ]);
  const errors = errorEnum(t, 'frame_system::pallet::Error', [
    'InvalidSpecName',
    'SpecVersionNeedsToIncrease',
    'FailedToExtractRuntimeVersion',
    'NonDefaultComposite',
    'NonZeroRefCount',
    'CallFiltered',
    'MultiBlockMigrationsOngoing',
    'NothingAuthorized',
    'Unauthorized',
  ]);
  const pallet: PalletSpec = {
    name: 'System',
    index: 0,
    calls,
    events,
    errors,
    storage: [
      map('Account', [['Blake2_128Concat', c.accountId]], accountInfo, DEFAULT_ACCOUNT_INFO),
      plain('ExtrinsicCount', c.u32, s.u32(0), true),
      map('BlockHash', [['Twox64Concat', c.u32]], c.h256, new Uint8Array(32)),
      plain('Number', c.u32, s.u32(0)),
      plain('ParentHash', c.h256, new Uint8Array(32)),
      plain('Digest', c.digest, s.compact(0)),
      plain('Events', t.vec(eventRecord), s.compact(0)),
      plain('EventCount', c.u32, s.u32(0)),
    ],
    constants: [
      { name: 'BlockHashCount', type: c.u32, value: s.u32(facts.blockHashCount) },
      { name: 'Version', type: c.runtimeVersion, value: versionBytes },
      { name: 'SS58Prefix', type: c.u16, value: s.u16(facts.ss58Prefix) },
    ],
  };
  return { pallet, accountInfo, eventRecord, phase };
}
