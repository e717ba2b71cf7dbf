import type { MinerDefinition } from '@subnetkit/neuron';
import type { TemplateConfig } from '../config.js';
import { Dummy } from '../protocol.js';
import { type DummyBackend, HttpBackend, OfflineBackend } from './backend.js';

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

/**
 * The template miner: answers `Dummy` from its backend. The default blacklist (unregistered
 * callers refused; `--blacklist.*`) and priority (caller stake) come from the runtime.
 */
export function createTemplateMiner(
  backend: DummyBackend,
): MinerDefinition<typeof Dummy, DummyBackend, TemplateConfig> {
  return {
    protocol: Dummy,
    backend,
    async forward(input, ctx) {
      return { dummy_output: await ctx.backend.answer(input.dummy_input, ctx.signal) };
    },
  };
}
