import type { Chain } from '@subnetkit/chain';
import type { Lifecycle } from '../lifecycle.js';
import type { HealthReport } from '../status-server.js';
import { chainConnected } from './metrics.js';

/** One `/healthz` check: ok, and why not (or what it saw). */
export interface HealthCheck {
  ok: boolean;
  reason?: string;
  [key: string]: unknown;
}

/** The report: ok when every check is; `failing` names the others. */
export function healthReport(checks: Record<string, HealthCheck>): HealthReport {
  const failing = Object.entries(checks)
    .filter(([, c]) => !c.ok)
    .map(([name]) => name);
  return { ok: failing.length === 0, failing, checks };
}

/** The chain link is up (`isConnected`; a chain without it counts as connected). */
export function chainCheck(chain: Chain): HealthCheck {
  return chainConnected(chain)
    ? { ok: true }
    : { ok: false, reason: `not connected to ${chain.endpoint} (reconnecting)` };
}

/** The lifecycle still runs (not draining or stopping). */
export function lifecycleCheck(lifecycle: Lifecycle): HealthCheck {
  return lifecycle.running
    ? { ok: true, state: lifecycle.state }
    : { ok: false, state: lifecycle.state, reason: `shutting down (${lifecycle.state})` };
}
