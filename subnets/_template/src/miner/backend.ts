import type { MinerBackend } from '@subnetkit/neuron';
import { z } from 'zod';

/** Where the template miner's answers come from. */
export interface DummyBackend extends MinerBackend {
  answer(input: number, signal: AbortSignal): Promise<number>;
}

/** The offline default: the Python template's `dummy_output = dummy_input * 2`, here. */
export class OfflineBackend implements DummyBackend {
  readonly name = 'offline';
  async answer(input: number): Promise<number> {
    return input * 2;
  }
}

const httpAnswer = z.object({ dummy_output: z.int() });

/**
 * An HTTP backend, the shape a real model or API server takes: `POST url` with
 * `{"dummy_input": n}`, expecting `{"dummy_output": m}`. A non-200 status or a malformed
 * reply throws (the axon then answers 500, and the validator counts a failure).
 */
export class HttpBackend implements DummyBackend {
  readonly name = 'http';
  constructor(readonly url: string) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`template.backend_url: must be http(s), got ${parsed.protocol}`);
    }
  }

  async answer(input: number, signal: AbortSignal): Promise<number> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dummy_input: input }),
      signal,
    });
    if (!res.ok) throw new Error(`backend ${this.url} answered ${res.status}`);
    const parsed = httpAnswer.safeParse(await res.json());
    if (!parsed.success) throw new Error(`backend ${this.url}: reply is not {"dummy_output": int}`);
    return parsed.data.dummy_output;
  }
}
