import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import * as s from '../scale/scale.js';
import { buildAdminUtils } from './admin-utils.js';
import { buildBalances } from './balances.js';
import { buildCommonTypes, type CommonTypes } from './common.js';
import type { BuildContext, RuntimeFacts } from './context.js';
import { buildDrand } from './drand.js';
import {
  encodeApis,
  encodeLookup,
  encodePallet,
  encodeSignedExtensions,
  type PalletJson,
} from './encode.js';
import { buildExtrinsicTypes } from './extrinsic.js';
import type { PalletSpec, StorageSpec } from './pallet-spec.js';
import { type ApiSpec, buildRuntimeApis } from './runtime-apis.js';
import { buildSubtensor } from './subtensor.js';
import { buildSudo } from './sudo.js';
import { buildSystem } from './system.js';
import { buildTimestamp } from './timestamp.js';
import { type TypeId, TypeTable } from './type-table.js';

export const DEFAULT_FACTS: RuntimeFacts = {
  specName: 'node-subtensor',
  implName: 'subnetkit-localnet',
  specVersion: 343,
  transactionVersion: 1,
  ss58Prefix: 42,
  blockHashCount: 4096,
  existentialDeposit: 500n,
  minimumPeriodMs: 6000n,
};

const MAGIC = Uint8Array.of(0x6d, 0x65, 0x74, 0x61); // "meta"

export interface LocalnetMetadata {
  registry: TypeRegistry;
  metadata: Metadata;
  facts: RuntimeFacts;
  common: CommonTypes;
  pallets: PalletSpec[];
  apis: ApiSpec[];
  /** "meta" + 0x0f + V15 body. */
  v15: Uint8Array;
  /** "meta" + 0x0e + V14 body. */
  v14: Uint8Array;
  /** SCALE `sp_version::RuntimeVersion`. */
  runtimeVersion: Uint8Array;
  /** The `apis` list of the runtime version: `[blake2_64(name), version]`. */
  apiHashes: [string, number][];
  typeIds: { accountInfo: TypeId; eventRecord: TypeId; axonInfo: TypeId };
  /** The JSON description the bytes were encoded from (for cross-checks). */
  json: { v15: unknown; v14: unknown };
}

export const apiHash = (name: string): Uint8Array => blake2AsU8a(name, 64);

function encodeRuntimeVersion(facts: RuntimeFacts, apis: ApiSpec[]): Uint8Array {
  const str = (x: string) => s.bytes(new TextEncoder().encode(x));
  return s.concat(
    str(facts.specName),
    str(facts.implName),
    s.u32(1),
    s.u32(facts.specVersion),
    s.u32(1),
    s.vec(apis, (a) => s.concat(apiHash(a.name), s.u32(a.version))),
    s.u32(facts.transactionVersion),
    s.u8(1),
  );
}

function storageJson(pallet: PalletSpec, t: TypeTable) {
  if (!pallet.storage) return null;
  return {
    prefix: pallet.name,
    items: pallet.storage.map((item: StorageSpec) => ({
      name: item.name,
      modifier: item.modifier,
      type:
        item.hashers.length === 0
          ? { plain: item.value }
          : {
              map: {
                hashers: item.hashers,
                key: item.keys.length === 1 ? item.keys[0] : t.tuple(...item.keys),
                value: item.value,
              },
            },
      fallback: u8aToHex(item.fallback),
      docs: item.docs ?? [],
    })),
  };
}

