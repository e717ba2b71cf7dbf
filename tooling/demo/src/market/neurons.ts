import { join } from 'node:path';
import { nodeSourceArgs } from '../supervisor.js';
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

/** Starts every neuron that has an entry as its own process (group) under the supervisor. */
export function startNeurons(market: MarketRun, chainUrl: string, neurons: Neurons): void {
  market.phase(
    'starting',
    `starting ${market.running.filter((r) => r.slot.entry !== null).length} neuron processes`,
  );
  for (const run of neurons.runs) {
    for (const r of run.neurons) {
      if (r.slot.entry === null) continue;
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
        args: nodeSourceArgs(r.slot.entry, args),
        cwd: market.root,
        logFile: join(market.dir, 'logs', `${r.slot.id}.log`),
      });
      market.components.onChild?.(r.child.pid, r.slot.id);
      r.view.state = 'starting';
    }
  }
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
