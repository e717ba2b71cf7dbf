/**
 * localnet benchmarks: start-up, signed set_weights accepted per second, and a 256-uid epoch.
 * Each number comes with a baseline measured in the same run.
 *   pnpm --filter @subnetkit/localnet bench
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { yumaEpoch } from '@subnetkit/scoring';
import { createTimelockedCommit, openTimelockedCommit } from '@subnetkit/timelock';
import { Keypair, sr25519Verify } from '@subnetkit/wallet';
import { buildMetadata, createLocalnet, TAO } from '../src/index.js';
import { epochInput } from '../src/pallets/subtensor/epoch.js';
import { weightsNetwork } from './setup.js';
import { signCall } from './sign.js';
import { wsThroughput } from './ws.js';

const N = 256;
const fmt = (x: number, d = 1) => x.toFixed(d);

async function startup() {
  const t0 = performance.now();
  const cold = await createLocalnet({ blockTime: 'manual', genesis: { subnets: [{ netuid: 1 }] } });
  const coldMs = performance.now() - t0;
  await cold.close();
  const runs = 5;
  const t1 = performance.now();
  for (let k = 0; k < runs; k++) {
    const net = await createLocalnet({
      blockTime: 'manual',
      port: 0,
      genesis: { subnets: [{ netuid: 1 }] },
    });
    await net.close();
  }
  const warmMs = (performance.now() - t1) / runs;
  const t2 = performance.now();
  const meta = buildMetadata();
  const buildMs = performance.now() - t2;
  // Baseline: what every @polkadot/api client spends decoding the same metadata at connect.
  const t3 = performance.now();
  for (let k = 0; k < runs; k++)
    new TypeRegistry().setMetadata(new Metadata(new TypeRegistry(), meta.v15));
  const decodeMs = (performance.now() - t3) / runs;
  console.log('start-up');
  console.log(
    `  createLocalnet, first in process (metadata build included): ${fmt(coldMs)} ms  [target < 1000 ms]`,
  );
  console.log(`  createLocalnet with ws server, metadata shared:             ${fmt(warmMs)} ms`);
  console.log(`  metadata build alone:                                       ${fmt(buildMs)} ms`);
  console.log(
    `  baseline: a client decoding that metadata:                   ${fmt(decodeMs)} ms  (start/decode = ${fmt(coldMs / decodeMs, 2)}x)`,
  );
}

async function throughput() {
  const w = await weightsNetwork(N);
  const { net, validators } = w;
  // Pre-sign: one set_weights over all 257 uids per validator (a >256-byte payload, hashed),
  // and each validator's next one.
  const txs = w.setWeights(0);
  const again = w.setWeights(1);
  const sizes = txs.reduce((a, b) => a + b.length, 0) / txs.length;
  // Measure on a block without an epoch.
  w.skipEpoch();

  const t0 = performance.now();
  for (const x of txs) net.chain.submit(x);
  const submitMs = performance.now() - t0;
  const t1 = performance.now();
  const block = net.produceBlock();
  const blockMs = performance.now() - t1;
  const applied = block.extrinsics.length - 1;
  if (applied !== N) throw new Error(`bench: only ${applied} of ${N} set_weights were included`);
  // A validator's first signature is checked by wasm-crypto, later ones by schnorrkel-wasm.
  w.skipEpoch();
  const t3 = performance.now();
  for (const x of again) net.chain.submit(x);
  const againMs = performance.now() - t3;
  net.produceBlock();

  // Baseline: raw sr25519 verification (the chain's verifier) of the same messages (no decoding, no state).
  const msgs = validators.map((v, k) => {
    const m = blake2AsU8a(txs[k] as Uint8Array, 256);
    return { m, s: v.sign(m), p: v.publicKey };
  });
  const t2 = performance.now();
  for (const { m, s, p } of msgs) sr25519Verify(s, m, p);
  const verifyMs = performance.now() - t2;
  const accepted = (N / submitMs) * 1000;
  const included = (applied / blockMs) * 1000;
  const raw = (N / verifyMs) * 1000;
  console.log(`set_weights (${N} validators × ${N + 1} weights, ${fmt(sizes, 0)} bytes each)`);
  console.log(
    `  accepted into the pool (decode + sr25519 + nonce + pool checks): ${fmt(accepted, 0)}/s  [target ≥ 500/s]`,
  );
  console.log(
    `  the same, each validator's second set_weights:                    ${fmt((N / againMs) * 1000, 0)}/s`,
  );
  console.log(
    `  executed in one block (${applied} included):                        ${fmt(included, 0)}/s`,
  );
  console.log(
    `  baseline: raw sr25519 verify:                                     ${fmt(raw, 0)}/s  (accepted/raw = ${fmt(accepted / raw, 2)})`,
  );
  return net;
}

async function epoch(net: Awaited<ReturnType<typeof throughput>>) {
  const ctx = net.chain.readContext();
  const input = epochInput(ctx, 1, 1_000_000_000n);
  const runs = 10;
  const t0 = performance.now();
  for (let k = 0; k < runs; k++) yumaEpoch(input);
  const yumaMs = (performance.now() - t0) / runs;
  // Full epoch inside a block (state read, Yuma, writes, emission paid as stake) vs a
  // block without one: the difference is the epoch's cost in the block.
  const epochBlocks: number[] = [];
  const plainBlocks: number[] = [];
  while (epochBlocks.length < runs) {
    const isEpoch = (net.chain.head.number + 1 + 2) % 4 === 3;
    const t = performance.now();
    net.produceBlock();
    (isEpoch ? epochBlocks : plainBlocks).push(performance.now() - t);
  }
  const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const epochMs = avg(epochBlocks);
  const plainMs = avg(plainBlocks);
  console.log(`epoch, ${input.n} uids, ${input.n - 1} validators with full weight rows`);
  console.log(
    `  block with the epoch (state read + Yuma + writes): ${fmt(epochMs)} ms  [budget: 250 ms block]`,
  );
  console.log(`  block without an epoch:                            ${fmt(plainMs)} ms`);
  console.log(
    `  baseline: scoring's yumaEpoch alone:               ${fmt(yumaMs)} ms  (block/yuma = ${fmt(epochMs / yumaMs, 2)}x)`,
  );
}

/** Whole-process start of the built CLI vs a process that only imports @polkadot/types. */
async function processStart() {
  const { existsSync } = await import('node:fs');
  const { spawn } = await import('node:child_process');
  const cli = new URL('../dist/cli.js', import.meta.url);
  if (!existsSync(cli)) {
    console.log('process start: skipped (run `pnpm --filter @subnetkit/localnet build` first)');
    return;
  }
  const time = (args: string[], until?: string) =>
    new Promise<number>((resolve, reject) => {
      const t = performance.now();
      const c = spawn(process.execPath, args, { cwd: new URL('..', import.meta.url) });
      c.stdout.on('data', (d: Buffer) => {
        if (until && String(d).includes(until)) {
          resolve(performance.now() - t);
          c.kill();
        }
      });
      c.once('exit', () =>
        until ? reject(new Error('cli exited')) : resolve(performance.now() - t),
      );
    });
  const cliMs = await time([cli.pathname, '--port', '0', '--block-time', 'manual'], 'listening');
  const floorMs = await time([
    '-e',
    "await import('@polkadot/types'); await import('@polkadot/wasm-crypto').then((m) => m.waitReady())",
    '--input-type=module',
  ]);
  console.log('process start (built CLI)');
  console.log(`  spawn → listening: ${fmt(cliMs, 0)} ms`);
  console.log(
    `  baseline: a node process that only loads @polkadot/types + wasm crypto: ${fmt(floorMs, 0)} ms  (cli/floor = ${fmt(cliMs / floorMs, 2)}x)`,
  );
}

