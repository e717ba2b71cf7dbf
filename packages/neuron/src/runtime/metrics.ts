/**
 * The neuron's `/metrics` (Prometheus text, `prom-client`): one `Registry` per neuron (never
 * the global default, so two neurons in one process do not collide), every value read at
 * scrape time from what the runtime already keeps (the transport's `TransportMetrics`, the
 * validator's counters, the chain's connection).
 */
import type { Chain } from '@subnetkit/chain';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** Label values of one sample. */
export type Labels = Record<string, string>;
/** One sample: its labels and value. */
export type Sample = [Labels, number];

/** A latency or duration kept as cumulative bucket counts (what `TransportMetrics` keeps). */
export interface BucketStats {
  count: number;
  /** The sum, in the unit of the bounds. */
  sum: number;
  /** Cumulative counts for `bounds`, then +Inf last (`bounds.length + 1` entries). */
  buckets: readonly number[];
}

/** A fresh `BucketStats` for `bounds`. */
export function newBucketStats(bounds: readonly number[]): BucketStats & { buckets: number[] } {
  return { count: 0, sum: 0, buckets: new Array(bounds.length + 1).fill(0) };
}

/** Adds one observation to `stats` (cumulative buckets, as `TransportMetrics` does). */
export function observeBuckets(
  stats: BucketStats & { buckets: number[] },
  bounds: readonly number[],
  value: number,
): void {
  stats.count++;
  stats.sum += value;
  let i = bounds.findIndex((b) => value <= b);
  if (i < 0) i = bounds.length;
  for (let j = i; j < stats.buckets.length; j++) stats.buckets[j]!++;
}

/** A new per-neuron registry; `role` and `netuid` label every sample. */
export function createMetricsRegistry(options: {
  role: string;
  netuid: number;
  /** Node's process metrics (`subnetkit_process_*`, `subnetkit_nodejs_*`); default off. */
  processMetrics?: boolean;
}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ role: options.role, netuid: String(options.netuid) });
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'subnetkit_' });
  return registry;
}

/** A counter whose samples are read at scrape time (absolute totals kept elsewhere). */
export function counterFrom(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: () => Sample[],
): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.inc(labels, value);
    },
  });
}

/** A gauge whose samples are read at scrape time (none when `read` gives none). */
export function gaugeFrom(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: () => Sample[],
): void {
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.set(labels, value);
    },
  });
}

/**
 * A histogram read at scrape time from cumulative bucket counts kept elsewhere (prom-client's
 * `Histogram` can only be observed, not set): `_bucket{le}`, `_sum`, `_count` per label set.
 */
export function histogramFrom(
  registry: Registry,
  name: string,
  help: string,
  bounds: readonly number[],
  read: () => Array<[Labels, BucketStats]>,
): void {
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    // What the registry formats: one line per value (`metricName`, `labels`, `value`).
    get() {
      const values: Array<{ metricName: string; labels: Labels; value: number }> = [];
      for (const [labels, stats] of read()) {
        bounds.forEach((le, i) => {
          values.push({
            metricName: `${name}_bucket`,
            labels: { ...labels, le: String(le) },
            value: stats.buckets[i] ?? 0,
          });
        });
        values.push({
          metricName: `${name}_bucket`,
          labels: { ...labels, le: '+Inf' },
          value: stats.buckets[bounds.length] ?? stats.count,
        });
        values.push({ metricName: `${name}_sum`, labels, value: stats.sum });
        values.push({ metricName: `${name}_count`, labels, value: stats.count });
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    },
    reset() {},
  };
  registry.registerMetric(metric as never);
}

/** `chain.isConnected` where the chain has it (a `SubtensorChain`); true otherwise. */
export function chainConnected(chain: Chain): boolean {
  const c = (chain as { isConnected?: unknown }).isConnected;
  return typeof c === 'boolean' ? c : true;
}

/** `chain.reconnects` where the chain counts them (a `SubtensorChain`), else null. */
export function chainReconnects(chain: Chain): number | null {
  const r = (chain as { reconnects?: unknown }).reconnects;
  return typeof r === 'number' ? r : null;
}

/** What both roles show: the chain link, its reconnects, the latest block, errors. */
export function registerNeuronMetrics(
  registry: Registry,
  node: { chain: Chain; block: number; errors: { total: number } },
): void {
  gaugeFrom(registry, 'subnetkit_chain_connected', '1 while the chain link is up', [], () => [
    [{}, chainConnected(node.chain) ? 1 : 0],
  ]);
  // Only for a chain that counts them (a `SubtensorChain`); an injected one may not.
  if (chainReconnects(node.chain) !== null) {
    counterFrom(
      registry,
      'subnetkit_chain_reconnects_total',
      'Times the chain link came back after a drop',
      [],
      () => [[{}, chainReconnects(node.chain) ?? 0]],
    );
  }
  gaugeFrom(registry, 'subnetkit_block', 'The latest block the neuron has seen', [], () => [
    [{}, node.block],
  ]);
  counterFrom(
    registry,
    'subnetkit_errors_total',
    'Errors the neuron kept for /status (recentErrors), since start',
    [],
    () => [[{}, node.errors.total]],
  );
}

/** The `/metrics` provider of the status endpoint. */
export function metricsProvider(
  registry: Registry,
): () => Promise<{ contentType: string; text: string }> {
  return async () => ({ contentType: registry.contentType, text: await registry.metrics() });
}
