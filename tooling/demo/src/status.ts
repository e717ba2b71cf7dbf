/** What the market reads from a neuron's `GET /status` (the rest of the JSON is kept as is). */
export interface NeuronStatus {
  role?: string;
  uid?: number | null;
  hotkey?: string | null;
  block?: number | null;
  step?: number | null;
  scores?: {
    n?: number;
    nonZero?: number;
    top?: Array<{ uid: number; score: number }>;
    [key: string]: unknown;
  } | null;
  lastWeights?: { block: number; uids?: number; mode?: string } | null;
  recentErrors?: Array<{ message: string; code?: string }>;
  [key: string]: unknown;
}

/** `GET http://127.0.0.1:<port>/status`, or null when the neuron does not answer in time. */
export async function fetchStatus(
  port: number,
  timeoutMs = 1000,
  host = '127.0.0.1',
): Promise<NeuronStatus | null> {
  try {
    const res = await fetch(`http://${host}:${port}/status`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as unknown;
    return typeof body === 'object' && body !== null ? (body as NeuronStatus) : null;
  } catch {
    return null;
  }
}

/**
 * A validator's score per uid from its status: a full `scores.values` array when the runtime
 * publishes one, else whatever `scores.top` lists.
 */
export function scoresFromStatus(status: NeuronStatus | null): Map<number, number> {
  const out = new Map<number, number>();
  const scores = status?.scores;
  if (!scores) return out;
  const values = (scores as { values?: unknown }).values;
  if (Array.isArray(values)) {
    values.forEach((v, uid) => {
      if (typeof v === 'number') out.set(uid, v);
    });
    return out;
  }
  const top = scores.top ?? [];
  for (const t of top) out.set(t.uid, t.score);
  // `top` lists the non-zero scores first; when it lists all of them, every other uid is 0.
  if (
    typeof scores.n === 'number' &&
    typeof scores.nonZero === 'number' &&
    top.length >= scores.nonZero
  ) {
    for (let uid = 0; uid < scores.n; uid++) if (!out.has(uid)) out.set(uid, 0);
  }
  return out;
}

/** A count of answered requests from a miner's status, whatever the runtime calls it. */
export function servedFromStatus(status: NeuronStatus | null): number | null {
  if (!status) return null;
  for (const key of ['requestsServed', 'served', 'requests']) {
    const v = status[key];
    if (typeof v === 'number') return v;
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of ['served', 'total', 'ok'])
        if (typeof o[k] === 'number') return o[k] as number;
    }
  }
  return null;
}

/**
 * The block of the validator's latest step when that step queried at least `miners` miners;
 * `'unknown'` when its status has no `lastStep` (a runtime that does not publish it), null
 * while it has not.
 */
export function fullStepBlock(
  status: NeuronStatus | null,
  miners: number,
): number | null | 'unknown' {
  if (!status) return null;
  if (!('lastStep' in status)) return 'unknown';
  const last = status.lastStep as { block?: unknown; queried?: unknown } | null;
  if (!last || typeof last.queried !== 'number' || typeof last.block !== 'number') return null;
  return last.queried >= miners ? last.block : null;
}