/**
 * Timelocked weights: commits accepted into the pool, the block whose on_initialize reveals them
 * all (decrypt + set_weights rules), and blocks carrying drand pulses. Virtual clock, 12 s blocks.
 */
async function timelocked() {
  const V = 32;
  const validators = Array.from({ length: V }, (_, i) => Keypair.fromUri(`//Charlie//tl${i}`));
  const charlie = Keypair.fromUri('//Charlie');
  let clock = 1_750_000_000_000;
  const outcomes: string[] = [];
  const net = await createLocalnet(
    {
      blockTime: 'manual',
      genesis: {
        commitRevealWeightsVersion: 4,
        subnets: [
          {
            netuid: 1,
            params: {
              tempo: 10,
              commitReveal: true,
              weightsSetRateLimit: 0,
              maxAllowedUids: N + 1,
              maxAllowedValidators: N + 1,
              maxRegistrationsPerBlock: N + 1,
              targetRegistrationsPerInterval: N + 1,
              minAllowedWeights: 1,
            },
          },
        ],
      },
    },
    { now: () => (clock += 12_000), onReveal: (o) => outcomes.push(o.outcome) },
  );
  let nonce = 0;
  const setup: Uint8Array[] = [];
  for (let k = 0; k < N; k++) {
    const hot =
      k < V
        ? (validators[k] as Keypair).ss58Address
        : Keypair.fromUri(`//Charlie//tlm${k}`).ss58Address;
    setup.push(signCall(net, charlie, 'SubtensorModule', 'burned_register', [1, hot], nonce++));
    if (k < V)
      setup.push(signCall(net, charlie, 'SubtensorModule', 'add_stake', [hot, 1, TAO], nonce++));
  }
  for (const x of setup) net.chain.submit(x);
  net.produceBlock();
  while (net.chain.head.number < 9) net.produceBlock(); // epoch at 8: permits
  const uids = Array.from({ length: N + 1 }, (_, u) => u);
  const weights = uids.map((u) => 1 + ((u * 7919) % 65535));
  const st = () => net.chain.head.state as never;
  const commits = validators.map((v) =>
    createTimelockedCommit({
      hotkey: v.publicKey,
      uids,
      values: weights,
      versionKey: 0n,
      currentBlock: net.chain.head.number,
      netuid: 1,
      tempo: 10,
      revealPeriodEpochs: 1,
      blockTime: 12,
      nowSeconds: Number(net.chain.items.timestamp.now.get(st())) / 1000,
      beacon: net.drand!.info,
    }),
  );
  const txs = validators.map((v, k) =>
    signCall(
      net,
      v,
      'SubtensorModule',
      'commit_timelocked_weights',
      [1, u8aToHex(commits[k]!.commit), commits[k]!.revealRound, 4],
      0,
    ),
  );
  const t0 = performance.now();
  for (const x of txs) net.chain.submit(x);
  const submitMs = performance.now() - t0;
  net.produceBlock();
  // Blocks until the reveal; the reveal block is the slow one.
  const times: { ms: number; revealed: number; pulses: number }[] = [];
  while (outcomes.filter((o) => o === 'revealed').length < V && net.chain.head.number < 40) {
    const before = outcomes.filter((o) => o === 'revealed').length;
    const t1 = performance.now();
    const b = net.produceBlock();
    const ms = performance.now() - t1;
    const revealed = outcomes.filter((o) => o === 'revealed').length - before;
    times.push({ ms, revealed, pulses: b.extrinsics.length - 1 });
  }
  const reveal = times.find((x) => x.revealed > 0);
  if (!reveal || reveal.revealed !== V)
    throw new Error('bench: the commits were not revealed in one block');
  const withPulses = times.filter((x) => x.revealed === 0 && x.pulses === 4).map((x) => x.ms);
  // Baseline: the decryptions alone, with the same pulse.
  const pulse = net.drand!.pulse(commits[0]!.revealRound);
  const t2 = performance.now();
  for (const [k, v] of validators.entries())
    openTimelockedCommit(commits[k]!.commit, pulse.signature, v.publicKey);
  const decryptMs = performance.now() - t2;
  const t3 = performance.now();
  for (let k = 1; k <= 8; k++) net.drand!.pulse(pulse.round + k);
  const pulseMs = (performance.now() - t3) / 8;
  const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  console.log(
    `timelocked weights (${V} validators × ${N + 1} uids, ${commits[0]!.commit.length}-byte commits)`,
  );
  console.log(`  commits accepted into the pool: ${fmt((V / submitMs) * 1000, 0)}/s`);
  console.log(
    `  block revealing all ${V} (decrypt + set_weights rules): ${fmt(reveal.ms)} ms  [budget: 250 ms block]`,
  );
  console.log(
    `  baseline: the ${V} decryptions alone: ${fmt(decryptMs)} ms  (block/decrypt = ${fmt(reveal.ms / decryptMs, 2)}x)`,
  );
  console.log(
    `  block carrying 4 drand pulses (12 s blocks, 3 s rounds): ${fmt(avg(withPulses))} ms; one DrandSimulator.pulse: ${fmt(pulseMs)} ms`,
  );
  await net.close();
}

await startup();
await processStart();
const net = await throughput();
await epoch(net);
await net.close();
await timelocked();
await wsThroughput();
