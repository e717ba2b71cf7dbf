import type { TypeId, TypeTable } from './type-table.js';

/** Types shared by every pallet, with subtensor spec-343's paths and field orders. */
export interface CommonTypes {
  bool: TypeId;
  str: TypeId;
  u8: TypeId;
  u16: TypeId;
  u32: TypeId;
  u64: TypeId;
  u128: TypeId;
  i16: TypeId;
  i64: TypeId;
  i128: TypeId;
  unit: TypeId;
  bytes: TypeId;
  vecU16: TypeId;
  vecU64: TypeId;
  vecBool: TypeId;
  compactU16: TypeId;
  compactU64: TypeId;
  compactU128: TypeId;
  u8x32: TypeId;
  accountId: TypeId;
  h256: TypeId;
  multiAddress: TypeId;
  multiSignature: TypeId;
  era: TypeId;
  weight: TypeId;
  dispatchError: TypeId;
  dispatchResult: TypeId;
  dispatchEventInfo: TypeId;
  header: TypeId;
  digest: TypeId;
  runtime: TypeId;
  runtimeVersion: TypeId;
  /** `node_subtensor_runtime::RuntimeCall`, reserved early because Sudo refers to it. */
  runtimeCall: TypeId;
  fixedI128U32: TypeId;
  fixedU128U64: TypeId;
  fixedI64U32: TypeId;
}

/** substrate_fixed's `FixedI128<U32>` etc. write their fraction size as a typenum in the path. */
function typenum(t: TypeTable, bits: number): TypeId {
  let acc = t.struct('substrate_typenum::uint::UTerm', []);
  const b0 = t.struct('substrate_typenum::bit::B0', []);
  const b1 = t.struct('substrate_typenum::bit::B1', []);
  const digits = bits.toString(2);
  for (const d of digits) {
    const bit = d === '1' ? b1 : b0;
    acc = t.struct(
      'substrate_typenum::uint::UInt',
      [
        { name: 'msb', type: acc, typeName: 'U' },
        { name: 'lsb', type: bit, typeName: 'B' },
      ],
      [
        { name: 'U', type: acc },
        { name: 'B', type: bit },
      ],
    );
  }
  return acc;
}

