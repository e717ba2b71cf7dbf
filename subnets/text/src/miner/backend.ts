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

/** The model field of a task any model may answer. */
export const ANY_MODEL = 'any';

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

/** Answers a task any model may answer (`model: "any"`) from its messages alone. */
export type TextSolver = (messages: readonly ChatMessage[]) => string;

/** The model id a miner reports for answers its solver wrote. */
export const SOLVER_MODEL_ID = 'subnetkit-extractive-solver';

/**
 * The offline default: the reference model for verified inference (one token per piece), and
 * for tasks any model may answer, the extractive `solver` (one word per piece).
 */
export class ReferenceBackend implements TextBackend {
  readonly name = 'reference';
  readonly modelId: string;
  readonly #solve: TextSolver | undefined;

  constructor(
    readonly model: ReferenceModel,
    options: { solve?: TextSolver } = {},
  ) {
    this.modelId = referenceModelId(model);
    this.#solve = options.solve;
  }

  async *stream(request: TextRequest, signal: AbortSignal): AsyncGenerator<StreamEvent> {
    if (request.model === ANY_MODEL && this.#solve) {
      yield* this.#solved(request, signal);
      return;
    }
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

  async *#solved(request: TextRequest, signal: AbortSignal): AsyncGenerator<StreamEvent> {
    const answer = this.#solve!(request.messages);
    const words = answer.match(/\S+\s*/g) ?? [];
    for (const w of words) {
      if (signal.aborted) return;
      yield { text: w };
    }
    yield {
      done: true,
      finish_reason: 'stop',
      // Counted with the reference tokenizer (the validator recounts what it needs).
      usage: {
        prompt_tokens: request.messages.reduce(
          (n, m) => n + this.model.tokenizer.encode(m.content).length + 1,
          0,
        ),
        completion_tokens: this.model.tokenizer.encode(answer).length,
      },
      model: SOLVER_MODEL_ID,
    };
  }
}
