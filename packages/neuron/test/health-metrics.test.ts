/**
 * Hardening item 6: `/healthz` reflects the chain, the axon, the lifecycle, the last step and
 * the last weights; `/metrics` (Prometheus text) shows the axon's requests and the validator's
 * weights. A miner and a validator on a WebSocket localnet, which is then closed under them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSubtensorChain } from '@subnetkit/chain';
import { createLocalnet, type Localnet, TAO } from '@subnetkit/localnet';
import { fail, pass } from '@subnetkit/scoring';
import { defineSynapse } from '@subnetkit/transport';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  loadConfig,
  type MinerDefinition,
  neuronConfigSchema,
  type RunningMiner,
  type RunningValidator,
  runMiner,
  runValidator,
  silentLogger,
  type ValidatorDefinition,
  type WeightsRecord,
} from '../src/index.js';

const Double = defineSynapse({
  name: 'Double',
  input: { x: z.int() },
  output: { y: z.int().nullable() },
});
const miner: MinerDefinition<typeof Double> = {
  protocol: Double,
  backend: { name: 'offline' },
  forward: (input) => ({ y: input.x * 2 }),
};
const validator: ValidatorDefinition<typeof Double, number> = {
  protocol: Double,
  createTask: (_s, _u, ctx) => {
    const x = ctx.random.int(1000);
    return { input: { x }, private: 2 * x };
  },
  score: (task, r) => (r.output?.y === task.private ? pass(1) : fail('wrong')),
};

const alice = Keypair.fromUri('//Alice');
const vKey = Keypair.fromUri('//Alice//hm-validator');
const mKey = Keypair.fromUri('//Bob//hm-miner');

/** `name{labels} value` lines of a Prometheus text body, by `name{labels}`. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined) {
  const end = Date.now() + 10_000;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Health {
  ok: boolean;
  failing: string[];
  checks: Record<string, { ok: boolean; reason?: string; [k: string]: unknown }>;
}

async function health(port: number | null): Promise<{ status: number; body: Health }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: (await res.json()) as Health };
}

async function metrics(port: number | null): Promise<Map<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
  return samples(await res.text());
}

describe('/healthz and /metrics of running neurons', () => {
  let net: Localnet | undefined;
  let dir: string | undefined;
  const running: Array<RunningMiner | RunningValidator> = [];
  afterAll(async () => {
    await Promise.all(running.map((n) => n.stop('test over').catch(() => {})));
    await net?.close().catch(() => {});
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('healthy while running; metrics by synapse, status and outcome; 503 naming the chain once it is gone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'neuron-health-'));
    net = await createLocalnet({
      blockTime: 100,
      port: 0,
      genesis: {
        subnets: [
          {
            netuid: 1,
            params: {
              tempo: 10,
              commitReveal: false,
              weightsSetRateLimit: 2,
              immunityPeriod: 1000,
              servingRateLimit: 0,
              targetRegistrationsPerInterval: 4,
            },
          },
        ],
      },
    });
    const url = net.url!;
    const admin = await createSubtensorChain({ chainEndpoint: url, txTimeoutMs: 20_000 });
    await admin.burnedRegister(alice, { netuid: 1, hotkey: vKey.ss58Address });
    await admin.burnedRegister(alice, { netuid: 1, hotkey: mKey.ss58Address });
    await admin.addStake(alice, { hotkey: vKey.ss58Address, netuid: 1, amount: 1000n * TAO });
    await admin.close();
    const config = (extra: string[]) => {
      const r = loadConfig(neuronConfigSchema, {
        argv: [
          '--netuid',
          '1',
          '--subtensor.chain_endpoint',
          url,
          '--neuron.epoch_length',
          '5',
          '--status.port',
          '0',
          ...extra,
        ],
        env: {},
      });
      if (r.help) throw new Error('help');
      return r.config;
    };
    const m = await runMiner(
      miner,
      { config: config(['--axon.ip', '127.0.0.2', '--axon.port', '0']) },
      { logger: silentLogger(), hotkey: mKey },
    );
    running.push(m);
    const weights: WeightsRecord[] = [];
    const v = await runValidator(
      validator,
      {
        config: config([
          '--neuron.full_path',
          join(dir, 'validator'),
          '--neuron.step_interval',
          '0.1',
          '--neuron.timeout',
          '2',
        ]),
      },
      { logger: silentLogger(), hotkey: vKey, events: { onWeights: (w) => weights.push(w) } },
    );
    running.push(v);

    // Healthy from the start: the miner's three checks, the validator's four.
    const mh = await health(m.statusPort);
    expect(mh.status).toBe(200);
    expect(mh.body).toMatchObject({ ok: true, failing: [] });
    expect(Object.keys(mh.body.checks).sort()).toEqual(['axon', 'chain', 'lifecycle']);
    expect(mh.body.checks.axon).toMatchObject({ ok: true, port: m.axon.port });

    await until('weights from the validator', () => weights[0]);
    const vh = await health(v.statusPort);
    expect(vh.status).toBe(200);
    expect(Object.keys(vh.body.checks).sort()).toEqual(['chain', 'lifecycle', 'step', 'weights']);
    // The bound: max(60 s, 10 × (step_interval + timeout)) = 60 s here.
    expect(vh.body.checks.step).toMatchObject({ ok: true, boundSeconds: 60 });
    expect(vh.body.checks.step!.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(vh.body.checks.weights).toMatchObject({
      ok: true,
      lastWeightsBlock: weights[0]!.block,
      temposWithout: 0,
      boundTempos: 3,
    });

    // The miner's axon requests by synapse and status, read from the transport at the scrape.
    const ml = 'role="miner",netuid="1"';
    const mm = await metrics(m.statusPort);
    expect(mm.get(`subnetkit_axon_requests_total{synapse="Double",status="200",${ml}}`)).toBe(
      (m.status().requests as { served: number }).served,
    );
    expect(
      mm.get(`subnetkit_axon_requests_total{synapse="Double",status="200",${ml}}`),
    ).toBeGreaterThan(0);
    expect(
      mm.get(`subnetkit_axon_request_duration_ms_count{synapse="Double",${ml}}`),
    ).toBeGreaterThan(0);
    expect(
      mm.get(`subnetkit_axon_request_duration_ms_bucket{synapse="Double",le="+Inf",${ml}}`),
    ).toBe(mm.get(`subnetkit_axon_request_duration_ms_count{synapse="Double",${ml}}`));
    expect(mm.get(`subnetkit_chain_connected{${ml}}`)).toBe(1);
    expect(mm.get(`subnetkit_chain_reconnects_total{${ml}}`)).toBe(0);
    expect(mm.get(`subnetkit_block{${ml}}`)).toBeGreaterThan(0);

    // The validator's steps and weights by outcome.
    const vl = 'role="validator",netuid="1"';
    const vm = await metrics(v.statusPort);
    expect(vm.get(`subnetkit_weights_submissions_total{outcome="set",${vl}}`)).toBe(weights.length);
    expect(vm.get(`subnetkit_weights_submissions_total{outcome="failed",${vl}}`)).toBe(0);
    expect(vm.get(`subnetkit_validator_steps_total{${vl}}`)).toBeGreaterThan(0);
    expect(vm.get(`subnetkit_validator_step_duration_seconds_count{${vl}}`)).toBe(
      vm.get(`subnetkit_validator_steps_total{${vl}}`),
    );
    expect(vm.get(`subnetkit_validator_step_duration_seconds_sum{${vl}}`)).toBeGreaterThan(0);
    expect(vm.get(`subnetkit_tempos_without_weights{${vl}}`)).toBe(0);
    expect(vm.get(`subnetkit_last_weights_block{${vl}}`)).toBe(weights[0]!.block);

    // The chain goes away: both say 503 and name the chain; the rest still holds.
    await net.close();
    net = undefined;
    const mDown = await until('the miner to see the chain gone', async () => {
      const h = await health(m.statusPort);
      return h.status === 503 ? h : undefined;
    });
    expect(mDown.body.ok).toBe(false);
    expect(mDown.body.failing).toEqual(['chain']);
    expect(mDown.body.checks.chain!.reason).toContain('not connected');
    expect(mDown.body.checks.axon!.ok).toBe(true);
    const vDown = await until('the validator to see the chain gone', async () => {
      const h = await health(v.statusPort);
      return h.status === 503 ? h : undefined;
    });
    expect(vDown.body.failing).toContain('chain');
    expect((await metrics(v.statusPort)).get(`subnetkit_chain_connected{${vl}}`)).toBe(0);
  }, 20_000);
});
