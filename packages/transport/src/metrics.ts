/** Why the axon turned a request away (or `ok`). Stable strings, for dashboards. */
export type AxonOutcome =
  | 'ok'
  | 'not_found'
  | 'method_not_allowed'
  | 'body_too_large'
  | 'bad_request'
  | 'blacklisted'
  | 'unsigned'
  | 'bad_signature'
  | 'bad_body_hash'
  | 'stale_nonce'
  | 'replayed'
  | 'wrong_receiver'
  | 'mixed_wires'
  | 'wire_not_enabled'
  | 'not_implemented'
  | 'rate_limited'
  | 'overloaded'
  | 'queue_timeout'
  | 'handler_timeout'
  | 'handler_error'
  | 'stream_error'
  | 'shutting_down'
  | 'client_closed'
  /** A connection's headers not complete within `headersTimeoutMs` (408, connection closed). */
  | 'header_timeout'
  /** A connection past `maxConnectionsPerIp` from its address (429 at accept). */
  | 'too_many_connections_ip'
  /** A connection past `maxConnections` (503 at accept). */
  | 'too_many_connections'
  /** A connection closed unanswered at accept: too many were being refused at once. */
  | 'connection_dropped';

export interface AxonRequestEvent {
  route: string;
  /** The status answered; 0 for a connection closed unanswered (`connection_dropped`). */
  status: number;
  outcome: AxonOutcome;
  /** Wall time from request arrival to the last byte written, in ms. */
  durationMs: number;
  /** The caller's hotkey as claimed in headers (verified only when outcome is past verify). */
  hotkey?: string;
  /** The request's wire, once told from its headers. */
  wire?: string;
  /** The wire verifier's refusal code (`REPLAYED`, `WRONG_RECEIVER` …), when it refused. */
  reason?: string;
  /**
   * The peer's address, on refusals below the pipeline (route `''`: malformed HTTP, header
   * timeouts, connections turned away at accept). Not kept by `TransportMetrics`.
   */
  ip?: string;
}

export interface DendriteQueryEvent {
  route: string;
  /** `dendrite.status_code` of the result. */
  status: number;
  durationMs: number;
  /** `host:port` of the axon. */
  target: string;
  /** Set when the failure was on our side (connection, timeout, parse, size, signature). */
  error?: string;
}

/** Hooks a dashboard or exporter implements. All optional; they must not throw. */
export interface TransportMetricsHooks {
  onAxonRequest?(event: AxonRequestEvent): void;
  onDendriteQuery?(event: DendriteQueryEvent): void;
}

interface Latency {
  count: number;
  sumMs: number;
  maxMs: number;
  /** Cumulative counts for the upper bounds in LATENCY_BUCKETS_MS (+Inf last). */
  buckets: number[];
}

export const LATENCY_BUCKETS_MS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 12000];

function newLatency(): Latency {
  return {
    count: 0,
    sumMs: 0,
    maxMs: 0,
    buckets: new Array(LATENCY_BUCKETS_MS.length + 1).fill(0),
  };
}

function observe(l: Latency, ms: number): void {
  l.count++;
  l.sumMs += ms;
  if (ms > l.maxMs) l.maxMs = ms;
  let i = LATENCY_BUCKETS_MS.findIndex((b) => ms <= b);
  if (i < 0) i = LATENCY_BUCKETS_MS.length;
  for (let j = i; j < l.buckets.length; j++) l.buckets[j]!++;
}

/** `counts[key] += 1`, from zero. */
function bump<K extends string | number>(counts: Partial<Record<K, number>>, key: K): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The map's entry for `key`, created on first use. */
function entry<T>(map: Map<string, T>, key: string, create: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

export interface RouteStats {
  requests: number;
  byStatus: Record<string, number>;
  byOutcome: Partial<Record<AxonOutcome, number>>;
  latency: Latency;
}

export interface MetricsSnapshot {
  axon: Record<string, RouteStats>;
  /**
   * Rejections (anything but `ok`) across routes, by reason; those below the pipeline
   * (`bad_request` from the HTTP parser, `header_timeout`, `too_many_connections_ip`,
   * `too_many_connections`, `connection_dropped`) under route `''` in `axon` as well.
   */
  rejections: Partial<Record<AxonOutcome, number>>;
  /**
   * Per wire: requests, and rejections by reason (the wire verifier's code when it refused,
   * else the outcome).
   */
  wires: Record<string, { requests: number; rejections: Record<string, number> }>;
  dendrite: Record<
    string,
    {
      queries: number;
      byStatus: Record<string, number>;
      errors: Record<string, number>;
      latency: Latency;
    }
  >;
}

/** An in-memory collector implementing the hooks; `snapshot()` is what a dashboard reads. */
export class TransportMetrics implements TransportMetricsHooks {
  #axon = new Map<string, RouteStats>();
  #rejections: Partial<Record<AxonOutcome, number>> = {};
  #wires = new Map<string, MetricsSnapshot['wires'][string]>();
  #dendrite = new Map<string, MetricsSnapshot['dendrite'][string]>();

  onAxonRequest(e: AxonRequestEvent): void {
    const s = entry(this.#axon, e.route, () => ({
      requests: 0,
      byStatus: {},
      byOutcome: {},
      latency: newLatency(),
    }));
    s.requests++;
    bump(s.byStatus, e.status);
    bump(s.byOutcome, e.outcome);
    observe(s.latency, e.durationMs);
    if (e.outcome !== 'ok') bump(this.#rejections, e.outcome);
    if (e.wire !== undefined) {
      const w = entry(this.#wires, e.wire, () => ({ requests: 0, rejections: {} }));
      w.requests++;
      if (e.outcome !== 'ok') bump(w.rejections, e.reason ?? e.outcome);
    }
  }

  onDendriteQuery(e: DendriteQueryEvent): void {
    const s = entry(this.#dendrite, e.route, () => ({
      queries: 0,
      byStatus: {},
      errors: {},
      latency: newLatency(),
    }));
    s.queries++;
    bump(s.byStatus, e.status);
    if (e.error) bump(s.errors, e.error);
    observe(s.latency, e.durationMs);
  }

  snapshot(): MetricsSnapshot {
    return structuredClone({
      axon: Object.fromEntries(this.#axon),
      rejections: this.#rejections,
      wires: Object.fromEntries(this.#wires),
      dendrite: Object.fromEntries(this.#dendrite),
    });
  }
}
