import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { neuronConfigSchema } from '../../config/schema.js';
import { createLifecycle } from '../../lifecycle.js';
import { minerHealth } from '../miner/health.js';
import type { MinerNode } from '../miner/types.js';
import { stepAgeBoundSeconds, validatorHealth } from './health.js';
import type { ValidatorNode } from './types.js';

function config(argv: string[] = []) {
  const r = loadConfig(neuronConfigSchema, { argv: ['--netuid', '1', ...argv], env: {} });
  if (r.help) throw new Error('help');
  return r.config;
}

/** The parts of a validator `/healthz` reads, at a clock the test moves. */
function node(argv: string[] = []) {
  const clock = { now: 1_000_000 };
  const v = {
    config: config(argv),
    chain: { endpoint: 'ws://x', isConnected: true },
    lifecycle: createLifecycle(),
    now: () => clock.now,
    startedAt: clock.now,
    block: 100,
    state: { lastWeightsBlock: null },
    weightsHealth: { temposWithout: 0, blocker: null },
    telemetry: { steps: 0, lastStepAt: null, lastWeightsAt: null },
  };
  return { v, clock, health: validatorHealth(v as unknown as ValidatorNode) };
}

describe('validator /healthz', () => {
  it('the step bound is max(60 s, 10 × (step_interval + timeout))', () => {
    expect(stepAgeBoundSeconds(config())).toBe(Math.max(60, 10 * (5 + 10)));
    expect(
      stepAgeBoundSeconds(config(['--neuron.step_interval', '1', '--neuron.timeout', '2'])),
    ).toBe(60);
  });

  it('before the first step the start counts; a stale step is 503 with its age', () => {
    const { v, clock, health } = node(['--neuron.step_interval', '1', '--neuron.timeout', '2']);
    clock.now += 59_000;
    expect(health()).toMatchObject({ ok: true, checks: { step: { ok: true, ageSeconds: 59 } } });
    clock.now += 2_000;
    const stale = health();
    expect(stale).toMatchObject({ ok: false, failing: ['step'] });
    expect((stale.checks as { step: { reason: string } }).step.reason).toContain('since the start');
    v.telemetry.lastStepAt = (clock.now - 1_000) as never;
    expect(health()).toMatchObject({ ok: true, checks: { step: { ageSeconds: 1 } } });
    clock.now += 61_000;
    const late = health().checks as { step: { ok: boolean; reason: string } };
    expect(late.step.ok).toBe(false);
    expect(late.step.reason).toContain('the last step finished 62 s ago');
  });

  it('weights: 503 at --neuron.weights_warn_tempos without weights, never while disabled', () => {
    const { v, health } = node(['--neuron.weights_warn_tempos', '3']);
    v.weightsHealth.temposWithout = 2;
    expect(health().ok).toBe(true);
    v.weightsHealth.temposWithout = 3;
    v.weightsHealth.blocker = 'no validator permit' as never;
    const r = health();
    expect(r).toMatchObject({ ok: false, failing: ['weights'] });
    expect((r.checks as { weights: { reason: string } }).weights.reason).toContain(
      'no weights have landed for 3 tempos',
    );
    expect((r.checks as { weights: { reason: string } }).weights.reason).toContain(
      'no validator permit',
    );
    const off = node(['--neuron.disable_set_weights']);
    off.v.weightsHealth.temposWithout = 50;
    expect(off.health()).toMatchObject({ ok: true, checks: { weights: { ok: true } } });
  });

  it('a chain that is down, and a lifecycle that is stopping, are each named', async () => {
    const { v, health } = node();
    v.chain.isConnected = false;
    expect(health()).toMatchObject({ ok: false, failing: ['chain'] });
    v.chain.isConnected = true;
    void v.lifecycle.shutdown('test');
    expect(health()).toMatchObject({ ok: false, failing: ['lifecycle'] });
    await v.lifecycle.stopped;
  });
});

describe('miner /healthz', () => {
  it('a chain without isConnected counts as connected; an axon not listening is 503', () => {
    const lifecycle = createLifecycle();
    let listening = true;
    const axon = {
      get port() {
        if (!listening) throw new Error('axon is not listening');
        return 8091;
      },
    };
    const health = minerHealth(
      { chain: { endpoint: 'in-process' }, lifecycle } as unknown as MinerNode,
      axon as never,
    );
    expect(health()).toMatchObject({ ok: true, checks: { axon: { ok: true, port: 8091 } } });
    listening = false;
    expect(health()).toMatchObject({ ok: false, failing: ['axon'] });
  });
});
