// One Argon2i derivation by one candidate, in a process of its own (started by argon2.ts), so
// that the peak RSS it reports is that candidate's alone. Prints one JSON line.
//
//   tsx --conditions=@subnetkit/source bench/argon2-worker.ts <candidate> <opsLimit> <memLimitBytes> <password hex>
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { argon2iKdf, NACL_SALT } from '../src/keyfile-crypto.js';

type Derive = (password: Uint8Array) => Promise<Uint8Array>;
type Loader = (ops: number, mem: number) => Promise<Derive>;

// Other JS paths than ours are not dependencies: they are loaded from a directory given in
// ARGON2_CANDIDATES (one with a node_modules, e.g. after `npm install hash-wasm` there).
function candidateRequire(): NodeJS.Require {
  const dir = process.env.ARGON2_CANDIDATES;
  return createRequire(join(dir ?? process.cwd(), 'package.json'));
}

/** A candidate package that is not installed where the worker looks. */
class Missing extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: each candidate has its own untyped API
const load = async (name: string): Promise<any> => {
  let path: string;
  try {
    path = candidateRequire().resolve(name);
  } catch (error) {
    throw new Missing(String(error));
  }
  const mod = await import(path);
  return mod.default ?? mod;
};

const CANDIDATES: Record<string, Loader> = {
  // What every keyfile goes through: argon2iKdf (@node-rs/argon2).
  ours: async (ops, mem) => {
    const kdf = argon2iKdf({ opsLimit: ops, memLimitBytes: mem });
    return (password) => kdf(password, NACL_SALT);
  },
  // Pure JS, already a dependency (@noble/hashes).
  'noble-argon2i': async (ops, mem) => {
    const { argon2iAsync } = await import('@noble/hashes/argon2.js');
    return (password) =>
      argon2iAsync(password, NACL_SALT, { t: ops, m: Math.floor(mem / 1024), p: 1, dkLen: 32 });
  },
  // The native package subnetkit used before (reference C argon2, SSE2 build).
  'argon2-npm': async (ops, mem) => {
    const argon2 = await load('argon2');
    return async (password) =>
      new Uint8Array(
        await argon2.hash(Buffer.from(password), {
          type: argon2.argon2i,
          version: 0x13,
          raw: true,
          hashLength: 32,
          timeCost: ops,
          memoryCost: Math.floor(mem / 1024),
          parallelism: 1,
          salt: Buffer.from(NACL_SALT),
        }),
      );
  },
  // libsodium compiled to wasm.
  'libsodium-wrappers-sumo': async (ops, mem) => {
    const sodium = await load('libsodium-wrappers-sumo');
    await sodium.ready;
    return async (password) =>
      sodium.crypto_pwhash(32, password, NACL_SALT, ops, mem, sodium.crypto_pwhash_ALG_ARGON2I13);
  },
  'hash-wasm': async (ops, mem) => {
    const { argon2i } = await load('hash-wasm');
    return (password) =>
      argon2i({
        password,
        salt: NACL_SALT,
        iterations: ops,
        memorySize: Math.floor(mem / 1024),
        parallelism: 1,
        hashLength: 32,
        outputType: 'binary',
      });
  },
  // libsodium itself, native (prebuilt addon), in the libuv thread pool.
  'sodium-native': async (ops, mem) => {
    const sodium = await load('sodium-native');
    return async (password) => {
      const out = new Uint8Array(32);
      await sodium.crypto_pwhash_async(
        out,
        password,
        NACL_SALT,
        ops,
        mem,
        sodium.crypto_pwhash_ALG_ARGON2I13,
      );
      return out;
    };
  },
};

interface Measurement {
  key: string;
  wallMs: number;
  cpuMs: number;
  /** Peak RSS of the whole process, and what it was before the derivation started. */
  peakRssMiB: number;
  baseRssMiB: number;
}

async function main(): Promise<void> {
  const [name = '', ops, mem, passwordHex = ''] = process.argv.slice(2);
  const loader = CANDIDATES[name];
  if (!loader) throw new Error(`unknown candidate ${name}`);
  let derive: Derive;
  try {
    derive = await loader(Number(ops), Number(mem));
  } catch (error) {
    if (!(error instanceof Missing)) throw error;
    process.stdout.write(`${JSON.stringify({ missing: error.message })}\n`);
    return;
  }
  const password = new Uint8Array(Buffer.from(passwordHex, 'hex'));
  const baseRss = process.resourceUsage().maxRSS;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const key = await derive(password);
  const wallMs = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  const result: Measurement = {
    key: Buffer.from(key).toString('hex'),
    wallMs,
    cpuMs: (user + system) / 1000,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    baseRssMiB: baseRss / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
