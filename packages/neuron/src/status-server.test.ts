import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArtifactStore } from './evidence/artifacts.js';
import {
  counterFrom,
  createMetricsRegistry,
  gaugeFrom,
  histogramFrom,
  metricsProvider,
} from './runtime/metrics.js';
import {
  createStatusServer,
  RecentErrors,
  type StatusServer,
  type StatusSnapshot,
  summarizeScores,
} from './status-server.js';

let server: StatusServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

function snapshot(extra: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    role: 'validator',
    hotkey: '5F...',
    uid: 3,
    netuid: 1,
    block: 120,
    step: 7,
    scores: summarizeScores([0, 0.5, 0.25]),
    lastWeights: { block: 100, uids: 3, mode: 'set' },
    axon: null,
    uptimeSeconds: 12,
    recentErrors: [],
    stake: 10n,
    ...extra,
  };
}

async function start(
  getStatus: () => StatusSnapshot | Promise<StatusSnapshot> = snapshot,
  healthy = true,
) {
  server = createStatusServer(
    { port: 0 },
    { getStatus, getHealth: () => ({ ok: healthy, reason: healthy ? undefined : 'chain down' }) },
  );
  const { port, host } = await server!.start();
  expect(host).toBe('127.0.0.1');
  return `http://127.0.0.1:${port}`;
}

