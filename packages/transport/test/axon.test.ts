import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type Axon, NonceClock, nowNs, PingSynapse } from '../src/index.js';
import {
  alice,
  axonSignatureHolds,
  bob,
  charlie,
  craft,
  DummySynapse,
  newDendrite,
  post,
  sleep,
  startAxon,
} from './helpers.js';

const running: Axon[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.stop({ graceMs: 100 })));
});

async function dummyAxon(
  options = {},
  forward = (i: { dummy_input: number }) => ({ dummy_output: i.dummy_input * 2 }),
) {
  const started = await startAxon(DummySynapse, { forward }, options);
  running.push(started.axon);
  return started;
}

describe('axon: success path', () => {
  it('answers 200 with the full synapse, signed bt_header_axon_* and process_time', async () => {
    const { url } = await dummyAxon();
    const req = craft(DummySynapse, { dummy_input: 21 });
    const res = await post(url, '/Dummy', req.headers, req.body);
    expect(res.status).toBe(200);
    expect(res.json.dummy_output).toBe(42);
    expect(res.json.dummy_input).toBe(21);
    expect(res.json.name).toBe('Dummy');
    expect((res.json.axon as Record<string, unknown>).status_code).toBe(200);
    const h = res.headers as Record<string, string>;
    expect(h.bt_header_axon_status_code).toBe('200');
    expect(h.bt_header_axon_status_message).toBe('Success');
    expect(Number(h.bt_header_axon_process_time)).toBeGreaterThanOrEqual(0);
    expect(h.bt_header_axon_hotkey).toBe(bob.ss58Address);
    // The axon's signature: {axon.nonce}.{dendrite.hotkey}.{axon.hotkey}.{axon.uuid}
    expect(axonSignatureHolds(h)).toBe(true);
  });

  it('accepts a signature over the <Bytes>-wrapped message (polkadot.js signRaw)', async () => {
    const { url } = await dummyAxon();
    const req = craft(DummySynapse, { dummy_input: 1 }, { wrap: true });
    expect((await post(url, '/Dummy', req.headers, req.body)).status).toBe(200);
  });

  it('serves the default /Synapse ping, GET as well as POST', async () => {
    const { url } = await dummyAxon();
    const req = craft(PingSynapse, {});
    expect((await post(url, '/Synapse', req.headers, req.body)).status).toBe(200);
  });
});

