// The dendrite's own HTTP/1.1 client (src/dendrite/h1-agent.ts, h1-parser.ts): reply framings,
// keep-alive reuse and its limits, broken and hostile replies, queueing past the socket cap.

import type { AddressInfo } from 'node:net';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { H1Agent } from '../src/dendrite/h1-agent.js';
import { ResponseParser } from '../src/dendrite/h1-parser.js';
import type { DendriteOptions } from '../src/index.js';
import { bob, DummySynapse, newDendrite, sleep, startAxon } from './helpers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

function dendrite(options: Partial<DendriteOptions> = {}) {
  const d = newDendrite({ verifyAxonSignature: false, ...options });
  cleanup.push(() => d.close());
  return d;
}

/**
 * A TCP server that answers each request (once its head and declared body are in) with
 * `reply(n, socket)`, n counting requests over all connections. Counts connections.
 */
async function tcpServer(reply: (n: number, socket: Socket) => void) {
  const stats = { connections: 0, requests: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createNetServer((socket) => {
    stats.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(
          /content-length: (\d+)/i.exec(buf.toString('latin1', 0, end))?.[1] ?? 0,
        );
        if (buf.length < end + 4 + length) return;
        buf = buf.subarray(end + 4 + length);
        reply(stats.requests++, socket);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  const target = {
    ip: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    hotkey: bob.ss58Address,
  };
  return { stats, target };
}

const json = (n: number) => JSON.stringify({ dummy_output: n });
const ok = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe('dendrite h1 client', () => {
  it('reuses one keep-alive connection for calls one after another', async () => {
    const { stats, target } = await tcpServer((n, s) => s.write(ok(json(n))));
    const d = dendrite();
    for (let i = 0; i < 5; i++) {
      const r = await d.call(target, DummySynapse, { dummy_input: 1 });
      expect(r.output).toEqual({ dummy_output: i });
    }
    expect(stats.connections).toBe(1);
  });

  it('reads a chunked reply, split at awkward places, with a chunk extension and trailers', async () => {
    const body = json(42);
    const wire =
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n' +
      `5;ext=1\r\n${body.slice(0, 5)}\r\n${(body.length - 5).toString(16)}\r\n${body.slice(5)}\r\n0\r\nx-trailer: 1\r\n\r\n`;
    const { stats, target } = await tcpServer((_n, s) => {
      // One byte at a time: every state of the parser sees a partial input.
      let i = 0;
      const pump = () => {
        if (i >= wire.length) return;
        s.write(wire[i++]!);
        setImmediate(pump);
      };
      pump();
    });
    const d = dendrite();
    const a = await d.call(target, DummySynapse, { dummy_input: 1 });
    expect(a.output).toEqual({ dummy_output: 42 });
    const b = await d.call(target, DummySynapse, { dummy_input: 1 });
    expect(b.output).toEqual({ dummy_output: 42 });
    expect(stats.connections).toBe(1);
  });

  it('reads an HTTP/1.0 reply framed by the end of the connection, then connects again', async () => {
    const { stats, target } = await tcpServer((n, s) => {
      s.end(`HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n${json(n)}`);
    });
    const d = dendrite();
    expect((await d.call(target, DummySynapse, { dummy_input: 1 })).output).toEqual({
      dummy_output: 0,
    });
    expect((await d.call(target, DummySynapse, { dummy_input: 1 })).output).toEqual({
      dummy_output: 1,
    });
    expect(stats.connections).toBe(2);
  });

  it('skips 1xx heads and honours connection: close', async () => {
    const { stats, target } = await tcpServer((n, s) => {
      s.write('HTTP/1.1 100 Continue\r\n\r\n');
      s.write(ok(json(n), 'connection: close\r\n'));
    });
    const d = dendrite();
    expect((await d.call(target, DummySynapse, { dummy_input: 1 })).output).toEqual({
      dummy_output: 0,
    });
    expect((await d.call(target, DummySynapse, { dummy_input: 1 })).output).toEqual({
      dummy_output: 1,
    });
    expect(stats.connections).toBe(2);
  });

  it('connects again after the server closes an idle connection', async () => {
    const { stats, target } = await tcpServer((n, s) => {
      s.write(ok(json(n)));
      setTimeout(() => s.destroy(), 10);
    });
    const d = dendrite();
    expect((await d.call(target, DummySynapse, { dummy_input: 1 })).ok).toBe(true);
    await sleep(100);
    expect((await d.call(target, DummySynapse, { dummy_input: 1 })).output).toEqual({
      dummy_output: 1,
    });
    expect(stats.connections).toBe(2);
  });

  it('reports a reply cut mid-body as DISCONNECTED and a garbled one as unparseable', async () => {
    const cut = await tcpServer((_n, s) => {
      s.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"dummy');
      setTimeout(() => s.destroy(), 10);
    });
    const garbled = await tcpServer((_n, s) => s.write('HTTP/9 OK\r\n\r\n'));
    const extra = await tcpServer((n, s) => s.write(ok(json(n)) + ok(json(n))));
    const d = dendrite();
    const [a, b, c] = await d.query([cut.target, garbled.target, extra.target], DummySynapse, {
      dummy_input: 1,
    });
    expect(a!.error).toBe('DISCONNECTED');
    expect(a!.dendrite.status_code).toBe(503);
    expect(b!.error).toBe('UNPARSEABLE_RESPONSE');
    // A second reply nobody asked for: the first is read, the connection is not trusted again.
    expect(c!.ok).toBe(true);
    expect((await d.call(extra.target, DummySynapse, { dummy_input: 1 })).ok).toBe(true);
    expect(extra.stats.connections).toBe(2);
  });

  it('refuses a header value that would split the request, sending nothing', async () => {
    const { stats, target } = await tcpServer((n, s) => s.write(ok(json(n))));
    const agent = new H1Agent({
      connections: 1,
      keepAliveTimeoutMs: 1000,
      keepAliveMaxTimeoutMs: 1000,
    });
    cleanup.push(() => agent.close());
    const errors: string[] = [];
    const cases = [
      { path: '/Dummy', headers: { 'x-a': 'v\r\nx-injected: 1' } },
      { path: '/Dummy', headers: { 'bad name': 'v' } },
      { path: '/Dummy HTTP/1.1\r\nx-injected: 1', headers: {} },
    ];
    for (const { path, headers } of cases) {
      agent.dispatch(
        {
          origin: `http://127.0.0.1:${target.port}`,
          path,
          method: 'POST',
          headers,
          body: '{}',
        },
        { onResponseError: (_c, err) => errors.push(err.message) },
      );
    }
    await sleep(50);
    expect(errors).toEqual([
      'invalid x-a header',
      'invalid header name "bad name"',
      'invalid request path "/Dummy HTTP/1.1\\r\\nx-injected: 1"',
    ]);
    expect(stats.connections).toBe(0);
  });

  it('queues calls past connectionsPerAxon and answers all of them', async () => {
    const { stats, target } = await tcpServer((n, s) => setTimeout(() => s.write(ok(json(n))), 20));
    const d = dendrite({ connectionsPerAxon: 2 });
    const results = await d.query(Array(6).fill(target), DummySynapse, { dummy_input: 1 });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => r.output?.dummy_output))).toEqual(
      new Set([0, 1, 2, 3, 4, 5]),
    );
    expect(stats.connections).toBe(2);
  });

  it('a call cancelled while it waits for a socket sends nothing and costs no connection', async () => {
    const { stats, target } = await tcpServer((n, s) => setTimeout(() => s.write(ok(json(n))), 50));
    const d = dendrite({ connectionsPerAxon: 1 });
    const controller = new AbortController();
    const first = d.call(target, DummySynapse, { dummy_input: 1 });
    const waiting = d.call(target, DummySynapse, { dummy_input: 1 }, { signal: controller.signal });
    controller.abort(new Error('gave up'));
    expect((await waiting).error).toBe('CANCELLED');
    expect((await first).output).toEqual({ dummy_output: 0 });
    expect((await d.call(target, DummySynapse, { dummy_input: 1 })).output).toEqual({
      dummy_output: 1,
    });
    expect(stats.requests).toBe(2);
    expect(stats.connections).toBe(1);
  });

  it('forgets an origin once its last socket is gone', async () => {
    const { target } = await tcpServer((n, s) => {
      s.write(ok(json(n)));
      setTimeout(() => s.destroy(), 10);
    });
    const agent = new H1Agent({
      connections: 1,
      keepAliveTimeoutMs: 1000,
      keepAliveMaxTimeoutMs: 1000,
    });
    cleanup.push(() => agent.close());
    await new Promise<void>((resolve, reject) =>
      agent.dispatch(
        { origin: `http://127.0.0.1:${target.port}`, path: '/Dummy', method: 'POST', body: '{}' },
        { onResponseEnd: () => resolve(), onResponseError: (_c, err) => reject(err) },
      ),
    );
    expect(agent.origins).toBe(1);
    await sleep(100); // the server has closed the idle socket by now
    expect(agent.origins).toBe(0);
  });

  it('talks to a real axon the same as the undici client does', async () => {
    const { axon } = await startAxon(DummySynapse, {
      forward: (i) => ({ dummy_output: i.dummy_input * 3 }),
    });
    cleanup.push(() => axon.stop({ graceMs: 100 }));
    for (const unaryClient of ['h1', 'undici'] as const) {
      const d = dendrite({ unaryClient, verifyAxonSignature: true, requireAxonSignature: true });
      const rs = await d.query([axon.info(), axon.info()], DummySynapse, { dummy_input: 5 });
      expect(rs.map((r) => r.output)).toEqual([{ dummy_output: 15 }, { dummy_output: 15 }]);
      expect(rs[0]!.axon.signature).toMatch(/^0x[0-9a-f]{128}$/);
    }
  });

  it('parser: refuses obsolete line folding, bad lengths and both framings at once', () => {
    const feed = (text: string) => {
      const events: string[] = [];
      const p = new ResponseParser({
        head: (s) => events.push(`head ${s}`),
        data: (c) => events.push(`data ${c}`),
        end: (k) => events.push(`end ${k}`),
      });
      p.feed(Buffer.from(text));
      return events;
    };
    expect(() => feed('HTTP/1.1 200 OK\r\nx: a\r\n b\r\n\r\n')).toThrow(/header line/);
    expect(() => feed('HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n')).toThrow(/content-length/);
    expect(() =>
      feed('HTTP/1.1 200 OK\r\ncontent-length: 1\r\ntransfer-encoding: chunked\r\n\r\n'),
    ).toThrow(/transfer-encoding/);
    expect(feed('HTTP/1.1 204 No Content\r\n\r\n')).toEqual(['head 204', 'end true']);
    expect(feed('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi')).toEqual([
      'head 200',
      'data hi',
      'end true',
    ]);
  });
});
