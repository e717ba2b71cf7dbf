// Connection floods (hardening item 5): one address, or a few, holding connections open must
// not lock a registered validator out; every connection turned away gets an HTTP status (never
// a reset) and is counted. Clients bind distinct loopback source addresses (127.0.0.0/8), so an
// "attacker" address floods while the validator calls from another one.
import { connect, type Socket } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionKey } from '../src/axon/connections.js';
import { Axon, createDendrite, type Dendrite, TransportMetrics } from '../src/index.js';
import { alice, bob, charlie, DummySynapse, silent, sleep, startAxon } from './helpers.js';

const running: Axon[] = [];
const sockets: Socket[] = [];
const dendrites: Dendrite[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(dendrites.splice(0).map((d) => d.close()));
  await Promise.all(running.splice(0).map((a) => a.stop({ graceMs: 100 })));
});

/** An axon serving Dummy to registered callers only (alice): others are blacklisted (403). */
async function validatorAxon(options = {}) {
  const started = await startAxon(
    DummySynapse,
    {
      forward: (i: { dummy_input: number }) => ({ dummy_output: i.dummy_input * 2 }),
      blacklist: (info) => [info.dendrite.hotkey !== alice.ss58Address, 'not registered'],
    },
    options,
  );
  running.push(started.axon);
  return started;
}

/** The registered validator's dendrite (alice), its connections from `localAddress`. */
function validator(localAddress: string, metrics = new TransportMetrics()) {
  const d = createDendrite(
    { keypair: alice },
    { logger: silent, metrics, dispatcher: new Agent({ connect: { localAddress } }) },
  );
  dendrites.push(d);
  return d;
}

/** What a raw client saw on its connection. */
interface Seen {
  connected: boolean;
  data: string;
  /** The status of the first reply, once its status line arrived. */
  status?: number;
  /** The socket error's code (ECONNRESET, EPIPE …), if any. */
  error?: string;
  /** The server's FIN arrived. */
  ended: boolean;
  closed: boolean;
}

/** Connects from `localAddress` and writes `payload` (a half-sent header, or a whole request). */
function client(
  port: number,
  localAddress: string,
  payload: string,
  allowHalfOpen = false,
): { socket: Socket; seen: Seen } {
  const seen: Seen = { connected: false, data: '', ended: false, closed: false };
  const socket = connect({ host: '127.0.0.1', port, localAddress, allowHalfOpen });
  sockets.push(socket);
  socket.setEncoding('latin1');
  socket.on('connect', () => {
    seen.connected = true;
    if (payload) socket.write(payload);
  });
  socket.on('data', (d: string) => {
    seen.data += d;
    const m = /^HTTP\/1\.1 (\d{3}) /.exec(seen.data);
    if (m && seen.status === undefined) seen.status = Number(m[1]);
  });
  socket.on('error', (err: NodeJS.ErrnoException) => {
    seen.error ??= err.code ?? err.message;
  });
  socket.on('end', () => {
    seen.ended = true;
  });
  socket.on('close', () => {
    seen.closed = true;
  });
  return { socket, seen };
}

const HALF_SENT = 'POST /Dummy HTTP/1.1\r\nHost: axon\r\nContent-Type: application/json\r\n';
const BODY = '{"dummy_input": 1}';
const UNSIGNED_KEEP_ALIVE = `POST /Dummy HTTP/1.1\r\nHost: axon\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`;
const UNSIGNED = UNSIGNED_KEEP_ALIVE.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n');

/** Opens `n` half-sent connections from `localAddress`, resolving once each is connected or failed. */
async function holdHalfSent(port: number, localAddress: string, n: number): Promise<Seen[]> {
  const all = Array.from({ length: n }, () => client(port, localAddress, HALF_SENT).seen);
  await until(() => all.every((s) => s.connected || s.closed), 10_000);
  return all;
}

/** Polls `cond` until it holds or `ms` pass; returns whether it held. */
async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(20);
  }
  return true;
}

const count = (seen: Seen[], f: (s: Seen) => boolean) => seen.filter(f).length;