/** Builds localnet's metadata (V15 with runtime APIs, and V14) and a registry that uses it. */
export function buildMetadata(facts: RuntimeFacts = DEFAULT_FACTS): LocalnetMetadata {
  const t = new TypeTable();
  const common = buildCommonTypes(t);
  const ctx: BuildContext = { t, c: common, runtimeEvent: t.reserve() };
  const subtensor = buildSubtensor(ctx);
  const { apis } = buildRuntimeApis(ctx, subtensor);
  const runtimeVersion = encodeRuntimeVersion(facts, apis);
  const system = buildSystem(ctx, runtimeVersion, facts);
  const pallets: PalletSpec[] = [
    system.pallet,
    buildTimestamp(ctx, facts.minimumPeriodMs),
    buildBalances(ctx, facts.existentialDeposit),
    subtensor.pallet,
    buildSudo(ctx),
    buildAdminUtils(ctx),
    buildDrand(ctx).pallet,
  ].sort((a, b) => a.index - b.index);

  const outer = (kind: 'calls' | 'events' | 'errors') =>
    pallets
      .filter((p) => p[kind] !== undefined)
      .map((p) => ({ name: p.name, index: p.index, fields: [{ type: p[kind] as TypeId }] }));
  t.defineEnum(common.runtimeCall, 'node_subtensor_runtime::RuntimeCall', outer('calls'));
  t.defineEnum(ctx.runtimeEvent, 'node_subtensor_runtime::RuntimeEvent', outer('events'));
  const runtimeError = t.enum('node_subtensor_runtime::RuntimeError', outer('errors'));
  const ext = buildExtrinsicTypes(ctx);

  const palletJson = (p: PalletSpec, withDocs: boolean) => ({
    name: p.name,
    storage: storageJson(p, t),
    calls: p.calls === undefined ? null : { type: p.calls },
    events: p.events === undefined ? null : { type: p.events },
    constants: (p.constants ?? []).map((k) => ({
      name: k.name,
      type: k.type,
      value: u8aToHex(k.value),
      docs: [],
    })),
    errors: p.errors === undefined ? null : { type: p.errors },
    index: p.index,
    ...(withDocs ? { docs: [] } : {}),
  });
  // Build every pallet's storage JSON before freezing the table (tuples for map keys).
  const v15Pallets = pallets.map((p) => palletJson(p, true));
  const v14Pallets = pallets.map((p) => palletJson(p, false));
  const apisJson = apis.map((a) => ({
    name: a.name,
    methods: a.methods.map((m) => ({ ...m, docs: [] })),
    docs: [],
  }));
  const types = t.toJSON();

  const extrinsicV15 = s.concat(
    s.u8(4),
    s.compact(common.multiAddress),
    s.compact(common.runtimeCall),
    s.compact(common.multiSignature),
    s.compact(ext.extraType),
    encodeSignedExtensions(ext.signedExtensions),
  );
  const lookup = encodeLookup(types);
  const v15Body = s.concat(
    lookup,
    s.vec(v15Pallets, (p) => encodePallet(p as PalletJson, true)),
    extrinsicV15,
    s.compact(common.runtime),
    encodeApis(apisJson),
    s.compact(common.runtimeCall),
    s.compact(ctx.runtimeEvent),
    s.compact(runtimeError),
    s.compact(0), // custom: empty map
  );
  const v14Body = s.concat(
    lookup,
    s.vec(v14Pallets, (p) => encodePallet(p as PalletJson, false)),
    s.compact(ext.uncheckedExtrinsic),
    s.u8(4),
    encodeSignedExtensions(ext.signedExtensions),
    s.compact(common.runtime),
  );
  const registry = new TypeRegistry();
  const v15 = u8aConcat(MAGIC, Uint8Array.of(15), v15Body);
  const v14 = u8aConcat(MAGIC, Uint8Array.of(14), v14Body);
  const metadata = new Metadata(registry, v15);
  registry.setMetadata(metadata, undefined, {
    SubtensorTransactionExtension: { extrinsic: {}, payload: {} },
    DrandPriority: { extrinsic: {}, payload: {} },
  });
  return {
    registry,
    metadata,
    facts,
    common,
    pallets,
    apis,
    v15,
    v14,
    runtimeVersion,
    apiHashes: apis.map((a) => [u8aToHex(apiHash(a.name)), a.version]),
    json: {
      v15: {
        lookup: { types },
        pallets: v15Pallets,
        extrinsic: {
          version: 4,
          addressType: common.multiAddress,
          callType: common.runtimeCall,
          signatureType: common.multiSignature,
          extraType: ext.extraType,
          signedExtensions: ext.signedExtensions,
        },
        type: common.runtime,
        apis: apisJson,
        outerEnums: {
          callType: common.runtimeCall,
          eventType: ctx.runtimeEvent,
          errorType: runtimeError,
        },
        custom: { map: {} },
      },
      v14: {
        lookup: { types },
        pallets: v14Pallets,
        extrinsic: {
          type: ext.uncheckedExtrinsic,
          version: 4,
          signedExtensions: ext.signedExtensions,
        },
        type: common.runtime,
      },
    },
    typeIds: {
      accountInfo: system.accountInfo,
      eventRecord: system.eventRecord,
      axonInfo: subtensor.axonInfo,
    },
  };
}