describe('StatusServer', () => {
  it('serves /status as JSON (bigints as strings) and /healthz', async () => {
    const base = await start();
    const res = await fetch(`${base}/status`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ role: 'validator', uid: 3, step: 7, stake: '10' });
    expect(body.scores).toEqual({
      n: 3,
      nonZero: 2,
      max: 0.5,
      mean: 0.25,
      top: [
        { uid: 1, score: 0.5 },
        { uid: 2, score: 0.25 },
      ],
    });
    expect((await fetch(`${base}/status/?x=1`)).status).toBe(200);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const head = await fetch(`${base}/status`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('503 when unhealthy, 404 for other paths, 405 for other methods', async () => {
    const base = await start(snapshot, false);
    const h = await fetch(`${base}/healthz`);
    expect(h.status).toBe(503);
    expect(await h.json()).toEqual({ ok: false, reason: 'chain down' });
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/../etc/passwd`)).status).toBe(404);
    const post = await fetch(`${base}/status`, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${base}/status`, { method: 'DELETE' })).status).toBe(405);
  });

  it('a throwing status provider gives 500 and the server keeps serving', async () => {
    let n = 0;
    const base = await start(async () => {
      n++;
      if (n === 1) throw new Error('boom');
      return snapshot();
    });
    const bad = await fetch(`${base}/status`);
    expect(bad.status).toBe(500);
    expect(await bad.json()).toEqual({ error: 'internal error' });
    expect((await fetch(`${base}/status`)).status).toBe(200);
  });

  it('survives garbage on the socket', async () => {
    const base = await start();
    const port = Number(new URL(base).port);
    const reply = await new Promise<string>((resolve) => {
      const socket = createConnection(port, '127.0.0.1', () =>
        socket.write('NOT HTTP AT ALL\r\n\r\n'),
      );
      let data = '';
      socket.on('data', (d) => {
        data += d;
      });
      socket.on('close', () => resolve(data));
      socket.on('error', () => resolve(data));
    });
    expect(reply).toContain('400');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('is disabled with port -1 and reports a busy port clearly', async () => {
    expect(createStatusServer({ port: -1 }, { getStatus: snapshot })).toBeNull();
    const base = await start();
    const taken = createStatusServer(
      { port: Number(new URL(base).port) },
      { getStatus: snapshot },
    )!;
    await expect(taken.start()).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(() => createStatusServer({ port: 70000 }, { getStatus: snapshot })).toThrow(/port/);
  });
});

describe('StatusServer /artifacts/<sha256>', () => {
  let dir: string | null = null;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = null;
  });

  async function withStore() {
    dir = await mkdtemp(join(tmpdir(), 'neuron-status-artifacts-'));
    const store = new ArtifactStore({ dir });
    server = createStatusServer(
      { port: 0 },
      { getStatus: snapshot, getArtifact: (sha256) => store.get(sha256) },
    );
    const { port } = await server!.start();
    return { store, base: `http://127.0.0.1:${port}` };
  }

  it('serves the kept bytes with their content type, nosniff and a sandbox CSP; HEAD too', async () => {
    const { store, base } = await withStore();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    const ref = await store.put(svg, { mediaType: 'image/svg+xml' });
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const bin = await store.put(png, { mediaType: 'image/png' });

    const res = await fetch(`${base}/artifacts/${ref.sha256}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(await res.text()).toBe(svg);

    const b = await fetch(`${base}/artifacts/${bin.sha256}`);
    expect(b.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await b.arrayBuffer()).equals(Buffer.from(png))).toBe(true);

    const head = await fetch(`${base}/artifacts/${bin.sha256}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(png.byteLength));
    expect(head.headers.get('content-type')).toBe('image/png');
    expect(await head.text()).toBe('');
  });

  it('unknown sha → 404 with a reason, malformed paths → 404, POST → 405', async () => {
    const { store, base } = await withStore();
    const ref = await store.put('kept', { mediaType: 'text/plain' });

    const unknown = await fetch(`${base}/artifacts/${'0'.repeat(64)}`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/no such artifact/);
    const unknownHead = await fetch(`${base}/artifacts/${'0'.repeat(64)}`, { method: 'HEAD' });
    expect(unknownHead.status).toBe(404);

    for (const path of [
      '/artifacts/',
      '/artifacts/abc',
      `/artifacts/${ref.sha256.toUpperCase()}`,
      `/artifacts/${ref.sha256}0`,
      `/artifacts/${ref.sha256}/x`,
      `/artifacts/..%2F..%2Fetc%2Fpasswd`,
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: string }).error, path).toBe('not found');
    }
    const notFound = (await (await fetch(`${base}/nope`)).json()) as { routes: string[] };
    expect(notFound.routes).toContain('/artifacts/<sha256>');

    const post = await fetch(`${base}/artifacts/${ref.sha256}`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${base}/artifacts/${ref.sha256}`)).status).toBe(200);
  });

  it('without getArtifact the route does not exist', async () => {
    const base = await start();
    const res = await fetch(`${base}/artifacts/${'a'.repeat(64)}`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: string; routes: string[] };
    expect(body.error).toBe('not found');
    expect(body.routes).toEqual(['/status', '/healthz']);
  });
});

/** `name{labels} value` lines of a Prometheus text body, by `name{labels}`. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

describe('StatusServer /metrics', () => {
  it('serves the registry in Prometheus text; 404 lists it; HEAD has no body', async () => {
    const registry = createMetricsRegistry({ role: 'miner', netuid: 7 });
    let requests = 3;
    counterFrom(
      registry,
      'subnetkit_test_requests_total',
      'Requests',
      ['synapse', 'status'],
      () => [
        [{ synapse: 'Dummy', status: '200' }, requests],
        [{ synapse: 'Dummy', status: '403' }, 1],
      ],
    );
    gaugeFrom(registry, 'subnetkit_test_block', 'Block', [], () => [[{}, 42]]);
    histogramFrom(registry, 'subnetkit_test_duration_ms', 'Duration', [10, 100], () => [
      [{ synapse: 'Dummy' }, { count: 4, sum: 250, buckets: [1, 3, 4] }],
    ]);
    server = createStatusServer(
      { port: 0 },
      { getStatus: snapshot, getMetrics: metricsProvider(registry) },
    );
    const { port } = await server!.start();
    const base = `http://127.0.0.1:${port}`;
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('# TYPE subnetkit_test_requests_total counter');
    expect(text).toContain('# TYPE subnetkit_test_duration_ms histogram');
    const s = samples(text);
    const l = 'role="miner",netuid="7"';
    expect(s.get(`subnetkit_test_requests_total{synapse="Dummy",status="200",${l}}`)).toBe(3);
    expect(s.get(`subnetkit_test_requests_total{synapse="Dummy",status="403",${l}}`)).toBe(1);
    expect(s.get(`subnetkit_test_block{${l}}`)).toBe(42);
    expect(s.get(`subnetkit_test_duration_ms_bucket{synapse="Dummy",le="10",${l}}`)).toBe(1);
    expect(s.get(`subnetkit_test_duration_ms_bucket{synapse="Dummy",le="100",${l}}`)).toBe(3);
    expect(s.get(`subnetkit_test_duration_ms_bucket{synapse="Dummy",le="+Inf",${l}}`)).toBe(4);
    expect(s.get(`subnetkit_test_duration_ms_sum{synapse="Dummy",${l}}`)).toBe(250);
    expect(s.get(`subnetkit_test_duration_ms_count{synapse="Dummy",${l}}`)).toBe(4);
    // Read at scrape time: a later scrape shows the new total.
    requests = 5;
    const again = samples(await (await fetch(`${base}/metrics`)).text());
    expect(again.get(`subnetkit_test_requests_total{synapse="Dummy",status="200",${l}}`)).toBe(5);
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    const notFound = (await (await fetch(`${base}/nope`)).json()) as { routes: string[] };
    expect(notFound.routes).toEqual(['/status', '/healthz', '/metrics']);
  });

  it('two registries in one process do not collide (no global default registry)', async () => {
    const a = createMetricsRegistry({ role: 'miner', netuid: 1 });
    const b = createMetricsRegistry({ role: 'validator', netuid: 1 });
    gaugeFrom(a, 'subnetkit_block', 'Block', [], () => [[{}, 1]]);
    gaugeFrom(b, 'subnetkit_block', 'Block', [], () => [[{}, 2]]);
    expect(samples(await a.metrics()).get('subnetkit_block{role="miner",netuid="1"}')).toBe(1);
    expect(samples(await b.metrics()).get('subnetkit_block{role="validator",netuid="1"}')).toBe(2);
  });

  it('a throwing metrics provider gives 500', async () => {
    server = createStatusServer(
      { port: 0 },
      {
        getStatus: snapshot,
        getMetrics: async () => {
          throw new Error('boom');
        },
      },
    );
    const { port } = await server!.start();
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(500);
  });
});

describe('RecentErrors', () => {
  it('keeps the newest entries with code and component', () => {
    const errors = new RecentErrors(2, () => 0);
    errors.push(new Error('a'));
    errors.push(Object.assign(new Error('b'), { code: 'X' }), 'chain');
    errors.push('c');
    expect(errors.total).toBe(3);
    expect(errors.list()).toEqual([
      { time: '1970-01-01T00:00:00.000Z', message: 'b', code: 'X', component: 'chain' },
      { time: '1970-01-01T00:00:00.000Z', message: 'c' },
    ]);
  });
});