describe('flood: per-address connection limit', () => {
  it('answers the connections past maxConnectionsPerIp with 429 (not a reset), counted', async () => {
    const { axon, metrics } = await validatorAxon({ maxConnectionsPerIp: 8 });
    const seen = await holdHalfSent(axon.port, '127.0.0.5', 12);
    await until(() => count(seen, (s) => s.closed) >= 4, 3_000);
    const refused = seen.filter((s) => s.status !== undefined);
    expect(refused).toHaveLength(4);
    for (const s of refused) {
      expect(s.status).toBe(429);
      expect(s.data).toMatch(/\r\nretry-after: 1\r\n/i);
      expect(s.data).toMatch(/\r\nconnection: close\r\n/i);
      expect(s.data).toContain('Too many connections from this address');
      expect(s.error).toBeUndefined();
      expect(s.ended && s.closed).toBe(true);
    }
    // The 8 within the limit are still held open, unanswered.
    expect(count(seen, (s) => !s.closed && s.data === '')).toBe(8);
    expect(metrics.snapshot().rejections.too_many_connections_ip).toBe(4);
    // Another address is not affected by this one's limit.
    const other = await holdHalfSent(axon.port, '127.0.0.6', 8);
    await sleep(200);
    expect(count(other, (s) => s.closed || s.data !== '')).toBe(0);
  });

  it("1,100 half-sent requests from one address: a registered validator's query still succeeds", async () => {
    // Default limits (1,024 connections, 128 per address): the probe, replayed.
    const { axon, metrics } = await validatorAxon();
    const seen = await holdHalfSent(axon.port, '127.0.0.5', 1_100);
    const refusedAll = await until(() => count(seen, (s) => s.status === 429) >= 972, 8_000);
    expect(refusedAll).toBe(true);
    expect(count(seen, (s) => s.status === 429)).toBe(1_100 - 128);
    expect(count(seen, (s) => s.error !== undefined)).toBe(0);
    expect(count(seen, (s) => !s.closed && s.data === '')).toBe(128);

    const dm = new TransportMetrics();
    const [res] = await validator('127.0.0.7', dm).query(
      [axon.info()],
      DummySynapse,
      { dummy_input: 21 },
      { timeout: 5 },
    );
    expect(res!.dendrite.status_code).toBe(200);
    expect(res!.output).toEqual({ dummy_output: 42 });
    expect(res!.error).toBeUndefined();
    // An unregistered caller from a third address is refused by the blacklist, not the flood.
    const stranger = createDendrite(
      { keypair: charlie },
      { logger: silent, dispatcher: new Agent({ connect: { localAddress: '127.0.0.8' } }) },
    );
    dendrites.push(stranger);
    const [other] = await stranger.query([axon.info()], DummySynapse, { dummy_input: 1 });
    expect(other!.dendrite.status_code).toBe(403);

    const snap = metrics.snapshot();
    expect(snap.rejections.too_many_connections_ip).toBe(972);
    expect(snap.axon.Dummy?.byOutcome).toMatchObject({ ok: 1, blacklisted: 1 });
  });
});

describe('flood: global connection cap', () => {
  it('answers connections past maxConnections with 503, counted, and serves again once they close', async () => {
    const { axon, metrics } = await validatorAxon({ maxConnections: 32, maxConnectionsPerIp: 8 });
    // Four attacker addresses, each at its own limit, fill the cap.
    const held: Seen[] = [];
    for (let a = 1; a <= 4; a++) held.push(...(await holdHalfSent(axon.port, `127.0.1.${a}`, 8)));
    await sleep(100);
    expect(count(held, (s) => s.closed || s.data !== '')).toBe(0);
    // A fifth address is over the cap.
    const over = await holdHalfSent(axon.port, '127.0.1.5', 4);
    await until(() => count(over, (s) => s.closed) === 4, 3_000);
    expect(over.map((s) => s.status)).toEqual([503, 503, 503, 503]);
    for (const s of over) {
      expect(s.data).toMatch(/\r\nretry-after: 1\r\n/i);
      expect(s.data).toContain('too many connections');
      expect(s.error).toBeUndefined();
    }
    // The validator is answered too (503 with the axon's reason, not DISCONNECTED)...
    const v = validator('127.0.0.7');
    const [refused] = await v.query(
      [axon.info()],
      DummySynapse,
      { dummy_input: 1 },
      { timeout: 5 },
    );
    expect(refused!.dendrite.status_code).toBe(503);
    expect(refused!.dendrite.status_message).toContain('too many connections');
    expect(refused!.error).toBeUndefined();
    expect(metrics.snapshot().rejections.too_many_connections).toBe(5);
    // ... and served once the flood lets go.
    for (const s of sockets.splice(0)) s.destroy();
    expect(await until(() => axon.connections.open <= 1, 3_000)).toBe(true);
    const [ok] = await v.query([axon.info()], DummySynapse, { dummy_input: 4 }, { timeout: 5 });
    expect(ok!.dendrite.status_code).toBe(200);
    expect(ok!.output).toEqual({ dummy_output: 8 });
    expect(metrics.snapshot().rejections.too_many_connections).toBe(5);
  });
});

