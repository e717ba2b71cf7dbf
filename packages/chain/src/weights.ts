import { blake2AsU8a } from '@polkadot/util-crypto';
import { invalidInput } from './errors.js';

/** Mechanism storage index: `mecid·4096 + netuid` (subtensor `GLOBAL_MAX_SUBNET_COUNT`). */
export function netuidIndex(netuid: number, mechid = 0): number {
  return mechid * 4096 + netuid;
}

function checkU16List(field: string, values: readonly number[]): void {
  if (!Array.isArray(values)) throw invalidInput(field, 'must be an array of integers');
  values.forEach((value, i) => {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
      throw invalidInput(`${field}[${i}]`, `must be an integer in [0, 65535], got ${value}`);
    }
  });
}

export function checkU64(field: string, value: bigint | number): bigint {
  const big = typeof value === 'bigint' ? value : Number.isInteger(value) ? BigInt(value) : -1n;
  if (big < 0n || big >= 1n << 64n) throw invalidInput(field, `must be a u64, got ${value}`);
  return big;
}

export interface WeightsInput {
  uids: readonly number[];
  /** u16 weight values, as sent on chain (the chain max-upscales them itself). */
  weights: readonly number[];
}

/** Checks the shape of u16 uid/weight vectors (the chain's `WeightVecNotEqualSize` included). */
export function checkWeightsInput(input: WeightsInput): void {
  checkU16List('uids', input.uids);
  checkU16List('weights', input.weights);
  if (input.uids.length !== input.weights.length) {
    throw invalidInput(
      'weights',
      `uids (${input.uids.length}) and weights (${input.weights.length}) differ in length`,
    );
  }
}

function writeCompactLength(out: number[], n: number): void {
  if (n < 1 << 6) out.push(n << 2);
  else if (n < 1 << 14) out.push(((n << 2) | 1) & 0xff, (n >> 6) & 0xff);
  else if (n < 1 << 30) {
    const v = (n << 2) | 2;
    out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  } else throw invalidInput('length', 'vector too long');
}

function writeU16Vec(out: number[], values: readonly number[]): void {
  writeCompactLength(out, values.length);
  for (const v of values) out.push(v & 0xff, (v >> 8) & 0xff);
}

export interface CommitHashInput extends WeightsInput {
  /** 32-byte public key of the hotkey that commits. */
  hotkey: Uint8Array;
  netuid: number;
  mechid?: number;
  salt: readonly number[];
  versionKey: bigint | number;
}

/**
 * The bytes subtensor hashes for a commit-reveal v2 commit:
 * SCALE `(AccountId32, u16 netuid_index, Vec<u16> uids, Vec<u16> values, Vec<u16> salt, u64)`.
 */
export function commitHashPreimage(input: CommitHashInput): Uint8Array {
  if (!(input.hotkey instanceof Uint8Array) || input.hotkey.length !== 32) {
    throw invalidInput('hotkey', 'must be a 32-byte public key');
  }
  checkWeightsInput(input);
  checkU16List('salt', input.salt);
  const index = netuidIndex(input.netuid, input.mechid ?? 0);
  if (!Number.isInteger(index) || index < 0 || index > 0xffff) {
    throw invalidInput('netuid', `netuid/mechid give storage index ${index} outside u16`);
  }
  const version = checkU64('versionKey', input.versionKey);
  const out: number[] = [...input.hotkey, index & 0xff, (index >> 8) & 0xff];
  writeU16Vec(out, input.uids);
  writeU16Vec(out, input.weights);
  writeU16Vec(out, input.salt);
  for (let i = 0n; i < 8n; i++) out.push(Number((version >> (8n * i)) & 0xffn));
  return Uint8Array.from(out);
}

/** BLAKE2-256 commit hash, exactly as subtensor's `get_commit_hash` computes it. */
export function commitHash(input: CommitHashInput): Uint8Array {
  return blake2AsU8a(commitHashPreimage(input), 256);
}

/** Random u16 salt (8 values by default), from the platform CSPRNG. */
export function randomSalt(length = 8): number[] {
  return Array.from(crypto.getRandomValues(new Uint16Array(length)));
}

/** Blocks left before `set_weights`/`commit_weights` passes the chain's rate limit. */
export function weightsBlocksLeft(
  currentBlock: number,
  lastUpdate: number,
  rateLimit: number,
): number {
  if (lastUpdate === 0) return 0; // never set: the chain lets it through
  const since = currentBlock - lastUpdate;
  return since >= rateLimit ? 0 : rateLimit - Math.max(since, 0);
}
