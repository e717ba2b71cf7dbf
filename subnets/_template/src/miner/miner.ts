import type { MinerDefinition } from '@subnetkit/neuron';
import type { TemplateConfig } from '../config.js';
import { Dummy } from '../protocol.js';
import { type DummyBackend, HttpBackend, OfflineBackend } from './backend.js';

export type TemplateFault = TemplateConfig['template']['fault'];

/** The backend `--template.backend` asks for. */
export function backendFromConfig(config: TemplateConfig): DummyBackend {
  if (config.template.backend === 'http') {
    if (!config.template.backendUrl) {
      throw new Error('--template.backend http needs --template.backend_url URL');
    }
    return new HttpBackend(config.template.backendUrl);
  }
  return new OfflineBackend();
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * The template miner: answers `Dummy` from its backend. The default blacklist (unregistered
 * callers refused; `--blacklist.*`) and priority (caller stake) come from the runtime.
 *
 * `fault` is a demo/test aid (`--template.fault`): `wrong` answers off by one, `slow` never
 * answers before the request times out, `garbage` answers with an empty output.
 */
export function createTemplateMiner(
  backend: DummyBackend,
  fault: TemplateFault = 'none',
): MinerDefinition<typeof Dummy, DummyBackend, TemplateConfig> {
  return {
    protocol: Dummy,
    backend,
    async forward(input, ctx) {
      if (fault === 'slow') {
        await untilAborted(ctx.signal);
        throw new Error('fault "slow": no answer before the timeout');
      }
      if (fault === 'garbage') return { dummy_output: null };
      const answer = await ctx.backend.answer(input.dummy_input, ctx.signal);
      return { dummy_output: fault === 'wrong' ? answer + 1 : answer };
    },
  };
}
