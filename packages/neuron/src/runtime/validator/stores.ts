import { join } from 'node:path';
import { createDendrite } from '@subnetkit/transport';
import type { NeuronConfig } from '../../config/schema.js';
import { parseMinerWires } from '../../config/wires.js';
import { ARTIFACTS_DIR, ArtifactStore } from '../../evidence/artifacts.js';
import { EvidenceLog } from '../../evidence/log.js';
import { loadOrCreateSecret } from '../../evidence/seeds.js';
import type { StartedNeuron } from '../startup.js';
import type { ValidatorStores } from './types.js';

/** Opens the secret (warning when others can read it), the evidence log, the artifact store and the dendrite (speaking `--neuron.wire`, or a miner's own wire). */
export async function openStores<C extends NeuronConfig>(
  started: StartedNeuron<C>,
  stateDir: string,
): Promise<ValidatorStores> {
  const { config, logger, cleanups } = started;
  const secret = await loadOrCreateSecret(stateDir);
  if (secret.looseMode) {
    logger.warn(
      { path: secret.path },
      `validator secret is readable by others: chmod 600 ${secret.path}`,
    );
  }
  const evidence = new EvidenceLog({ dir: stateDir });
  cleanups.push(() => evidence.close());
  const artifacts =
    config.neuron.artifactsMaxMb > 0
      ? new ArtifactStore({
          dir: join(stateDir, ARTIFACTS_DIR),
          maxBytes: config.neuron.artifactsMaxMb * 1024 * 1024,
          maxAgeMs: config.neuron.artifactsMaxAgeHours * 3600 * 1000,
        })
      : null;
  const minerWires = parseMinerWires(config.neuron.minerWires);
  const dendrite = createDendrite(
    { keypair: started.hotkey, wire: config.neuron.wire },
    { logger: logger.child({ component: 'dendrite' }) },
  );
  cleanups.push(() => dendrite.close());
  return { secret, evidence, artifacts, dendrite, minerWires, wireWarned: new Set() };
}
