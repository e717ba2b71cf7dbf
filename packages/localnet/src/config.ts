import type { GenesisConfig, GenesisSubnet } from './chain/genesis.js';
import { invalidOption } from './errors.js';
import { DEFAULT_SUBNET_PARAMS, type SubnetParams } from './pallets/subtensor/params.js';

const PARAM_KEYS = new Set(Object.keys(DEFAULT_SUBNET_PARAMS));
const BIG_PARAMS = new Set(['burn', 'minBurn', 'maxBurn']);

function params(v: unknown, field: string): Partial<SubnetParams> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalidOption(field, 'must be an object');
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (!PARAM_KEYS.has(k)) {
      throw invalidOption(
        `${field}.${k}`,
        `unknown hyperparameter (known: ${[...PARAM_KEYS].join(', ')})`,
      );
    }
    const def = (DEFAULT_SUBNET_PARAMS as unknown as Record<string, unknown>)[k];
    if (typeof def === 'boolean') {
      if (typeof x !== 'boolean') throw invalidOption(`${field}.${k}`, 'must be true or false');
      out[k] = x;
    } else if (BIG_PARAMS.has(k)) {
      if (typeof x !== 'number' && typeof x !== 'string')
        throw invalidOption(`${field}.${k}`, 'must be an integer');
      try {
        out[k] = BigInt(x);
      } catch {
        throw invalidOption(`${field}.${k}`, 'must be an integer');
      }
    } else {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) {
        throw invalidOption(`${field}.${k}`, 'must be a non-negative integer');
      }
      out[k] = x;
    }
  }
  return out as Partial<SubnetParams>;
}

/**
 * Reads a genesis config file (JSON):
 * `{ "subnets": [{ "netuid": 1, "owner": "//Alice", "params": { "tempo": 10 } }],
 *    "balances": [{ "account": "5F...", "amount": "1000000000000" }], "subnetDefaults": {...} }`.
 */
export function parseConfig(text: string, source = 'config'): GenesisConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw invalidOption(source, `not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalidOption(source, 'must be a JSON object');
  const r = raw as Record<string, unknown>;
  const known = new Set([
    'subnets',
    'balances',
    'subnetDefaults',
    'sudo',
    'networkLockCost',
    'stakeThreshold',
    'adminFreezeWindow',
    'commitRevealWeightsVersion',
  ]);
  for (const k of Object.keys(r))
    if (!known.has(k)) throw invalidOption(`${source}.${k}`, 'unknown key');
  const out: GenesisConfig = {};
  if (r.subnets !== undefined) {
    if (!Array.isArray(r.subnets)) throw invalidOption(`${source}.subnets`, 'must be an array');
    out.subnets = r.subnets.map((s, i): GenesisSubnet => {
      const f = `${source}.subnets[${i}]`;
      if (typeof s !== 'object' || s === null) throw invalidOption(f, 'must be an object');
      const o = s as Record<string, unknown>;
      if (typeof o.netuid !== 'number') throw invalidOption(`${f}.netuid`, 'must be a number');
      const sn: GenesisSubnet = { netuid: o.netuid, params: params(o.params, `${f}.params`) };
      if (o.owner !== undefined) sn.owner = String(o.owner);
      if (o.ownerHotkey !== undefined) sn.ownerHotkey = String(o.ownerHotkey);
      if (o.started !== undefined) sn.started = Boolean(o.started);
      return sn;
    });
  }
  if (r.balances !== undefined) {
    if (!Array.isArray(r.balances)) throw invalidOption(`${source}.balances`, 'must be an array');
    out.balances = r.balances.map((b, i) => {
      const o = b as Record<string, unknown>;
      if (typeof o?.account !== 'string')
        throw invalidOption(`${source}.balances[${i}].account`, 'must be a string');
      if (typeof o.amount !== 'string' && typeof o.amount !== 'number') {
        throw invalidOption(`${source}.balances[${i}].amount`, 'must be a rao amount');
      }
      return { account: o.account, amount: o.amount };
    });
  }
  if (r.subnetDefaults !== undefined)
    out.subnetDefaults = params(r.subnetDefaults, `${source}.subnetDefaults`);
  if (r.sudo !== undefined) out.sudo = String(r.sudo);
  if (r.networkLockCost !== undefined) out.networkLockCost = BigInt(r.networkLockCost as number);
  if (r.stakeThreshold !== undefined) out.stakeThreshold = BigInt(r.stakeThreshold as number);
  if (r.adminFreezeWindow !== undefined) out.adminFreezeWindow = Number(r.adminFreezeWindow);
  if (r.commitRevealWeightsVersion !== undefined) {
    const v = r.commitRevealWeightsVersion;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff) {
      throw invalidOption(`${source}.commitRevealWeightsVersion`, 'must be an integer in 0..65535');
    }
    out.commitRevealWeightsVersion = v;
  }
  return out;
}
