import type { NeuronConfig } from '../../config/schema.js';
import { checkRegistration } from '../registration.js';
import type { ValidatorNode } from './types.js';

/** Re-reads the metagraph and the hyperparameters, and notes a deregistration. */
export async function syncMetagraph<C extends NeuronConfig>(v: ValidatorNode<C>): Promise<void> {
  await v.chainWatch.checkGenesis();
  const m = await v.chain.getMetagraph(v.netuid);
  v.metagraph = m;
  v.hyper = m.hyperparameters ?? (await v.chain.getHyperparameters(v.netuid));
  v.lastSync = m.block;
  checkRegistration(v, m);
}