describe('flood: header deadline', () => {
  it('cuts a half-sent header after headersTimeoutMs with 408, closes it, and counts it', async () => {
    const { axon, metrics } = await validatorAxon({
      headersTimeoutMs: 500,
      requestTimeoutMs: 1_000,
      maxConnectionsPerIp: 4,
    });
    const start = Date.now();
    const seen = [
      ...(await holdHalfSent(axon.port, '127.0.0.9', 2)),
      // Connected and silent.
      client(axon.port, '127.0.0.9', '').seen,
      // Keeps its side open after our FIN: the axon still closes the connection.
      client(axon.port, '127.0.0.9', HALF_SENT, true).seen,
    ];
    // Each gets its 408 and the server's FIN; the axon lets go of every connection, the one
    // whose client keeps its side open too (destroyed after REFUSAL_LINGER_MS).
    const allEnded = await until(() => seen.every((s) => s.ended), 4_000);
    expect(allEnded).toBe(true);
    expect(Date.now() - start).toBeGreaterThanOrEqual(450);
    for (const s of seen) {
      expect(s.status).toBe(408);
      expect(s.data).toMatch(/\r\nconnection: close\r\n/i);
      expect(s.error).toBeUndefined();
    }
    expect(seen.slice(0, 3).every((s) => s.closed)).toBe(true);
    expect(await until(() => axon.connections.open === 0, 3_000)).toBe(true);
    expect(metrics.snapshot().rejections.header_timeout).toBe(4);
    // The address's slots are free again: a whole request from it is served (401 unsigned).
    const next = client(axon.port, '127.0.0.9', UNSIGNED).seen;
    await until(() => next.closed, 2_000);
    expect(next.status).toBe(401);
  });
});

describe('flood: many concurrent unsigned requests', () => {
  it('2,000 at once from 11 addresses, kept alive: every one gets an HTTP status, none a reset', async () => {
    const { axon, metrics } = await validatorAxon();
    // Keep-alive requests, the connections held after their reply (as a pooling client does):
    // the first ones fill the cap, so the rest are turned away at the connection.
    // One busy address sends 500 first, then 10 others 150 each.
    const seen = Array.from({ length: 2_000 }, (_, i) => {
      const from = i < 500 ? '127.0.2.100' : `127.0.2.${1 + (i % 10)}`;
      return client(axon.port, from, UNSIGNED_KEEP_ALIVE).seen;
    });
    await until(() => seen.every((s) => s.status !== undefined || s.closed), 20_000);
    const resets = count(seen, (s) => s.error === 'ECONNRESET' || s.error === 'EPIPE');
    const byStatus: Record<string, number> = {};
    for (const s of seen) byStatus[s.status ?? 'none'] = (byStatus[s.status ?? 'none'] ?? 0) + 1;
    expect({ resets, errors: count(seen, (s) => s.error !== undefined) }).toEqual({
      resets: 0,
      errors: 0,
    });
    expect(byStatus.none).toBeUndefined();
    expect(Object.keys(byStatus).sort()).toEqual(['401', '429', '503']);
    // Every one is counted: unsigned (401) or refused at the connection.
    const r = metrics.snapshot().rejections;
    expect(r.unsigned).toBe(byStatus['401']);
    expect(r.too_many_connections_ip).toBe(byStatus['429']);
    expect(r.too_many_connections).toBe(byStatus['503']);
    expect(byStatus['401']).toBeLessThanOrEqual(1_024);
    // The clients let go; the axon still serves the validator.
    for (const s of sockets.splice(0)) s.destroy();
    expect(await until(() => axon.connections.open === 0, 3_000)).toBe(true);
    const [ok] = await validator('127.0.0.7').query(
      [axon.info()],
      DummySynapse,
      { dummy_input: 2 },
      { timeout: 5 },
    );
    expect(ok!.dendrite.status_code).toBe(200);
  });
});

describe('connectionKey', () => {
  it('is the IPv4 address, IPv4-mapped IPv6 unwrapped, and the /64 of an IPv6 address', () => {
    expect(connectionKey('127.0.0.5')).toBe('127.0.0.5');
    expect(connectionKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(connectionKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(connectionKey('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(connectionKey('2001:DB8:0001:0002:ffff::1')).toBe('2001:db8:1:2::/64');
    expect(connectionKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(connectionKey('::1')).toBe('0:0:0:0::/64');
    expect(connectionKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('flood options', () => {
  it('refuses a maxConnectionsPerIp that is not positive, and a header deadline past the request one', () => {
    for (const maxConnectionsPerIp of [0, -1, Number.NaN]) {
      expect(() => new Axon({ keypair: bob, maxConnectionsPerIp }, { logger: silent })).toThrow(
        /options\.maxConnectionsPerIp must be a positive number/,
      );
    }
    expect(
      () =>
        new Axon(
          { keypair: bob, headersTimeoutMs: 10_000, requestTimeoutMs: 5_000 },
          { logger: silent },
        ),
    ).toThrow(/headersTimeoutMs \(10000\) must be at most options\.requestTimeoutMs \(5000\)/);
  });
});
