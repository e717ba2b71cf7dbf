import { describe, expect, it } from 'vitest';
import { createLifecycle, NeuronError, neuronConfigSchema, runNeuronCli } from '../src/index.js';

function fakeProcess(argv: string[]) {
  const out = {
    stdout: '',
    stderr: '',
    exits: [] as number[],
    signals: new Map<string, unknown>(),
  };
  const proc = {
    argv: ['node', 'main.js', ...argv],
    env: {},
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
    exit: (code: number) => out.exits.push(code),
    on: (s: string, l: unknown) => out.signals.set(s, l),
    off: (s: string) => out.signals.delete(s),
  };
  return { proc, out };
}

describe('runNeuronCli', () => {
  it('prints --help and exits 0 without starting', async () => {
    const { proc, out } = fakeProcess(['--help']);
    let started = false;
    await runNeuronCli(
      {
        schema: neuronConfigSchema,
        programName: 'x-miner',
        start: async () => {
          started = true;
          return { lifecycle: createLifecycle() };
        },
      },
      proc,
    );
    expect(out.exits).toEqual([0]);
    expect(out.stdout).toContain('--neuron.step_interval');
    expect(started).toBe(false);
  });

  it('a bad flag exits 2 naming it; a startup error exits 1 with its code and message', async () => {
    const bad = fakeProcess(['--axon.port', '70000']);
    await runNeuronCli(
      {
        schema: neuronConfigSchema,
        programName: 'x',
        start: async () => ({ lifecycle: createLifecycle() }),
      },
      bad.proc,
    );
    expect(bad.out.exits).toEqual([2]);
    expect(bad.out.stderr).toContain('axon.port');

    const unregistered = fakeProcess(['--netuid', '3']);
    await runNeuronCli(
      {
        schema: neuronConfigSchema,
        programName: 'x',
        start: async (config) => {
          throw new NeuronError('NOT_REGISTERED', `not registered on subnet ${config.netuid}`);
        },
      },
      unregistered.proc,
    );
    expect(unregistered.out.exits).toEqual([1]);
    expect(unregistered.out.stderr).toBe('x [NOT_REGISTERED]: not registered on subnet 3\n');
  });

  it('installs SIGINT/SIGTERM handlers that shut the neuron down gracefully', async () => {
    const { proc, out } = fakeProcess([]);
    const lifecycle = createLifecycle();
    let stopped = false;
    lifecycle.onShutdown('stop', 'x', () => {
      stopped = true;
    });
    await runNeuronCli(
      { schema: neuronConfigSchema, programName: 'x', start: async () => ({ lifecycle }) },
      proc,
    );
    expect([...out.signals.keys()].sort()).toEqual(['SIGINT', 'SIGTERM']);
    (out.signals.get('SIGTERM') as (s: string) => void)('SIGTERM');
    await lifecycle.shutdown();
    await new Promise((r) => setTimeout(r, 10));
    expect(stopped).toBe(true);
    expect(out.exits).toEqual([0]);
  });

  it('a shutdown the neuron starts itself (the chain changed) exits with its code, once', async () => {
    const { proc, out } = fakeProcess([]);
    const lifecycle = createLifecycle();
    await runNeuronCli(
      { schema: neuronConfigSchema, programName: 'x', start: async () => ({ lifecycle }) },
      proc,
    );
    await lifecycle.shutdown('chain changed', { exitCode: 1 });
    await new Promise((r) => setTimeout(r, 10));
    expect(out.exits).toEqual([1]);
    // A signal arriving after it changes nothing.
    (out.signals.get('SIGTERM') as ((s: string) => void) | undefined)?.('SIGTERM');
    await new Promise((r) => setTimeout(r, 10));
    expect(out.exits).toEqual([1]);
  });
});
