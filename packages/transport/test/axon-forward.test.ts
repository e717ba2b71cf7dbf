// The forward step's deadline and cancellation: the handler's AbortSignal fires with the reason
// (client gone, timeout), and a handler that answers synchronously or asynchronously is served.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Axon } from '../src/index.js';
import { craft, DummySynapse, post, startAxon } from './helpers.js';

const running: Axon[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.stop({ graceMs: 100 })));
});

describe('axon forward step', () => {
  it('aborts the handler signal when the caller disconnects, then keeps serving', async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => {
      entered = r;
    });
    let aborted!: (reason: unknown) => void;
    const reason = new Promise<unknown>((r) => {
      aborted = r;
    });
    const { axon, url } = await startAxon(DummySynapse, {
      forward: (i, ctx) => {
        if (i.dummy_input === 2) return { dummy_output: 4 };
        entered();
        return new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => {
            aborted(ctx.signal.reason);
            reject(ctx.signal.reason);
          });
        });
      },
    });
    running.push(axon);
    const req = craft(DummySynapse, { dummy_input: 1 });
    const head = Object.entries({ ...req.headers, 'content-length': String(req.body.length) })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    const socket = connect(axon.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(`POST /Dummy HTTP/1.1\r\nhost: x\r\n${head}\r\n${req.body}`);
    await inHandler;
    socket.destroy();
    expect(((await reason) as Error).message).toBe('client closed the connection');
    const next = craft(DummySynapse, { dummy_input: 2 });
    const res = await post(url, '/Dummy', next.headers, next.body);
    expect(res.status).toBe(200);
    expect(res.json.dummy_output).toBe(4);
  });

  it('aborts the handler signal with the timeout reason and answers 408', async () => {
    let reason: unknown;
    const { axon, url } = await startAxon(DummySynapse, {
      forward: (_i, ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => {
            reason = ctx.signal.reason;
            reject(ctx.signal.reason);
          });
        }),
    });
    running.push(axon);
    const req = craft(DummySynapse, { dummy_input: 1 }, { timeout: 0.2 });
    const res = await post(url, '/Dummy', req.headers, req.body);
    expect(res.status).toBe(408);
    expect(res.json.message).toBe('Response timeout after: 0.2s');
    expect((reason as Error).message).toBe('handler timeout');
  });

  it('serves a handler that throws synchronously as a 500', async () => {
    const { axon, url } = await startAxon(DummySynapse, {
      forward: () => {
        throw new Error('boom');
      },
    });
    running.push(axon);
    const req = craft(DummySynapse, { dummy_input: 1 });
    const res = await post(url, '/Dummy', req.headers, req.body);
    expect(res.status).toBe(500);
  });

  it('hands a handler that looks at its signal only after the timeout an aborted signal', async () => {
    let late: AbortSignal | undefined;
    let done!: () => void;
    const looked = new Promise<void>((r) => {
      done = r;
    });
    const { axon, url } = await startAxon(DummySynapse, {
      forward: async (_i, ctx) => {
        await new Promise((r) => setTimeout(r, 400));
        late = ctx.signal;
        done();
        return { dummy_output: 1 };
      },
    });
    running.push(axon);
    const req = craft(DummySynapse, { dummy_input: 1 }, { timeout: 0.2 });
    const res = await post(url, '/Dummy', req.headers, req.body);
    expect(res.status).toBe(408);
    await looked;
    expect(late?.aborted).toBe(true);
    expect((late?.reason as Error | undefined)?.message).toBe('handler timeout');
  });

  it('gives the handler one signal, not yet aborted while it runs in time', async () => {
    let same = false;
    let abortedThen = true;
    const { axon, url } = await startAxon(DummySynapse, {
      forward: (_i, ctx) => {
        const first = ctx.signal;
        same = first === ctx.signal;
        abortedThen = ctx.signal.aborted;
        return { dummy_output: 3 };
      },
    });
    running.push(axon);
    const req = craft(DummySynapse, { dummy_input: 1 });
    const res = await post(url, '/Dummy', req.headers, req.body);
    expect(res.status).toBe(200);
    expect(same).toBe(true);
    expect(abortedThen).toBe(false);
  });
});
