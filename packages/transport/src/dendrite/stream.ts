// Streaming calls: the reply's chunks as an async iterable (text decoded without splitting a
// character, or bytes), capped in length, then the final synapse as `result`.
import type { AnySynapse } from '../synapse.js';
import type { DendriteCall } from './call.js';
import { Failure } from './failure.js';
import type { DendriteStream, QueryResult } from './types.js';

/** Wraps a call in a `DendriteStream`; the request goes out when iteration starts. */
export function streamCall<S extends AnySynapse>(
  run: () => DendriteCall<S>,
  maxStreamBytes: number,
  decode: 'text' | 'bytes' | undefined,
): DendriteStream<S> {
  let resolveResult!: (r: QueryResult<S>) => void;
  const result = new Promise<QueryResult<S>>((resolve) => {
    resolveResult = resolve;
  });
  const generator = async function* () {
    const call = run();
    let finished = false;
    let bytes = 0;
    const decoder = decode === 'bytes' ? undefined : new TextDecoder('utf-8', { fatal: false });
    try {
      const response = await call.response();
      if (response.statusCode !== 200) {
        resolveResult(call.finishError(await call.replyOf(response)));
        finished = true;
        return;
      }
      const axonTerm = (() => {
        try {
          return call.axonFromHeaders(response.headers, 200);
        } catch (err) {
          response.body.destroy();
          throw err;
        }
      })();
      try {
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          if (bytes > maxStreamBytes) {
            throw new Failure(
              'STREAM_TOO_LONG',
              422,
              `Failed to parse response: stream over ${maxStreamBytes} bytes`,
            );
          }
          if (decoder) {
            const text = decoder.decode(chunk, { stream: true });
            if (text) yield text;
          } else {
            yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          }
        }
      } catch (err) {
        throw call.mapError(err, 'STREAM_CUT');
      }
      if (decoder) {
        const tail = decoder.decode();
        if (tail) yield tail;
      }
      resolveResult(call.finishStream(response, axonTerm));
      finished = true;
    } catch (err) {
      resolveResult(call.fail(err));
      finished = true;
    } finally {
      if (!finished) {
        // The caller stopped iterating early.
        call.abort();
        resolveResult(call.fail(new Failure('CANCELLED', 499, 'Stream cancelled by the caller')));
      }
    }
  };
  const iterable = generator();
  return {
    result,
    [Symbol.asyncIterator]: () => iterable,
  };
}
