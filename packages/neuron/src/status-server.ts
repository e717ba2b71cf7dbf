import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NeuronError } from './errors.js';

/** A summary of a score vector for dashboards. */
export interface ScoresSummary {
  n: number;
  nonZero: number;
  max: number;
  mean: number;
  /** Highest scores first. */
  top: Array<{ uid: number; score: number }>;
}

/** Summarises scores (`top` highest, ties by lower uid). */
export function summarizeScores(scores: ArrayLike<number>, top = 5): ScoresSummary {
  let nonZero = 0;
  let max = 0;
  let sum = 0;
  const all: Array<{ uid: number; score: number }> = [];
  for (let uid = 0; uid < scores.length; uid++) {
    const s = scores[uid]!;
    if (s !== 0) nonZero++;
    if (s > max) max = s;
    sum += s;
    all.push({ uid, score: s });
  }
  all.sort((a, b) => b.score - a.score || a.uid - b.uid);
  return {
    n: scores.length,
    nonZero,
    max,
    mean: scores.length === 0 ? 0 : sum / scores.length,
    top: all.slice(0, top).filter((x) => x.score > 0),
  };
}

/** One remembered error. */
export interface RecentError {
  time: string;
  message: string;
  code?: string;
  component?: string;
}

/** A bounded list of the latest errors, newest last, for `/status`. */
export class RecentErrors {
  readonly #items: RecentError[] = [];
  readonly #capacity: number;
  readonly #now: () => number;
  #total = 0;

