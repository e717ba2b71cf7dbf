import * as s from '../scale/scale.js';
import { BEACON_CONFIG, type BeaconConfig } from '../state/codecs.js';
import type { BuildContext } from './context.js';
import { errorEnum, map, type PalletSpec, palletEnum, plain, v } from './pallet-spec.js';
import { boundedBytes } from './subtensor.js';
import type { TypeId } from './type-table.js';

/** drand quicknet's group hash (`/info` `groupHash`), part of the spec-343 `BeaconConfig` default. */
export const QUICKNET_GROUP_HASH =
  'f477d5c89f21a17c863a7f937c6a6d15859414d2be09cd448d4279af331c5d3e';
/** drand quicknet's chain hash. */
export const QUICKNET_CHAIN_HASH =
  '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971';
export const QUICKNET_PUBLIC_KEY =
  '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a';

const hexBytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const text = (x: string) => new TextEncoder().encode(x);

export const QUICKNET_BEACON_CONFIG: BeaconConfig = {
  publicKey: hexBytes(QUICKNET_PUBLIC_KEY),
  period: 3,
  genesisTime: 1_692_803_367,
  hash: hexBytes(QUICKNET_CHAIN_HASH),
  groupHash: hexBytes(QUICKNET_GROUP_HASH),
  schemeId: text('bls-unchained-g1-rfc9380'),
  beaconId: text('quicknet'),
};

/** pallet_drand limits (spec 343 `lib.rs`). */
export const MAX_PULSES_TO_FETCH = 50;
export const MAX_KEPT_PULSES = 216_000n;
export const MAX_REMOVED_PULSES = 100n;

export interface DrandTypes {
  pallet: PalletSpec;
  pulse: TypeId;
}

/**
 * pallet_drand (Drand), index 26, as in spec 343: the beacon configuration (quicknet by default),
 * pulses per round, and the calls that write them. Localnet writes its `DrandSimulator`'s pulses
 * with unsigned `write_pulse` extrinsics, as subtensor's offchain worker does with quicknet's.
 */
export function buildDrand(ctx: BuildContext): DrandTypes {
  const { t, c } = ctx;
  const bounded = boundedBytes(ctx);
  const pulse = t.struct('pallet_drand::types::Pulse', [
    { name: 'round', type: c.u64, typeName: 'RoundNumber' },
    { name: 'randomness', type: bounded, typeName: 'BoundedVec<u8, ConstU32<32>>' },
    { name: 'signature', type: bounded, typeName: 'BoundedVec<u8, ConstU32<144>>' },
  ]);
  const multiSigner = t.enum('sp_runtime::MultiSigner', [
    { name: 'Ed25519', index: 0, fields: [{ type: c.u8x32, typeName: 'ed25519::Public' }] },
    { name: 'Sr25519', index: 1, fields: [{ type: c.u8x32, typeName: 'sr25519::Public' }] },
    { name: 'Ecdsa', index: 2, fields: [{ type: t.array(c.u8, 33), typeName: 'ecdsa::Public' }] },
  ]);
  const payloadParams = [
    { name: 'Public', type: multiSigner },
    { name: 'BlockNumber', type: c.u32 },
  ];
  const pulsesPayload = t.struct(
    'pallet_drand::types::PulsesPayload',
    [
      { name: 'block_number', type: c.u32, typeName: 'BlockNumber' },
      { name: 'pulses', type: t.vec(pulse), typeName: 'Vec<Pulse>' },
      { name: 'public', type: multiSigner, typeName: 'Public' },
    ],
    payloadParams,
  );
  const metadataType = t.struct('pallet_drand::types::Metadata', [
    { name: 'beacon_id', type: bounded, typeName: 'BoundedHash' },
  ]);
  const beaconConfig = t.struct('pallet_drand::types::BeaconConfiguration', [
    { name: 'public_key', type: bounded, typeName: 'OpaquePublicKey' },
    { name: 'period', type: c.u32, typeName: 'u32' },
    { name: 'genesis_time', type: c.u32, typeName: 'u32' },
    { name: 'hash', type: bounded, typeName: 'BoundedHash' },
    { name: 'group_hash', type: bounded, typeName: 'BoundedHash' },
    { name: 'scheme_id', type: bounded, typeName: 'BoundedHash' },
    { name: 'metadata', type: metadataType, typeName: 'Metadata' },
  ]);
  const configPayload = t.struct(
    'pallet_drand::types::BeaconConfigurationPayload',
    [
      { name: 'block_number', type: c.u32, typeName: 'BlockNumber' },
      { name: 'config', type: beaconConfig, typeName: 'BeaconConfiguration' },
      { name: 'public', type: multiSigner, typeName: 'Public' },
    ],
    payloadParams,
  );
  const optSignature = t.option(c.multiSignature);
  const calls = palletEnum(t, 'pallet_drand::pallet::Call', [
    {
      name: 'write_pulse',
      index: 0,
      fields: [
        {
          name: 'pulses_payload',
          type: pulsesPayload,
          typeName: 'PulsesPayload<T::Public, BlockNumberFor<T>>',
        },
        { name: 'signature', type: optSignature, typeName: 'Option<T::Signature>' },
      ],
    },
    {
      name: 'set_beacon_config',
      index: 1,
      fields: [
        {
          name: 'config_payload',
          type: configPayload,
          typeName: 'BeaconConfigurationPayload<T::Public, BlockNumberFor<T>>',
        },
        { name: 'signature', type: optSignature, typeName: 'Option<T::Signature>' },
      ],
    },
    {
      name: 'set_oldest_stored_round',
      index: 2,
      fields: [{ name: 'oldest_round', type: c.u64, typeName: 'u64' }],
    },
  ]);
  const events = palletEnum(t, 'pallet_drand::pallet::Event', [
    v('BeaconConfigChanged', 0),
    {
      name: 'NewPulse',
      index: 1,
      fields: [{ name: 'rounds', type: t.vec(c.u64), typeName: 'Vec<RoundNumber>' }],
    },
    { name: 'SetOldestStoredRound', index: 2, fields: [{ type: c.u64, typeName: 'u64' }] },
  ]);
  const errors = errorEnum(t, 'pallet_drand::pallet::Error', [
    'NoneValue',
    'StorageOverflow',
    'DrandConnectionFailure',
    'UnverifiedPulse',
    'InvalidRoundNumber',
    'PulseVerificationError',
  ]);
  const pallet: PalletSpec = {
    name: 'Drand',
    index: 26,
    calls,
    events,
    errors,
    storage: [
      plain('BeaconConfig', beaconConfig, BEACON_CONFIG.enc(QUICKNET_BEACON_CONFIG)),
      map('HasMigrationRun', [['Identity', bounded]], c.bool, s.bool(false)),
      map('Pulses', [['Blake2_128Concat', c.u64]], pulse, null),
      plain('LastStoredRound', c.u64, s.u64(0)),
      plain('OldestStoredRound', c.u64, s.u64(0)),
      plain('NextUnsignedAt', c.u32, s.u32(0)),
    ],
    constants: [
      { name: 'UnsignedPriority', type: c.u64, value: s.u64(1n << 20n) },
      { name: 'HttpFetchTimeout', type: c.u64, value: s.u64(1000n) },
    ],
  };
  return { pallet, pulse };
}
