import { join } from 'node:path';
import { fetchStatus } from '../status.js';
import { nodeSourceArgs } from '../supervisor.js';
import { sleep } from './abort.js';
import type { NeuronPorts, Neurons } from './prepare.js';
import type { MarketRun, Running, SubnetRun } from './types.js';

/** Seconds a miner has to answer: short, so a slow miner costs the validator little. */
const VALIDATOR_TIMEOUT_S = 2;
/** Seconds between validator steps (the Python template's 5 s is long for 250 ms blocks). */
const VALIDATOR_STEP_INTERVAL_S = 1;

/** Blocks between the validator's weight settings: twice per tempo, above the rate limit. */
export function validatorEpochLength(tempo: number): number {
  return Math.max(2, Math.floor(tempo / 2));
}

/** How long validators wait for the miners to come up before they start anyway. */
const MINERS_UP_TIMEOUT_MS = 60_000;

/**
 * Starts every neuron that has an entry as its own process (group) under the supervisor: the
 * miners first, then, once each miner answers `/status` (its axon is served and published) or
 * has exited, the validators. A validator that started first would miss the late miners in its
 * first steps, and an EMA that starts from 0 would favour whoever it queried more often.
 */
export async function startNeurons(
  market: MarketRun,
  chainUrl: string,
  neurons: Neurons,
): Promise<void> {
  market.phase(
    'starting',
    `starting ${market.running.filter((r) => r.slot.entry !== null).length} neuron processes`,
  );
  const all = neurons.runs.flatMap((run) => run.neurons.map((r) => ({ run, r })));
  const miners = all.filter(({ r }) => r.slot.role === 'miner' && r.slot.entry !== null);
  for (const { run, r } of miners) spawnNeuron(market, chainUrl, neurons, run, r);
  await minersUp(
    miners.map(({ r }) => r),
    market.signal,
  );
  market.say('  every miner is up: starting the validators');
  for (const { run, r } of all) {
    if (r.slot.role === 'validator' && r.slot.entry !== null) {
      spawnNeuron(market, chainUrl, neurons, run, r);
    }
  }
}

/**
 * Resolves once every miner answers `/status` or has exited (or after the timeout); rejects
 * when the run aborts.
 */
async function minersUp(miners: readonly Running[], signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + MINERS_UP_TIMEOUT_MS;
  const waiting = new Set(miners);
  while (waiting.size > 0 && Date.now() < deadline) {
    await Promise.all(
      [...waiting].map(async (r) => {
        const exited = r.child === null || r.view.state === 'exited';
        if (exited || (await fetchStatus(r.view.statusPort ?? 0, 500))) waiting.delete(r);
      }),
    );
    if (waiting.size > 0) await sleep(200, signal);
  }
}

function spawnNeuron(
  market: MarketRun,
  chainUrl: string,
  neurons: Neurons,
  run: SubnetRun,
  r: Running,
): void {
  const args = [
    ...commonArgs(market, r, neurons.wallets, chainUrl, neurons.ports.get(r.slot.id)!),
    ...(r.slot.role === 'validator'
      ? validatorArgs(market, run, neurons.wallets)
      : ['--axon.wires', r.slot.wire]),
    ...r.slot.args,
    ...(market.components.neuronArgs?.(r.slot) ?? []),
  ];
  r.child = market.supervisor.spawn({
    name: r.slot.id,
    command: process.execPath,
    args: nodeSourceArgs(r.slot.entry!, args),
    cwd: market.root,
    logFile: join(market.dir, 'logs', `${r.slot.id}.log`),
  });
  market.components.onChild?.(r.child.pid, r.slot.id);
  r.view.state = 'starting';
}

/** The flags every neuron gets, named as in the Python SDK. */
function commonArgs(
  market: MarketRun,
  r: Running,
  wallets: Neurons['wallets'],
  chainUrl: string,
  ports: NeuronPorts,
): string[] {
  return [
    '--netuid',
    String(r.slot.netuid),
    '--wallet.name',
    wallets.name,
    '--wallet.hotkey',
    r.slot.id,
    '--wallet.path',
    wallets.path,
    '--subtensor.chain_endpoint',
    chainUrl,
    '--axon.ip',
    r.slot.ip,
    '--axon.external_ip',
    r.slot.ip,
    '--axon.port',
    String(ports.axon),
    '--status.port',
    String(ports.status),
    '--neuron.full_path',
    join(market.dir, 'state', r.slot.id),
    '--logging.format',
    'json',
  ];
}

/**
 * A validator's pace (its weights twice a tempo, every miner sampled, short timeouts) and the
 * wire each miner speaks.
 */
function validatorArgs(market: MarketRun, run: SubnetRun, wallets: Neurons['wallets']): string[] {
  const minerWires = run.neurons
    .filter((r) => r.slot.role === 'miner' && r.slot.wire !== 'synapse')
    .map((r) => `${wallets.hotkeys.get(r.slot.id)!.ss58Address}=${r.slot.wire}`);
  return [
    ...(minerWires.length > 0 ? ['--neuron.miner_wires', minerWires.join(',')] : []),
    '--neuron.epoch_length',
    String(validatorEpochLength(market.options.tempo)),
    '--neuron.sample_size',
    String(run.minerCount),
    '--neuron.timeout',
    String(VALIDATOR_TIMEOUT_S),
    '--neuron.step_interval',
    String(VALIDATOR_STEP_INTERVAL_S),
  ];
}
