/** The misbehaving miners the suite runs next to the honest ones, built from the honest one. */
import type { StreamChunk } from '@subnetkit/transport';
import type { AnyMiner, Subject } from './subjects.js';
import { untilAborted } from './wire.js';

type Forward = AnyMiner['forward'];

function withForward(subject: Subject, forward: Forward): AnyMiner {
  return { ...subject.createMiner(), forward };
}

async function collect(source: unknown): Promise<StreamChunk[]> {
  const chunks: StreamChunk[] = [];
  for await (const c of source as AsyncIterable<StreamChunk>) chunks.push(c);
  return chunks;
}

async function* replay(chunks: readonly StreamChunk[]): AsyncGenerator<StreamChunk> {
  for (const c of chunks) yield c;
}

/** The honest miner with its answers replaced by the subject's wrong answer. */
export function wrongMiner(subject: Subject): AnyMiner {
  const honest = subject.createMiner();
  return withForward(subject, async (input, ctx) => {
    const answer = await honest.forward(input, ctx);
    if (!subject.protocol.streaming) return subject.wrong(input, answer) as never;
    const wrong = subject.wrong(input, await collect(answer)) as StreamChunk[];
    return replay(wrong) as never;
  });
}

/** A miner that never answers before the deadline (for a stream: never sends a chunk). */
export function slowMiner(subject: Subject): AnyMiner {
  return withForward(subject, async (_input, ctx) => {
    await untilAborted(ctx.signal);
    throw new Error('compliance: slow miner gave up');
  });
}

/** A stream that sends its first honest chunk, then fails: the axon cuts the connection. */
export function cutStreamMiner(subject: Subject): AnyMiner {
  const honest = subject.createMiner();
  return withForward(subject, async (input, ctx) => {
    const chunks = await collect(await honest.forward(input, ctx));
    return (async function* () {
      if (chunks[0] !== undefined) yield chunks[0];
      await new Promise((r) => setTimeout(r, 50));
      throw new Error('compliance: stream cut mid-way');
    })() as never;
  });
}

/** A stream that sends its first honest chunk, then nothing until the caller hangs up. */
export function stalledStreamMiner(subject: Subject): AnyMiner {
  const honest = subject.createMiner();
  return withForward(subject, async (input, ctx) => {
    const chunks = await collect(await honest.forward(input, ctx));
    return (async function* () {
      if (chunks[0] !== undefined) yield chunks[0];
      await untilAborted(ctx.signal);
    })() as never;
  });
}

/** A stream that sends the honest chunks, then filler until the caller hangs up (or 2× `cap`). */
export function oversizedStreamMiner(subject: Subject, cap: number): AnyMiner {
  const honest = subject.createMiner();
  return withForward(subject, async (input, ctx) => {
    const chunks = await collect(await honest.forward(input, ctx));
    return (async function* () {
      let sent = 0;
      for (const c of chunks) {
        sent += typeof c === 'string' ? Buffer.byteLength(c) : c.byteLength;
        yield c;
      }
      const filler = ' '.repeat(64 * 1024);
      while (sent <= 2 * cap && !ctx.signal.aborted) {
        sent += filler.length;
        yield filler;
      }
    })() as never;
  });
}
