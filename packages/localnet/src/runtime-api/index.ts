import { u8aToHex } from '@polkadot/util';
import type { Chain } from '../chain/chain.js';
import { LocalnetError } from '../errors.js';
import { subnetIds } from '../pallets/subtensor/epoch.js';
import { subnetExists } from '../pallets/subtensor/neurons.js';
import type { BlockContext } from '../runtime/runtime.js';
import * as s from '../scale/scale.js';
import { Reader } from '../scale/scale.js';
import {
  dynamicInfoValue,
  hyperparamsValue,
  metagraphValue,
  neuronValue,
  selectiveValue,
  subnetStateValue,
  toCamel,
} from './values.js';

type Impl = (ctx: BlockContext, r: Reader, chain: Chain) => unknown;

const opt = <T>(cond: boolean, f: () => T): T | null => (cond ? f() : null);
const exists = (ctx: BlockContext, netuid: number) => netuid !== 0 && subnetExists(ctx, netuid);

const IMPLS: Record<string, Impl> = {
  NeuronInfoRuntimeApi_get_neurons_lite: (ctx, r) => {
    const netuid = r.u16();
    if (!exists(ctx, netuid)) return [];
    const n = ctx.items.st.subnetworkN.get(ctx.st, netuid);
    return Array.from({ length: n }, (_, uid) => neuronValue(ctx, netuid, uid, false));
  },
  NeuronInfoRuntimeApi_get_neurons: (ctx, r) => {
    const netuid = r.u16();
    if (!exists(ctx, netuid)) return [];
    const n = ctx.items.st.subnetworkN.get(ctx.st, netuid);
    return Array.from({ length: n }, (_, uid) => neuronValue(ctx, netuid, uid, true));
  },
  NeuronInfoRuntimeApi_get_neuron_lite: (ctx, r) => {
    const netuid = r.u16();
    const uid = r.u16();
    return opt(exists(ctx, netuid) && uid < ctx.items.st.subnetworkN.get(ctx.st, netuid), () =>
      neuronValue(ctx, netuid, uid, false),
    );
  },
  NeuronInfoRuntimeApi_get_neuron: (ctx, r) => {
    const netuid = r.u16();
    const uid = r.u16();
    return opt(exists(ctx, netuid) && uid < ctx.items.st.subnetworkN.get(ctx.st, netuid), () =>
      neuronValue(ctx, netuid, uid, true),
    );
  },
  SubnetInfoRuntimeApi_get_metagraph: (ctx, r) => {
    const netuid = r.u16();
    return opt(exists(ctx, netuid), () => toCamel(metagraphValue(ctx, netuid)));
  },
  SubnetInfoRuntimeApi_get_mechagraph: (ctx, r) => {
    const netuid = r.u16();
    const mecid = r.u8();
    return opt(exists(ctx, netuid) && mecid === 0, () => toCamel(metagraphValue(ctx, netuid)));
  },
  SubnetInfoRuntimeApi_get_selective_metagraph: (ctx, r) => {
    const netuid = r.u16();
    const indexes = r.vec((x) => x.u16());
    return opt(exists(ctx, netuid), () => selectiveValue(ctx, netuid, indexes));
  },
  SubnetInfoRuntimeApi_get_selective_mechagraph: (ctx, r) => {
    const netuid = r.u16();
    const mecid = r.u8();
    const indexes = r.vec((x) => x.u16());
    return opt(exists(ctx, netuid) && mecid === 0, () => selectiveValue(ctx, netuid, indexes));
  },
  SubnetInfoRuntimeApi_get_subnet_hyperparams: (ctx, r) => {
    const netuid = r.u16();
    return opt(exists(ctx, netuid), () => hyperparamsValue(ctx, netuid, false));
  },
  SubnetInfoRuntimeApi_get_subnet_hyperparams_v2: (ctx, r) => {
    const netuid = r.u16();
    return opt(exists(ctx, netuid), () => hyperparamsValue(ctx, netuid, true));
  },
  SubnetInfoRuntimeApi_get_subnet_state: (ctx, r) => {
    const netuid = r.u16();
    return opt(exists(ctx, netuid), () => subnetStateValue(ctx, netuid));
  },
  SubnetInfoRuntimeApi_get_dynamic_info: (ctx, r) => {
    const netuid = r.u16();
    return opt(exists(ctx, netuid), () => dynamicInfoValue(ctx, netuid));
  },
  SubnetInfoRuntimeApi_get_all_dynamic_info: (ctx) =>
    subnetIds(ctx).map((n) => dynamicInfoValue(ctx, n)),
  SubnetRegistrationRuntimeApi_get_network_registration_cost: (ctx) =>
    ctx.items.st.networkMinLockCost.get(ctx.st),
  AccountNonceApi_account_nonce: (ctx, r) => ctx.items.system.account.get(ctx.st, r.take(32)).nonce,
};

/** `state_call(method, data, at)`: the SCALE result of a runtime API, or a thrown LocalnetError. */
export function callRuntimeApi(
  chain: Chain,
  method: string,
  data: Uint8Array,
  at?: string | null,
): Uint8Array {
  const meta = chain.meta;
  const r = new Reader(data);
  switch (method) {
    case 'Core_version':
      return meta.runtimeVersion;
    case 'Metadata_metadata':
      return s.bytes(meta.v14);
    case 'Metadata_metadata_versions':
      return s.vec([14, 15], s.u32);
    case 'Metadata_metadata_at_version': {
      const v = r.u32();
      if (v === 14) return s.concat(Uint8Array.of(1), s.bytes(meta.v14));
      if (v === 15) return s.concat(Uint8Array.of(1), s.bytes(meta.v15));
      return Uint8Array.of(0);
    }
  }
  const impl = IMPLS[method];
  if (!impl) throw new LocalnetError('INVALID_OPTION', `Exported method ${method} is not found`);
  const [api, name] = method.split('_', 2) as [string, string];
  const rest = method.slice(api.length + 1);
  const apiMeta = meta.metadata.asV15.apis.find((a) => a.name.eq(api));
  const m = apiMeta?.methods.find((x) => x.name.eq(rest));
  if (!m)
    throw new LocalnetError('INTERNAL', `runtime API ${method} missing from metadata (${name})`);
  const ctx = chain.readContext(at);
  const value = impl(ctx, r, chain);
  r.end(`${method} input`);
  return meta.registry.createType(meta.registry.createLookupType(m.output), hexify(value)).toU8a();
}

/**
 * Account ids and hashes as hex: @polkadot/types reads a Uint8Array given for an `Option<…>` as
 * SCALE bytes (flag first), which would shift every field after it.
 */
function hexify(v: unknown): unknown {
  if (v instanceof Uint8Array) return u8aToHex(v);
  if (Array.isArray(v)) return v.map(hexify);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hexify(x)]));
  }
  return v;
}

export const hexResult = (u: Uint8Array) => u8aToHex(u);
