import { join } from 'node:path';
import { expandHome } from '@subnetkit/wallet';

/** The fields {@link neuronStateDir} reads (any config built on the neuron schema has them). */
export interface StateDirConfig {
  netuid: number;
  wallet: { name: string; hotkey: string };
  neuron: { name: string; fullPath?: string | undefined };
  logging: { loggingDir: string };
}

/**
 * Where a neuron keeps its state, secret, evidence and log file: `--neuron.full_path` when set,
 * else the Python template's `{logging_dir}/{wallet.name}/{wallet.hotkey}/netuid{netuid}/{neuron.name}`
 * (`~` expanded).
 */
export function neuronStateDir(config: StateDirConfig, home?: string): string {
  if (config.neuron.fullPath) return expandHome(config.neuron.fullPath, home);
  return join(
    expandHome(config.logging.loggingDir, home),
    config.wallet.name,
    config.wallet.hotkey,
    `netuid${config.netuid}`,
    config.neuron.name,
  );
}
