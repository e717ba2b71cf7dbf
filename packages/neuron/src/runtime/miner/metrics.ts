import { LATENCY_BUCKETS_MS, type TransportMetrics } from '@subnetkit/transport';
import type { Registry } from 'prom-client';
import type { NeuronConfig } from '../../config/schema.js';
import {
  counterFrom,
  gaugeFrom,
  histogramFrom,
  registerNeuronMetrics,
  type Sample,
} from '../metrics.js';
import type { MinerNode } from './types.js';

/** The route label of refusals below the pipeline (malformed HTTP, connections turned away). */
const NO_ROUTE = '(connection)';

/**
 * The miner's metrics, read from the axon's `TransportMetrics` at each scrape: requests by
 * synapse (route) and HTTP status, refusals by reason, the request-duration histogram the
 * transport keeps (its `LATENCY_BUCKETS_MS`) and the slowest request, forward's counts.
 * The transport does not time the signature check apart, so no verification time is shown.
 */
export function registerMinerMetrics<C extends NeuronConfig>(
  registry: Registry,
  node: MinerNode<C>,
  metrics: TransportMetrics,
): void {
  registerNeuronMetrics(registry, node);
  const routes = () => Object.entries(metrics.snapshot().axon);
  const synapse = (route: string) => (route === '' ? NO_ROUTE : route);
  counterFrom(
    registry,
    'subnetkit_axon_requests_total',
    'Requests the axon answered, by synapse (route) and HTTP status (0: closed unanswered)',
    ['synapse', 'status'],
    () =>
      routes().flatMap(([route, s]) =>
        Object.entries(s.byStatus).map(
          ([status, n]): Sample => [{ synapse: synapse(route), status }, n],
        ),
      ),
  );
  counterFrom(
    registry,
    'subnetkit_axon_refusals_total',
    'Requests the axon turned away before or instead of forward, by reason',
    ['reason'],
    () =>
      Object.entries(metrics.snapshot().rejections).map(
        ([reason, n]): Sample => [{ reason }, n ?? 0],
      ),
  );
  histogramFrom(
    registry,
    'subnetkit_axon_request_duration_ms',
    'Wall time from request arrival to the last byte written, by synapse (ms)',
    LATENCY_BUCKETS_MS,
    () =>
      routes().map(([route, s]) => [
        { synapse: synapse(route) },
        { count: s.latency.count, sum: s.latency.sumMs, buckets: s.latency.buckets },
      ]),
  );
  gaugeFrom(
    registry,
    'subnetkit_axon_request_duration_max_ms',
    'The slowest request since start, by synapse (ms)',
    ['synapse'],
    () => routes().map(([route, s]): Sample => [{ synapse: synapse(route) }, s.latency.maxMs]),
  );
  counterFrom(
    registry,
    'subnetkit_miner_forward_total',
    "The definition's forward: answered (ok) or threw (error)",
    ['result'],
    () => [
      [{ result: 'ok' }, node.counts.served],
      [{ result: 'error' }, node.counts.failed],
    ],
  );
}