describe('axon: rejections', () => {
  it('404 for an unknown synapse, 405 for other methods', async () => {
    const { url } = await dummyAxon();
    const req = craft(DummySynapse, { dummy_input: 1 });
    expect((await post(url, '/Nope', req.headers, req.body)).status).toBe(404);
    expect((await post(url, '/', req.headers, req.body)).status).toBe(404);
    const { request } = await import('undici');
    const res = await request(`${url}/Dummy`, {
      method: 'PUT',
      headers: req.headers,
      body: req.body,
    });
    await res.body.dump();
    expect(res.statusCode).toBe(405);
  });

  it('401 when unsigned, whatever else is present', async () => {
    const { url, metrics } = await dummyAxon();
    for (const omit of [
      ['bt_header_dendrite_signature'],
      ['bt_header_dendrite_nonce'],
      ['bt_header_dendrite_hotkey'],
      ['bt_header_dendrite_uuid'],
      ['computed_body_hash'],
    ]) {
      const req = craft(DummySynapse, { dummy_input: 1 }, { omit });
      const res = await post(url, '/Dummy', req.headers, req.body);
      expect(res.status, omit.join()).toBe(401);
      expect(res.json.message).toMatch(/Not Verified/);
    }
    expect(metrics.snapshot().rejections.unsigned).toBe(5);
  });

  it('401 for a bad signature, a signature by someone else, or one addressed to another hotkey', async () => {
    const { url } = await dummyAxon();
    const zero = `0x${'00'.repeat(64)}`;
    const cases = [
      craft(DummySynapse, { dummy_input: 1 }, { signature: zero }),
      craft(DummySynapse, { dummy_input: 1 }, { signature: '0xabc' }),
      // charlie signs but claims to be alice:
      (() => {
        const r = craft(DummySynapse, { dummy_input: 1 }, { signer: charlie });
        r.headers.bt_header_dendrite_hotkey = alice.ss58Address;
        return r;
      })(),
      // signed for charlie's axon, sent to bob's (wrong hotkey):
      craft(DummySynapse, { dummy_input: 1 }, { axonHotkey: charlie.ss58Address }),
    ];
    for (const req of cases) {
      const res = await post(url, '/Dummy', req.headers, req.body);
      expect(res.status).toBe(401);
      // Rejected before verification: no axon signature on the reply.
      expect(res.headers.bt_header_axon_signature).toBeUndefined();
    }
  });

  it('401 for a tampered body (hash mismatch)', async () => {
    const { url, metrics } = await dummyAxon();
    const req = craft(DummySynapse, { dummy_input: 1 }, { tamper: { dummy_input: 2 } });
    const res = await post(url, '/Dummy', req.headers, req.body);
    expect(res.status).toBe(401);
    expect(res.json.message).toMatch(/body hash/);
    expect(metrics.snapshot().rejections.bad_body_hash).toBe(1);
  });

  it('401 for replayed, out-of-order, stale and far-future nonces', async () => {
    const { url } = await dummyAxon();
    const first = craft(DummySynapse, { dummy_input: 1 });
    expect((await post(url, '/Dummy', first.headers, first.body)).status).toBe(200);
    expect((await post(url, '/Dummy', first.headers, first.body)).status).toBe(401); // replay
    const older = craft(DummySynapse, { dummy_input: 1 }, { nonce: first.nonce - 1n });
    expect((await post(url, '/Dummy', older.headers, older.body)).status).toBe(401);
    const stale = craft(
      DummySynapse,
      { dummy_input: 1 },
      { nonce: nowNs() - 17_000_000_000n, uuid: 'fresh', timeout: 12 },
    );
    const staleRes = await post(url, '/Dummy', stale.headers, stale.body);
    expect(staleRes.status).toBe(401);
    expect(staleRes.json.message).toMatch(/NONCE_TOO_OLD/);
    // A long claimed timeout cannot widen the window past maxTimeoutS (60 s).
    const widened = craft(
      DummySynapse,
      { dummy_input: 1 },
      { nonce: nowNs() - 100_000_000_000n, uuid: 'w', timeout: 1e6 },
    );
    expect((await post(url, '/Dummy', widened.headers, widened.body)).status).toBe(401);
    const future = craft(
      DummySynapse,
      { dummy_input: 1 },
      { nonce: nowNs() + 60_000_000_000n, uuid: 'f' },
    );
    expect((await post(url, '/Dummy', future.headers, future.body)).status).toBe(401);
    // Same hotkey, a different uuid is a separate nonce sequence.
    const other = craft(DummySynapse, { dummy_input: 1 }, { nonce: first.nonce, uuid: 'other' });
    expect((await post(url, '/Dummy', other.headers, other.body)).status).toBe(200);
  });

  it('403 from the blacklist, which runs before verification', async () => {
    const { axon, url } = await startAxon(DummySynapse, {
      forward: () => ({ dummy_output: 0 }),
      blacklist: (info) =>
        [info.dendrite.hotkey !== alice.ss58Address, 'Unrecognized hotkey'] as const,
    });
    running.push(axon);
    const req = craft(DummySynapse, { dummy_input: 1 }, { signer: charlie });
    const res = await post(url, '/Dummy', req.headers, req.body);
    expect(res.status).toBe(403);
    expect(res.json.message).toBe('Forbidden. Key is blacklisted: Unrecognized hotkey.');
    // Blacklisted AND badly signed: 403 (SDK order: blacklist → verify).
    const bad = craft(
      DummySynapse,
      { dummy_input: 1 },
      { signer: charlie, signature: `0x${'11'.repeat(64)}` },
    );
    expect((await post(url, '/Dummy', bad.headers, bad.body)).status).toBe(403);
    const ok = craft(DummySynapse, { dummy_input: 1 });
    expect((await post(url, '/Dummy', ok.headers, ok.body)).status).toBe(200);
  });

  it('400 for malformed JSON, wrong shapes and a malformed timeout', async () => {
    const { url } = await dummyAxon();
    const req = craft(DummySynapse, { dummy_input: 1 });
    expect((await post(url, '/Dummy', req.headers, '{"dummy_input": 1')).status).toBe(400);
    const req2 = craft(DummySynapse, { dummy_input: 1 });
    expect((await post(url, '/Dummy', req2.headers, '[1,2]')).status).toBe(400);
    const req3 = craft(DummySynapse, { dummy_input: 1 }, { tamper: { dummy_input: 'x' } });
    const r3 = await post(url, '/Dummy', req3.headers, req3.body);
    expect(r3.status).toBe(400);
    expect(r3.json.message).toMatch(/dummy_input/);
    const req4 = craft(DummySynapse, { dummy_input: 1 });
    expect(
      (await post(url, '/Dummy', { ...req4.headers, timeout: 'soon' }, req4.body)).status,
    ).toBe(400);
  });

  it('413 for an oversized body, declared or chunked', async () => {
    const { url } = await dummyAxon({ maxBodyBytes: 1024 });
    const req = craft(DummySynapse, { dummy_input: 1 });
    const big = `${req.body.slice(0, -1)},"pad":"${'x'.repeat(4096)}"}`;
    expect((await post(url, '/Dummy', req.headers, big)).status).toBe(413);
    const { request } = await import('undici');
    const chunked = craft(DummySynapse, { dummy_input: 1 }, { uuid: 'c' });
    async function* gen() {
      for (let i = 0; i < 8; i++) yield Buffer.alloc(512, 0x20);
    }
    const res = await request(`${url}/Dummy`, {
      method: 'POST',
      headers: chunked.headers,
      body: Readable.from(gen()),
    });
    await res.body.dump();
    expect(res.statusCode).toBe(413);
  });

  it('500 when the handler throws, and keeps serving', async () => {
    let n = 0;
    const { url, metrics } = await dummyAxon({}, () => {
      n++;
      if (n === 1) throw new Error('boom');
      return { dummy_output: 7 };
    });
    const a = craft(DummySynapse, { dummy_input: 1 });
    const res = await post(url, '/Dummy', a.headers, a.body);
    expect(res.status).toBe(500);
    expect(res.json.message).toMatch(/^Internal Server Error #/);
    const b = craft(DummySynapse, { dummy_input: 1 });
    expect((await post(url, '/Dummy', b.headers, b.body)).json.dummy_output).toBe(7);
    expect(metrics.snapshot().rejections.handler_error).toBe(1);
  });

  it('500 when the handler returns an output that breaks the schema', async () => {
    const { url } = await dummyAxon({}, () => ({ dummy_output: 'nope' as unknown as number }));
    const a = craft(DummySynapse, { dummy_input: 1 });
    expect((await post(url, '/Dummy', a.headers, a.body)).status).toBe(500);
  });

  it('408 when the handler runs past the timeout; the handler is told to stop', async () => {
    let aborted = false;
    let handlerDone = false;
    const { axon, url } = await startAxon(DummySynapse, {
      forward: async (_i, ctx) => {
        ctx.signal.addEventListener('abort', () => {
          aborted = true;
        });
        await sleep(2_000);
        handlerDone = true;
        return { dummy_output: 1 };
      },
    });
    running.push(axon);
    const a = craft(DummySynapse, { dummy_input: 1 }, { timeout: 0.3 });
    const res = await post(url, '/Dummy', a.headers, a.body);
    expect(res.status).toBe(408);
    // Answered while the handler was still running: the timeout, not the handler, ended it.
    expect(handlerDone).toBe(false);
    expect(aborted).toBe(true);
    expect(res.headers.bt_header_axon_signature).toBeDefined();
  });

  it('503 when the queue is full, 408 when a request waited past its timeout', async () => {
    const { axon, url, metrics } = await startAxon(
      DummySynapse,
      {
        forward: async () => {
          await sleep(600);
          return { dummy_output: 1 };
        },
      },
      { maxConcurrency: 1, maxQueue: 1 },
    );
    running.push(axon);
    const reqs = [0, 1, 2].map((i) =>
      craft(DummySynapse, { dummy_input: 1 }, { uuid: `q${i}`, timeout: i === 1 ? 0.3 : 5 }),
    );
    const results = await Promise.all(
      reqs.map(async (r, i) => {
        await sleep(i * 50);
        return post(url, '/Dummy', r.headers, r.body);
      }),
    );
    expect(results.map((r) => r.status)).toEqual([200, 408, 503]);
    expect(metrics.snapshot().rejections).toMatchObject({ queue_timeout: 1, overloaded: 1 });
  });

  it('runs queued requests by priority', async () => {
    const order: number[] = [];
    // The first request holds the only slot until the other three are queued (each is given
    // its priority just before it queues), so the order cannot depend on the machine's speed.
    let prioritised = 0;
    let releaseFirst!: () => void;
    const othersQueued = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const { axon, url } = await startAxon(
      DummySynapse,
      {
        forward: async (i) => {
          order.push(i.dummy_input);
          if (i.dummy_input === 0) await othersQueued;
          return { dummy_output: 1 };
        },
        priority: (i) => {
          if (++prioritised === 4) setImmediate(releaseFirst);
          return i.dummy_input;
        },
      },
      { maxConcurrency: 1 },
    );
    running.push(axon);
    const send = (v: number, i: number) => {
      const r = craft(DummySynapse, { dummy_input: v }, { uuid: `p${i}` });
      return post(url, '/Dummy', r.headers, r.body);
    };
    const first = send(0, 0);
    while (order.length === 0) await sleep(5);
    const statuses = await Promise.all([first, ...[1, 5, 3].map((v, i) => send(v, i + 1))]);
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(order).toEqual([0, 5, 3, 1]);
  });

  it('429 past the per-hotkey rate limit, counted in metrics; other hotkeys unaffected', async () => {
    const { url, metrics } = await dummyAxon({ rateLimit: { perSecond: 1, burst: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = craft(DummySynapse, { dummy_input: 1 });
      statuses.push((await post(url, '/Dummy', r.headers, r.body)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const other = craft(DummySynapse, { dummy_input: 1 }, { signer: charlie });
    expect((await post(url, '/Dummy', other.headers, other.body)).status).toBe(200);
    expect(metrics.snapshot().rejections.rate_limited).toBe(2);
  });

  it('408 from node for a slow client that never finishes its headers', async () => {
    const { url } = await dummyAxon({ headersTimeoutMs: 300, requestTimeoutMs: 300 });
    const port = Number(new URL(url).port);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('POST /Dummy HTTP/1.1\r\nHost: x\r\n'),
      );
      let data = '';
      socket.on('data', (d) => {
        data += d;
      });
      socket.on('close', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
  });
});

describe('axon: connection cap', () => {
  it('answers connections beyond maxConnections with 503 while serving the others', async () => {
    const { axon, url } = await startAxon(
      DummySynapse,
      { forward: () => ({ dummy_output: 1 }) },
      { maxConnections: 2 },
    );
    running.push(axon);
    const port = axon.port;
    const open = () =>
      new Promise<ReturnType<typeof connect>>((resolve) => {
        const s = connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', () => {});
      });
    const a = await open();
    const b = await open();
    await sleep(50);
    const c = await open();
    let reply = '';
    c.on('data', (d) => {
      reply += d;
    });
    const closed = await new Promise<boolean>((resolve) => {
      c.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 1_000);
    });
    expect(closed).toBe(true);
    expect(reply).toMatch(/^HTTP\/1\.1 503 /);
    a.destroy();
    b.destroy();
    await sleep(50);
    const req = craft(DummySynapse, { dummy_input: 1 });
    expect((await post(url, '/Dummy', req.headers, req.body)).status).toBe(200);
  });
});

describe('axon: lifecycle', () => {
  it('drains in-flight requests on stop, then refuses connections', async () => {
    const { axon, url } = await startAxon(DummySynapse, {
      forward: async () => {
        await sleep(300);
        return { dummy_output: 9 };
      },
    });
    const req = craft(DummySynapse, { dummy_input: 1 });
    const pending = post(url, '/Dummy', req.headers, req.body);
    await sleep(50);
    expect(axon.inflight).toBe(1);
    const stopped = axon.stop({ graceMs: 5_000 });
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.json.dummy_output).toBe(9);
    await stopped;
    await expect(post(url, '/Dummy', req.headers, req.body)).rejects.toThrow();
  });

  it('verifies in a worker-thread pool with the same results', async () => {
    const { url } = await dummyAxon({ verifyWorkers: 2 });
    const good = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => {
        const r = craft(DummySynapse, { dummy_input: i }, { uuid: `w${i}`, wrap: i % 2 === 1 });
        return post(url, '/Dummy', r.headers, r.body);
      }),
    );
    expect(good.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const h = good[0]!.headers as Record<string, string>;
    expect(axonSignatureHolds(h)).toBe(true);
    const bad = craft(
      DummySynapse,
      { dummy_input: 1 },
      { signature: `0x${'22'.repeat(64)}`, uuid: 'bad' },
    );
    expect((await post(url, '/Dummy', bad.headers, bad.body)).status).toBe(401);
    // In-order per caller: a burst from one (hotkey, uuid) is all accepted.
    const burst = [];
    for (let i = 0; i < 20; i++)
      burst.push(craft(DummySynapse, { dummy_input: i }, { uuid: 'burst' }));
    const { request } = await import('undici');
    const { Client } = await import('undici');
    const client = new Client(url, { pipelining: 10 });
    const statuses = await Promise.all(
      burst.map(async (r) => {
        const res = await client.request({
          path: '/Dummy',
          method: 'POST',
          headers: r.headers,
          body: r.body,
        });
        await res.body.dump();
        return res.statusCode;
      }),
    );
    await client.close();
    void request;
    expect(statuses).toEqual(statuses.map(() => 200));
  });
});

describe('nonce clock', () => {
  it('strictly increases even when the clock stands still or steps back', () => {
    let t = 1_000n;
    const clock = new NonceClock(() => t);
    const a = clock.next();
    const b = clock.next();
    t = 500n;
    const c = clock.next();
    t = 5_000n;
    const d = clock.next();
    expect([a, b, c, d]).toEqual([1_000n, 1_001n, 1_002n, 5_000n]);
    const real = new NonceClock();
    let last = 0n;
    for (let i = 0; i < 10_000; i++) {
      const n = real.next();
      expect(n > last).toBe(true);
      last = n;
    }
  });
});

void newDendrite;
