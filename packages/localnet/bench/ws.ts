/**
 * set_weights accepted per second over the WebSocket JSON-RPC server vs `chain.submit` in the
 * same process: same chain, same kind of extrinsic, rounds interleaved, medians.
 *
 * The client runs in a child process (bench/ws-client.ts), so the server's CPU is this
 * process's. Rates are given per CPU-second of the localnet process (1 / CPU per extrinsic:
 * what one localnet can accept, steady under the machine's contention) and as wall-clock
 * rates (what the client saw, noisy when the cores are shared).
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { u8aToHex } from '@polkadot/util';
import { weightsNetwork } from './setup.js';
import type { Round, RoundResult } from './ws-client.js';

const V = 64;
const ROUNDS = 15;
const CONNECTIONS = 4;

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const fmt = (x: number, d = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const cpuUs = (c: NodeJS.CpuUsage) => c.user + c.system;

interface Sample {
  wallRate: number;
  serverUs: number;
  clientUs?: number;
}

type Mode = 'raw' | 'provider' | 'api';
const MODES: Record<Mode, string> = {
  raw: `raw frames, ${CONNECTIONS} connections pipelined`,
  provider: '@polkadot/rpc-provider WsProvider.send',
  api: '@polkadot/api rpc.author.submitExtrinsic',
};

export async function wsThroughput(): Promise<void> {
  const w = await weightsNetwork(V, 0);
  const { net } = w;
  const url = net.url as string;
  const client = fork(new URL('./ws-client.ts', import.meta.url), { stdio: 'inherit' });
  await new Promise<void>((r) => client.once('message', () => r()));
  const ask = <T>(msg: Round | 'go') =>
    new Promise<T>((resolve) => {
      client.once('message', (m) => resolve(m as T));
      client.send(msg);
    });
  const modes = Object.keys(MODES) as Mode[];
  // Every batch signed up front, nonces in submission order.
  const batches = Array.from({ length: (modes.length + 1) * (ROUNDS + 1) }, (_, k) =>
    w.setWeights(k),
  );
  const samples: Record<Mode | 'inProcess', Sample[]> = {
    inProcess: [],
    raw: [],
    provider: [],
    api: [],
  };
  const included = () => {
    const b = net.produceBlock();
    if (b.extrinsics.length - 1 !== V)
      throw new Error(`bench: only ${b.extrinsics.length - 1} of ${V} set_weights were included`);
    w.skipEpoch();
  };
  w.skipEpoch();
  let next = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const warmUp = round === 0; // opens the sockets, decodes the metadata in @polkadot/api, JIT
    const txs = batches[next++] as Uint8Array[];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const x of txs) net.chain.submit(x);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (!warmUp) samples.inProcess.push({ wallRate: (V / ms) * 1000, serverUs: cpuUs(c) / V });
    included();

    for (const mode of modes) {
      const hexes = (batches[next++] as Uint8Array[]).map((x) => u8aToHex(x));
      const msg: Round =
        mode === 'raw'
          ? {
              kind: 'raw',
              url,
              connections: CONNECTIONS,
              frames: hexes.map(
                (h, id) =>
                  `{"jsonrpc":"2.0","id":${id},"method":"author_submitExtrinsic","params":["${h}"]}`,
              ),
            }
          : { kind: mode, url, hexes };
      await ask<'loaded'>(msg);
      const s0 = process.cpuUsage();
      const r = await ask<RoundResult>('go');
      const s = process.cpuUsage(s0);
      if (r.errors > 0)
        throw new Error(`bench: ${r.errors} ${mode} submissions failed: ${r.firstError}`);
      if (!warmUp)
        samples[mode].push({
          wallRate: (V / r.ms) * 1000,
          serverUs: cpuUs(s) / V,
          clientUs: r.cpuUs / V,
        });
      included();
    }
  }
  client.send('exit');
  await net.close();

  const summary = (v: Sample[]) => {
    const serverUs = median(v.map((x) => x.serverUs));
    return {
      cpuRate: 1e6 / serverUs,
      wallRate: median(v.map((x) => x.wallRate)),
      serverUs,
      clientUs: v[0]?.clientUs === undefined ? undefined : median(v.map((x) => x.clientUs ?? 0)),
    };
  };
  const ip = summary(samples.inProcess);
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  console.log(
    `set_weights over WebSocket (${V} validators × ${V + 1} weights, median of ${ROUNDS} interleaved rounds, load average ${load})`,
  );
  console.log(
    '  path                                          localnet CPU/tx  per CPU-s  wall rate  client CPU/tx',
  );
  const line = (label: string, x: ReturnType<typeof summary>) =>
    console.log(
      `  ${label.padEnd(45)} ${fmt(x.serverUs).padStart(8)} µs  ${fmt(x.cpuRate).padStart(7)}/s  ${fmt(x.wallRate).padStart(7)}/s  ${x.clientUs === undefined ? '' : `${fmt(x.clientUs).padStart(8)} µs`}`,
    );
  line('in-process chain.submit (baseline)', ip);
  const by = Object.fromEntries(modes.map((m) => [m, summary(samples[m])])) as Record<
    Mode,
    ReturnType<typeof summary>
  >;
  for (const m of modes) line(`ws, ${MODES[m]}`, by[m]);
  console.log(
    `  in-process/ws: ${modes.map((m) => `${m} ${(ip.cpuRate / by[m].cpuRate).toFixed(2)} per CPU-s, ${(ip.wallRate / by[m].wallRate).toFixed(2)} wall`).join('; ')}`,
  );
  const raw = by.raw;
  const ratio = ip.cpuRate / raw.cpuRate;
  console.log(
    `TARGET localnet-ws ${ratio.toFixed(2)} <=2.00 ${ratio <= 2 ? 'met' : 'missed'} set_weights over ws ${fmt(raw.cpuRate)}/s vs in-process ${fmt(ip.cpuRate)}/s (${V} validators; per CPU-second of the localnet, raw ws client in its own process; wall ${fmt(raw.wallRate)}/s vs ${fmt(ip.wallRate)}/s; load ${load})`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await wsThroughput();
