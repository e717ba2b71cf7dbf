import { MINER_KINDS, type MinerKind, type MinerPlan } from './options.js';

/** One neuron of the market as planned before anything starts. */
export interface NeuronSlot {
  /** Hotkey name in the market wallet, and the process/log name: `validator`, `honest-1`. */
  name: string;
  role: 'validator' | 'miner';
  kind: MinerKind | 'validator';
  /** Loopback address it binds and publishes (subtensor refuses 127.0.0.1). */
  ip: string;
}

/**
 * The market's neurons: the validator on 127.0.0.2, then miners by kind on 127.0.0.3, …
 * (every loopback address but 127.0.0.1 reaches this host on Linux and is accepted by
 * `serve_axon`).
 */
export function planNeurons(miners: MinerPlan): NeuronSlot[] {
  const slots: NeuronSlot[] = [
    { name: 'validator', role: 'validator', kind: 'validator', ip: '127.0.0.2' },
  ];
  let host = 3;
  for (const kind of MINER_KINDS) {
    for (let i = 1; i <= miners[kind]; i++) {
      slots.push({ name: `${kind}-${i}`, role: 'miner', kind, ip: `127.0.0.${host++}` });
    }
  }
  return slots;
}
