import type { MinerDefinition } from '@subnetkit/neuron';
import type { TextConfig } from '../config.js';
import { TextSubnetError } from '../errors.js';
import { loadReferenceModel } from '../model/load.js';
import { TextGeneration } from '../protocol.js';
import { solveTask } from '../solver/index.js';
import { encodeEvent } from '../stream/events.js';
import { ReferenceBackend, type TextBackend } from './backend.js';
import { OpenAIChatBackend } from './openai-backend.js';

/** The backend `--text.backend` asks for. */
export function backendFromConfig(config: TextConfig): TextBackend {
  const c = config.text;
  if (c.backend === 'reference')
    return new ReferenceBackend(loadReferenceModel(), { solve: solveTask });
  if (!c.backendUrl) {
    throw new TextSubnetError(
      'INVALID_ARGUMENT',
      '--text.backend openai needs --text.backend_url URL',
      { field: 'text.backend_url' },
    );
  }
  return new OpenAIChatBackend({
    url: c.backendUrl,
    timeoutS: c.backendTimeout,
    ...(c.backendModel ? { model: c.backendModel } : {}),
    ...(c.backendKey ? { key: c.backendKey } : {}),
  });
}

/**
 * The text miner: streams its backend's answer as newline-delimited JSON events. The default
 * blacklist and priority come from the runtime.
 */
export function createTextMiner(
  backend: TextBackend,
): MinerDefinition<typeof TextGeneration, TextBackend, TextConfig> {
  return {
    protocol: TextGeneration,
    backend,
    async *forward(input, ctx) {
      const events = ctx.backend.stream(
        {
          messages: input.messages,
          model: input.model,
          seed: new Uint8Array(Buffer.from(input.seed, 'hex')),
          temperature: input.temperature,
          topK: input.top_k,
          topP: input.top_p,
          maxTokens: input.max_tokens,
          logprobs: input.logprobs,
          timeoutS: ctx.timeout,
        },
        ctx.signal,
      );
      for await (const event of events) yield encodeEvent(event);
    },
  };
}