export function buildCommonTypes(t: TypeTable): CommonTypes {
  const u8 = t.prim('u8');
  const u16 = t.prim('u16');
  const u32 = t.prim('u32');
  const u64 = t.prim('u64');
  const u128 = t.prim('u128');
  const bool = t.prim('bool');
  const str = t.prim('str');
  const i16 = t.prim('i16');
  const i64 = t.prim('i64');
  const i128 = t.prim('i128');
  const unit = t.tuple();
  const bytes = t.vec(u8);
  const u8x32 = t.array(u8, 32);
  const u8x64 = t.array(u8, 64);
  const u8x65 = t.array(u8, 65);
  const u8x20 = t.array(u8, 20);
  const u8x4 = t.array(u8, 4);
  const u8x8 = t.array(u8, 8);
  const accountId = t.struct('sp_core::crypto::AccountId32', [
    { type: u8x32, typeName: '[u8; 32]' },
  ]);
  const h256 = t.struct('primitive_types::H256', [{ type: u8x32, typeName: '[u8; 32]' }]);
  const compactU32 = t.compact(u32);
  const multiAddress = t.enum(
    'sp_runtime::multiaddress::MultiAddress',
    [
      { name: 'Id', index: 0, fields: [{ type: accountId, typeName: 'AccountId' }] },
      { name: 'Index', index: 1, fields: [{ type: t.compact(unit), typeName: 'AccountIndex' }] },
      { name: 'Raw', index: 2, fields: [{ type: bytes, typeName: 'Vec<u8>' }] },
      { name: 'Address32', index: 3, fields: [{ type: u8x32, typeName: '[u8; 32]' }] },
      { name: 'Address20', index: 4, fields: [{ type: u8x20, typeName: '[u8; 20]' }] },
    ],
    [
      { name: 'AccountId', type: accountId },
      { name: 'AccountIndex', type: unit },
    ],
  );
  const multiSignature = t.enum('sp_runtime::MultiSignature', [
    { name: 'Ed25519', index: 0, fields: [{ type: u8x64, typeName: 'ed25519::Signature' }] },
    { name: 'Sr25519', index: 1, fields: [{ type: u8x64, typeName: 'sr25519::Signature' }] },
    { name: 'Ecdsa', index: 2, fields: [{ type: u8x65, typeName: 'ecdsa::Signature' }] },
  ]);
  const eraVariants = [{ name: 'Immortal', index: 0 }];
  for (let i = 1; i < 256; i++)
    eraVariants.push({ name: `Mortal${i}`, index: i, fields: [{ type: u8 }] } as never);
  const era = t.enum('sp_runtime::generic::era::Era', eraVariants);
  const weight = t.struct('sp_weights::weight_v2::Weight', [
    { name: 'ref_time', type: t.compact(u64), typeName: 'u64' },
    { name: 'proof_size', type: t.compact(u64), typeName: 'u64' },
  ]);
  const moduleError = t.struct('sp_runtime::ModuleError', [
    { name: 'index', type: u8, typeName: 'u8' },
    { name: 'error', type: u8x4, typeName: '[u8; MAX_MODULE_ERROR_ENCODED_SIZE]' },
  ]);
  const tokenError = t.names('sp_runtime::TokenError', [
    'FundsUnavailable',
    'OnlyProvider',
    'BelowMinimum',
    'CannotCreate',
    'UnknownAsset',
    'Frozen',
    'Unsupported',
    'CannotCreateHold',
    'NotExpendable',
    'Blocked',
  ]);
  const arithmeticError = t.names('sp_arithmetic::ArithmeticError', [
    'Underflow',
    'Overflow',
    'DivisionByZero',
  ]);
  const transactionalError = t.names('sp_runtime::TransactionalError', ['LimitReached', 'NoLayer']);
  const trieError = t.names('sp_runtime::proving_trie::TrieError', [
    'InvalidStateRoot',
    'IncompleteDatabase',
    'ValueAtIncompleteKey',
    'DecoderError',
    'InvalidHash',
    'DuplicateKey',
    'ExtraneousNode',
    'ExtraneousValue',
    'ExtraneousHashReference',
    'InvalidChildReference',
    'ValueMismatch',
    'IncompleteProof',
    'RootMismatch',
    'DecodeError',
  ]);
  const dispatchError = t.enum('sp_runtime::DispatchError', [
    { name: 'Other', index: 0 },
    { name: 'CannotLookup', index: 1 },
    { name: 'BadOrigin', index: 2 },
    { name: 'Module', index: 3, fields: [{ type: moduleError, typeName: 'ModuleError' }] },
    { name: 'ConsumerRemaining', index: 4 },
    { name: 'NoProviders', index: 5 },
    { name: 'TooManyConsumers', index: 6 },
    { name: 'Token', index: 7, fields: [{ type: tokenError, typeName: 'TokenError' }] },
    {
      name: 'Arithmetic',
      index: 8,
      fields: [{ type: arithmeticError, typeName: 'ArithmeticError' }],
    },
    {
      name: 'Transactional',
      index: 9,
      fields: [{ type: transactionalError, typeName: 'TransactionalError' }],
    },
    { name: 'Exhausted', index: 10 },
    { name: 'Corruption', index: 11 },
    { name: 'Unavailable', index: 12 },
    { name: 'RootNotAllowed', index: 13 },
    { name: 'Trie', index: 14, fields: [{ type: trieError, typeName: 'TrieError' }] },
  ]);
  const dispatchResult = t.result(unit, dispatchError);
  const dispatchClass = t.names('frame_support::dispatch::DispatchClass', [
    'Normal',
    'Operational',
    'Mandatory',
  ]);
  const pays = t.names('frame_support::dispatch::Pays', ['Yes', 'No']);
  const dispatchEventInfo = t.struct('frame_system::DispatchEventInfo', [
    { name: 'weight', type: weight, typeName: 'Weight' },
    { name: 'class', type: dispatchClass, typeName: 'DispatchClass' },
    { name: 'pays_fee', type: pays, typeName: 'Pays' },
  ]);
  const digestItem = t.enum('sp_runtime::generic::digest::DigestItem', [
    { name: 'PreRuntime', index: 6, fields: [{ type: u8x4 }, { type: bytes }] },
    { name: 'Consensus', index: 4, fields: [{ type: u8x4 }, { type: bytes }] },
    { name: 'Seal', index: 5, fields: [{ type: u8x4 }, { type: bytes }] },
    { name: 'Other', index: 0, fields: [{ type: bytes }] },
    { name: 'RuntimeEnvironmentUpdated', index: 8 },
  ]);
  const digest = t.struct('sp_runtime::generic::digest::Digest', [
    { name: 'logs', type: t.vec(digestItem), typeName: 'Vec<DigestItem>' },
  ]);
  const header = t.struct(
    'sp_runtime::generic::header::Header',
    [
      { name: 'parent_hash', type: h256, typeName: 'Hash::Output' },
      { name: 'number', type: compactU32, typeName: 'Number' },
      { name: 'state_root', type: h256, typeName: 'Hash::Output' },
      { name: 'extrinsics_root', type: h256, typeName: 'Hash::Output' },
      { name: 'digest', type: digest, typeName: 'Digest' },
    ],
    [{ name: 'Number', type: u32 }, { name: 'Hash' }],
  );
  const runtime = t.struct('node_subtensor_runtime::Runtime', []);
  const cowStr = t.struct('Cow', [{ type: str }], [{ name: 'T', type: str }]);
  const apiList = t.vec(t.tuple(u8x8, u32));
  const cowApis = t.struct('Cow', [{ type: apiList }], [{ name: 'T', type: apiList }]);
  const runtimeVersion = t.struct('sp_version::RuntimeVersion', [
    { name: 'spec_name', type: cowStr },
    { name: 'impl_name', type: cowStr },
    { name: 'authoring_version', type: u32 },
    { name: 'spec_version', type: u32 },
    { name: 'impl_version', type: u32 },
    { name: 'apis', type: cowApis },
    { name: 'transaction_version', type: u32 },
    { name: 'system_version', type: u8 },
  ]);
  const frac = (bits: number) => [{ name: 'Frac', type: typenum(t, bits) }];
  return {
    bool,
    str,
    u8,
    u16,
    u32,
    u64,
    u128,
    i16,
    i64,
    i128,
    unit,
    bytes,
    vecU16: t.vec(u16),
    vecU64: t.vec(u64),
    vecBool: t.vec(bool),
    compactU16: t.compact(u16),
    compactU64: t.compact(u64),
    compactU128: t.compact(u128),
    u8x32,
    accountId,
    h256,
    multiAddress,
    multiSignature,
    era,
    weight,
    dispatchError,
    dispatchResult,
    dispatchEventInfo,
    header,
    digest,
    runtime,
    runtimeVersion,
    runtimeCall: t.reserve(),
    fixedI128U32: t.struct('substrate_fixed::FixedI128', [{ name: 'bits', type: i128 }], frac(32)),
    fixedU128U64: t.struct('substrate_fixed::FixedU128', [{ name: 'bits', type: u128 }], frac(64)),
    fixedI64U32: t.struct('substrate_fixed::FixedI64', [{ name: 'bits', type: i64 }], frac(32)),
  };
}
