/**
 * Where a text miner's answers come from. `reference` runs the reference model here (offline,
 * the default): exact tokens, logprobs and usage, so its answers pass the validator's audit and
 * its seeded regeneration.
 */
import type { MinerBackend } from '@subnetkit/neuron';
import { TextSubnetError } from '../errors.js';
import type { ReferenceModel } from '../model/ngram.js';
import { type ChatMessage, generate } from '../model/sampling.js';
import type { StreamEvent } from '../stream/events.js';

/** One generation request, as the miner received it. */
export interface TextRequest {
  messages: ChatMessage[];
  model: string;
  /** 32 bytes. */
  seed: Uint8Array;
  temperature: number;
  topK: number;
  topP: number;
  maxTokens: number;
  logprobs: number;
  /** Seconds the caller waits for the whole answer. */
  timeoutS: number;
}

export interface TextBackend extends MinerBackend {
  /** The events of one answer (pieces, then the done event); ends early when `signal` aborts. */
  stream(request: TextRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
}

/** The id validators ask for when they want the reference model: its version, 16 hex digits. */
export function referenceModelId(model: ReferenceModel): string {
  return `subnetkit-kn4-${model.versionHash.slice(0, 16)}`;
}

/** The offline default: the reference model, one token per piece. */
export class ReferenceBackend implements TextBackend {
  readonly name = 'reference';
  readonly modelId: string;

  constructor(readonly model: ReferenceModel) {
    this.modelId = referenceModelId(model);
  }

  async *stream(request: TextRequest, signal: AbortSignal): AsyncGenerator<StreamEvent> {
    if (request.model !== this.modelId) {
      throw new TextSubnetError(
        'MODEL_NOT_SERVED',
        `model ${JSON.stringify(request.model)} is not served here (the reference backend serves ${this.modelId})`,
        { field: 'model' },
      );
    }
    const steps = generate({
      model: this.model,
      prompt: { messages: request.messages },
      seed: request.seed,
      temperature: request.temperature,
      topK: request.topK,
      topP: request.topP,
      maxTokens: request.maxTokens,
      logprobs: request.logprobs,
    });
    for (;;) {
      if (signal.aborted) return;
      const next = steps.next();
      if (next.done) {
        const g = next.value;
        yield {
          done: true,
          finish_reason: g.finishReason,
          usage: {
            prompt_tokens: g.usage.promptTokens,
            completion_tokens: g.usage.completionTokens,
          },
          model: this.modelId,
        };
        return;
      }
      const t = next.value;
      yield {
        text: t.text,
        tokens: [t.token],
        logprobs: [t.logprob],
        top_logprobs: [t.top.map((x) => [x.token, x.logprob] as [number, number])],
      };
    }
  }
}
