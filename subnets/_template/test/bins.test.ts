// The bins as separate processes, exactly as the local market (tooling/demo) starts them:
// `node --conditions=@subnetkit/source --import tsx src/{miner,validator}/main.ts [flags]`
// against a localnet served over WebSocket, with btcli-layout wallets on disk.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  createDevWallet,
  type DevWallet,
  startLocalnet,
  type TestLocalnet,
  tempDir,
} from '@subnetkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function start(bin: 'miner' | 'validator', args: string[]) {
  const child = spawn(
    process.execPath,
    ['--conditions=@subnetkit/source', '--import', 'tsx', `src/${bin}/main.ts`, ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BT_WALLET_PATH: '' } },
  );
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, output: () => output };
}

/** The status port from the startup log line (JSON logs: `"status":PORT`). */
function statusPortOf(output: string): number | undefined {
  const m = /"status":(\d+)/.exec(output);
  return m ? Number(m[1]) : undefined;
}

async function status(port: number): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/status`);
    return res.ok ? ((await res.json()) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function until<T>(
  what: string,
  f: () => Promise<T | undefined>,
  ms: number,
  log?: () => string,
) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log?.() ?? ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('template bins as processes (the demo contract)', () => {
  let ln: TestLocalnet;
  let wallets: DevWallet[];
  let state: Awaited<ReturnType<typeof tempDir>>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    ln = await startLocalnet({ netuid: 1, port: 0 });
    state = await tempDir('template-bins-');
    wallets = [
      await createDevWallet({ path: state.path, name: 'validator', coldkeyUri: '//Alice' }),
      await createDevWallet({ path: state.path, name: 'miner', coldkeyUri: '//Bob' }),
    ];
    await ln.register(wallets[0]!.hotkey, wallets[0]!.coldkey);
    await ln.register(wallets[1]!.hotkey, wallets[1]!.coldkey);
    await ln.stake(wallets[0]!.hotkey, 1000);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await ln?.close();
    await state?.cleanup();
  });

  it('miner and validator processes: status served, weights on chain, clean exit on SIGTERM', async () => {
    const common = [
      '--netuid',
      '1',
      '--subtensor.chain_endpoint',
      ln.url!,
      '--logging.format',
      'json',
    ];
    const miner = start('miner', [
      ...common,
      ...wallets[1]!.flags,
      '--axon.ip',
      '127.0.0.2',
      '--axon.external_ip',
      '127.0.0.2',
      '--axon.port',
      '0',
      '--status.port',
      '0',
      '--neuron.full_path',
      `${state.path}/miner-state`,
    ]);
    children.push(miner.child);
    const minerStatus = await until(
      'miner start',
      async () => statusPortOf(miner.output()),
      60_000,
      miner.output,
    );
    const m = (await status(minerStatus))!;
    expect(m).toMatchObject({ role: 'miner', uid: 2, hotkey: wallets[1]!.hotkey.ss58Address });
    expect((m.axon as { externalIp: string }).externalIp).toBe('127.0.0.2');

    const validator = start('validator', [
      ...common,
      ...wallets[0]!.flags,
      '--status.port',
      '0',
      '--neuron.full_path',
      `${state.path}/validator-state`,
      '--neuron.epoch_length',
      '5',
      '--neuron.step_interval',
      '0.2',
      '--neuron.timeout',
      '2',
    ]);
    children.push(validator.child);
    const validatorStatus = await until(
      'validator start',
      async () => statusPortOf(validator.output()),
      60_000,
      validator.output,
    );
    const v = await until(
      'validator status with weights',
      async () => {
        const s = await status(validatorStatus);
        return s && typeof s.lastWeightsBlock === 'number' ? s : undefined;
      },
      45_000,
      validator.output,
    );
    expect(v).toMatchObject({ role: 'validator', uid: 1, netuid: 1 });
    expect((v.scores as { top: Array<{ uid: number }> }).top[0]!.uid).toBe(2);
    const row = (await ln.chain.getWeights(1)).get(1);
    expect(row).toEqual([[2, 65535]]);
    const served = await status(minerStatus);
    expect((served!.requests as { served: number }).served).toBeGreaterThan(0);

    miner.child.kill('SIGTERM');
    validator.child.kill('SIGTERM');
    expect(await miner.exited).toBe(0);
    expect(await validator.exited).toBe(0);
  }, 150_000);
});
