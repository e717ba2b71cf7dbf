import { createHash, createHmac, randomBytes } from 'node:crypto';
import { link, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NeuronError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic.js';

/** File name of the validator secret inside the state directory. */
export const SECRET_FILE = 'validator-secret';
/** Secret length in bytes. */
export const SECRET_BYTES = 32;

const SEED_DOMAIN = Buffer.from('subnetkit/task-seed/v1\0', 'utf8');
const COMMIT_DOMAIN = Buffer.from('subnetkit/seed-commit/v1\0', 'utf8');
/** `uid` value in the seed message for a task shared by several miners. */
const SHARED_UID = 0xffff_ffff;

export interface ValidatorSecret {
  secret: Uint8Array;
  path: string;
  /** True when this call generated it. */
  created: boolean;
  /** True when group/other can read the file (the caller should warn: `chmod 600 <path>`). */
  looseMode: boolean;
}

/**
 * Reads the validator secret from `<stateDir>/validator-secret`, generating it on first use
 * (32 random bytes, hex, mode 0600). Creation is race-free: the file is written in full under
 * a temporary name and hard-linked into place, so it never exists half-written and two
 * processes cannot both create one.
 */
export async function loadOrCreateSecret(stateDir: string): Promise<ValidatorSecret> {
  const path = join(stateDir, SECRET_FILE);
  let created = false;
  let text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new NeuronError('IO_ERROR', `cannot read ${path} (${error.code})`, {
      details: { path },
      cause: error,
    });
  });
  if (text === undefined) {
    const tmp = `${path}.new-${process.pid}-${randomBytes(6).toString('hex')}`;
    const fresh = `${randomBytes(SECRET_BYTES).toString('hex')}\n`;
    await writeFileAtomic(tmp, fresh);
    try {
      await link(tmp, path);
      created = true;
      text = fresh;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new NeuronError('IO_ERROR', `cannot create ${path}`, {
          details: { path },
          cause: error,
        });
      }
      text = await readFile(path, 'utf8');
    } finally {
      await rm(tmp, { force: true });
    }
  }
  const hex = text.trim();
  if (!new RegExp(`^[0-9a-f]{${SECRET_BYTES * 2}}$`).test(hex)) {
    throw new NeuronError(
      'SECRET_INVALID',
      `${path}: expected ${SECRET_BYTES * 2} lowercase hex characters; restore it from a backup or delete it to generate a new secret`,
      { details: { path } },
    );
  }
  const mode = (await stat(path)).mode & 0o777;
  return {
    secret: Uint8Array.from(Buffer.from(hex, 'hex')),
    path,
    created,
    looseMode: (mode & 0o077) !== 0,
  };
}

/** What a task seed is derived from. */
export interface SeedInput {
  netuid: number;
  step: number;
  /** The miner the task is for, or `null` for a task shared by several miners. */
  uid: number | null;
  /** Monotonic per state (the state's `seedCounter`); makes every seed unique. */
  counter: number;
  /** The state's random `seedEpoch` (32 hex chars). */
  epoch: string;
}

/** A task seed: unknown to miners until revealed; `commitment` can be published before. */
export interface TaskSeed extends SeedInput {
  /** 32 bytes, hex. */
  seed: string;
  /** `sha256(domain ‖ seed)`, hex. */
  commitment: string;
  /** Stable id of the task: `<epoch[0..8]>-<counter>`. */
  taskId: string;
}

function checkInt(value: number, field: string, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new NeuronError(
      'INVALID_ARGUMENT',
      `${field}: must be an integer in [0, ${max}], got ${value}`,
      {
        details: {
          field,
        },
      },
    );
  }
}

/** The message the seed HMAC signs: domain ‖ epoch ‖ netuid u16 ‖ step u64 ‖ uid u32 ‖ counter u64 (big-endian). */
export function seedMessage(input: SeedInput): Uint8Array {
  checkInt(input.netuid, 'netuid', 0xffff);
  checkInt(input.step, 'step', Number.MAX_SAFE_INTEGER);
  checkInt(input.counter, 'counter', Number.MAX_SAFE_INTEGER);
  if (input.uid !== null) checkInt(input.uid, 'uid', SHARED_UID - 1);
  if (!/^[0-9a-f]{32}$/.test(input.epoch)) {
    throw new NeuronError('INVALID_ARGUMENT', 'epoch: must be 32 lowercase hex characters', {
      details: {
        field: 'epoch',
      },
    });
  }
  const tail = Buffer.alloc(2 + 8 + 4 + 8);
  tail.writeUInt16BE(input.netuid, 0);
  tail.writeBigUInt64BE(BigInt(input.step), 2);
  tail.writeUInt32BE(input.uid ?? SHARED_UID, 10);
  tail.writeBigUInt64BE(BigInt(input.counter), 14);
  return Buffer.concat([SEED_DOMAIN, Buffer.from(input.epoch, 'hex'), tail]);
}

/** `sha256(domain ‖ seed)`: publishable before the deadline, checkable after the reveal. */
export function seedCommitment(seedHex: string): string {
  if (!/^[0-9a-f]{64}$/.test(seedHex)) {
    throw new NeuronError('INVALID_ARGUMENT', 'seed: must be 64 lowercase hex characters', {
      details: {
        field: 'seed',
      },
    });
  }
  return createHash('sha256')
    .update(COMMIT_DOMAIN)
    .update(Buffer.from(seedHex, 'hex'))
    .digest('hex');
}

/** True when `seedHex` is the seed behind `commitment`. */
export function verifySeedReveal(commitment: string, seedHex: string): boolean {
  try {
    return seedCommitment(seedHex) === commitment.toLowerCase();
  } catch {
    return false;
  }
}

/** `HMAC-SHA256(secret, seedMessage(input))`: unpredictable without the validator secret. */
export function deriveSeed(secret: Uint8Array, input: SeedInput): TaskSeed {
  if (secret.length < 16) {
    throw new NeuronError('INVALID_ARGUMENT', 'secret: must be at least 16 bytes', {
      details: {
        field: 'secret',
      },
    });
  }
  const seed = createHmac('sha256', secret).update(seedMessage(input)).digest('hex');
  return {
    ...input,
    seed,
    commitment: seedCommitment(seed),
    taskId: `${input.epoch.slice(0, 8)}-${input.counter}`,
  };
}

/** The state fields seeds use. */
export interface SeedState {
  netuid: number;
  step: number;
  seedEpoch: string;
  seedCounter: number;
}

/**
 * Derives the next seed for `uid` (or a shared task with `null`) at the state's step and
 * returns the state with its counter advanced. Pure.
 */
export function nextSeed<S extends SeedState>(
  state: S,
  secret: Uint8Array,
  uid: number | null,
): { seed: TaskSeed; state: S } {
  const seed = deriveSeed(secret, {
    netuid: state.netuid,
    step: state.step,
    uid,
    counter: state.seedCounter,
    epoch: state.seedEpoch,
  });
  return { seed, state: { ...state, seedCounter: state.seedCounter + 1 } };
}

export { type SeededRandom, seededRandom } from '../random/seeded-random.js';