  constructor(capacity = 20, now: () => number = Date.now) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new NeuronError('INVALID_ARGUMENT', 'capacity: must be an integer >= 1', {
        details: {
          field: 'capacity',
        },
      });
    }
    this.#capacity = capacity;
    this.#now = now;
  }

  push(error: unknown, component?: string): void {
    const e = error as { message?: unknown; code?: unknown };
    const item: RecentError = {
      time: new Date(this.#now()).toISOString(),
      message: typeof e?.message === 'string' ? e.message : String(error),
    };
    if (typeof e?.code === 'string') item.code = e.code;
    if (component) item.component = component;
    this.#items.push(item);
    if (this.#items.length > this.#capacity) this.#items.shift();
    this.#total++;
  }

  /** Errors pushed since creation (including those no longer listed). */
  get total(): number {
    return this.#total;
  }

  list(): RecentError[] {
    return [...this.#items];
  }
}

/**
 * What `GET /status` shows. The runtime fills it; unknown values are `null`. Extra keys (a
 * subnet's own) are passed through.
 */
export interface StatusSnapshot {
  role: 'miner' | 'validator' | string;
  hotkey: string | null;
  uid: number | null;
  netuid: number;
  block: number | null;
  step: number | null;
  scores?: ScoresSummary | null;
  lastWeights?: { block: number; uids: number; mode: 'set' | 'commit' } | null;
  axon?: {
    ip: string;
    port: number;
    externalIp?: string;
    externalPort?: number;
    /** The wires the axon serves. */
    wires?: string[];
  } | null;
  uptimeSeconds: number;
  recentErrors: RecentError[];
  [key: string]: unknown;
}

export interface HealthReport {
  ok: boolean;
  [key: string]: unknown;
}

export interface StatusServerOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
}

export interface StatusServerComponents {
  getStatus: () => StatusSnapshot | Promise<StatusSnapshot>;
  /** Default: `{ ok: true }` while the server runs. */
  getHealth?: () => HealthReport | Promise<HealthReport>;
  logger?: { warn(obj: object, msg?: string): void };
  /** Serves `GET /artifacts/<sha256>` (a validator's kept verdict artifacts) when given. */
  getArtifact?: (sha256: string) => Promise<{ bytes: Uint8Array; mediaType: string } | null>;
  /**
   * Serves `GET /metrics` when given: the text (Prometheus exposition format) and its content
   * type (`text/plain; version=0.0.4; charset=utf-8`).
   */
  getMetrics?: () => Promise<{ contentType: string; text: string }>;
}

const ROUTES = new Set(['/status', '/healthz']);
const ARTIFACT_RE = /^\/artifacts\/([0-9a-f]{64})$/;

function json(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * A tiny read-only endpoint for dashboards: `GET /status` and `GET /healthz` (JSON), `GET
 * /metrics` (Prometheus text) when a metrics provider is given (HEAD too).
 * Other paths get 404, other methods 405; a failing status provider gives 500; nothing a
 * client sends can crash it. Bound to loopback by default.
 */
export class StatusServer {
  readonly #host: string;
  readonly #port: number;
  readonly #components: StatusServerComponents;
  #server: Server | undefined;

  constructor(options: StatusServerOptions, components: StatusServerComponents) {
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
      throw new NeuronError(
        'INVALID_ARGUMENT',
        `port: must be an integer in [0, 65535], got ${options.port}`,
        {
          details: {
            field: 'status.port',
          },
        },
      );
    }
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port;
    this.#components = components;
  }

  /** The bound address, once started. */
  get address(): { host: string; port: number } | undefined {
    const a = this.#server?.address() as AddressInfo | null | undefined;
    return a ? { host: a.address, port: a.port } : undefined;
  }

  async start(): Promise<{ host: string; port: number }> {
    if (this.#server) return this.address!;
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((error) => {
        this.#components.logger?.warn({ err: error }, 'status request failed');
        if (!res.headersSent)
          this.#send(res, 500, { error: 'internal error' }, req.method === 'HEAD');
        else res.destroy();
      });
    });
    server.headersTimeout = 5_000;
    server.requestTimeout = 10_000;
    server.keepAliveTimeout = 5_000;
    server.maxHeadersCount = 50;
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.#host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: NodeJS.ErrnoException) => {
      throw new NeuronError(
        'IO_ERROR',
        `status endpoint: cannot listen on ${this.#host}:${this.#port} (${error.code ?? error.message}); pick another --status.port or -1 to disable`,
        { details: { field: 'status.port' }, cause: error },
      );
    });
    this.#server = server;
    return this.address!;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    const head = req.method === 'HEAD';
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      this.#send(res, 400, { error: 'bad request' }, head);
      return;
    }
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const artifact = this.#components.getArtifact ? ARTIFACT_RE.exec(path) : null;
    const metrics = this.#components.getMetrics && path === '/metrics';
    if (!ROUTES.has(path) && !artifact && !metrics) {
      const routes = [
        ...ROUTES,
        ...(this.#components.getMetrics ? ['/metrics'] : []),
        ...(this.#components.getArtifact ? ['/artifacts/<sha256>'] : []),
      ];
      this.#send(res, 404, { error: 'not found', routes }, head);
      return;
    }
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      this.#send(res, 405, { error: 'method not allowed' }, false);
      return;
    }
    if (artifact) {
      const found = await this.#components.getArtifact!(artifact[1]!);
      if (!found) {
        this.#send(res, 404, { error: 'no such artifact (never kept, or past retention)' }, head);
        return;
      }
      res.writeHead(200, {
        'content-type': found.mediaType,
        'content-length': found.bytes.byteLength,
        'cache-control': 'private, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
      });
      res.end(head ? undefined : found.bytes);
      return;
    }
    if (metrics) {
      const { contentType, text } = await this.#components.getMetrics!();
      res.writeHead(200, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(head ? undefined : text);
      return;
    }
    if (path === '/healthz') {
      const health = this.#components.getHealth ? await this.#components.getHealth() : { ok: true };
      this.#send(res, health.ok ? 200 : 503, health, head);
      return;
    }
    this.#send(res, 200, await this.#components.getStatus(), head);
  }

  #send(res: ServerResponse, status: number, body: unknown, head: boolean): void {
    const text = json(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(head ? undefined : text);
  }
}

/** A status server from `--status.*`, or `null` when disabled (`port` -1). */
export function createStatusServer(
  options: { port: number; host?: string },
  components: StatusServerComponents,
): StatusServer | null {
  if (options.port === -1) return null;
  const serverOptions: StatusServerOptions = { port: options.port };
  if (options.host !== undefined) serverOptions.host = options.host;
  return new StatusServer(serverOptions, components);
}
