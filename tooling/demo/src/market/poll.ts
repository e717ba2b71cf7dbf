import { fetchStatus, scoresFromStatus, servedFromStatus } from '../status.js';
import type { SubnetRun } from './types.js';

/** Reads every running neuron's `GET /status`, then each miner's score from its validator's. */
export async function pollStatuses(runs: readonly SubnetRun[]): Promise<void> {
  const all = runs.flatMap((run) => run.neurons);
  await Promise.all(
    all.map(async (r) => {
      if (!r.view.statusPort || r.child === null || r.view.state === 'exited') return;
      const status = await fetchStatus(r.view.statusPort, 800);
      if (status) {
        r.status = status;
        r.view.state = 'up';
        r.view.step = typeof status.step === 'number' ? status.step : null;
        r.view.lastWeightsBlock = status.lastWeights?.block ?? null;
        r.view.served = servedFromStatus(status);
      } else if (r.view.state === 'up') {
        r.view.state = 'unreachable';
      }
    }),
  );
  for (const run of runs) {
    const scores = scoresFromStatus(run.validator.status);
    for (const r of run.neurons) {
      if (r.slot.role === 'miner' && r.view.uid !== null) {
        r.view.score = scores.get(r.view.uid) ?? null;
      }
    }
  }
}
