/**
 * From the checks of one answer to its verdict: an image that does not decode, has the wrong
 * size or copies an answer to another task fails with 0; otherwise the weighted facets (those
 * this validator could check) times a latency multiplier on the validator's clock.
 */
import { fail, latencyMultiplier, pass, type Verdict } from '@subnetkit/scoring';
import type { ComponentName, ImageCheckResult } from '../checks/check-image.js';
import type { ImageTaskSpec } from '../prompt/spec.js';
import type { CopyMatch } from './copies.js';

/** How much each facet counts (text only when the task asks for text). */
export const FACET_WEIGHTS: Readonly<Partial<Record<ComponentName, number>>> = Object.freeze({
  background: 0.2,
  shapeColours: 0.15,
  colourShare: 0.1,
  shapeCounts: 0.2,
  shapeKinds: 0.1,
  text: 0.25,
});

/** Below this share of the facets right, the image is not what was asked: `fail` (scored). */
export const MIN_QUALITY = 0.6;

/** A right answer in the first quarter of the timeout earns it all; at the timeout, half. */
export const LATENCY = Object.freeze({ targetShare: 0.25, floor: 0.5, curve: 'power' as const });

export interface ImageEvidence {
  checks: ImageCheckResult['evidence'];
  timings: ImageCheckResult['timings'];
  latencyMs: number;
  copyOf?: CopyMatch;
  partial?: ImageCheckResult['partial'];
}

export interface ScoreInputs {
  spec: ImageTaskSpec;
  result: ImageCheckResult;
  /** The nearest earlier answer to another task, when this one is near it. */
  copy: CopyMatch | null;
  latencyMs: number;
  timeoutMs: number;
}

export function scoreImage(inputs: ScoreInputs): Verdict<ImageEvidence> {
  const { spec, result, copy, latencyMs, timeoutMs } = inputs;
  const evidence: ImageEvidence = {
    checks: result.evidence,
    timings: result.timings,
    latencyMs,
  };
  if (!result.decoded) {
    const f = result.failure;
    return fail(`the image does not decode: ${f ? `${f.code}: ${f.reason}` : 'unknown'}`, {
      components: { dimensions: 0 },
      evidence,
    });
  }
  if (result.components.dimensions !== 1) {
    const got = result.evidence.decode;
    return fail(
      `wrong size: ${got ? `${got.width}×${got.height}` : '?'}, asked for ${spec.width}×${spec.height}`,
      { components: { dimensions: 0 }, evidence },
    );
  }
  if (copy) {
    evidence.copyOf = copy;
    return fail(
      `a copy: ${copy.pHashDistance} bits (pHash) from uid ${copy.uid}'s answer to task ${copy.taskId}`,
      { components: { dimensions: 1, original: 0 }, evidence },
    );
  }
  const components: Record<string, number | null> = { dimensions: 1 };
  const reasons: string[] = [];
  let weighted = 0;
  let total = 0;
  for (const [name, weight] of Object.entries(FACET_WEIGHTS) as [ComponentName, number][]) {
    if (name === 'text' && !spec.text) continue;
    const partial = result.partial.find((p) => p.component === name);
    if (partial) {
      components[name] = null;
      reasons.push(`partial: ${name} not checked here (${partial.reason})`);
      continue;
    }
    const value = result.components[name];
    if (value === undefined) continue;
    components[name] = value;
    weighted += weight * value;
    total += weight;
  }
  if (result.partial.length > 0) evidence.partial = result.partial;
  const quality = total > 0 ? weighted / total : 0;
  const latency = latencyMultiplier(latencyMs, {
    targetMs: LATENCY.targetShare * timeoutMs,
    maxMs: timeoutMs,
    floor: LATENCY.floor,
    curve: LATENCY.curve,
  });
  components.quality = quality;
  components.latency = latency;
  if (quality < MIN_QUALITY) {
    const missed = Object.entries(components)
      .filter(([name, v]) => name in FACET_WEIGHTS && v !== null && v < 0.5)
      .map(([name, v]) => `${name} ${(v as number).toFixed(2)}`);
    return fail(
      `not the image asked for: facets ${quality.toFixed(2)} of 1 (low: ${missed.join(', ') || 'none'})`,
      { score: quality * latency, components, evidence },
    );
  }
  return pass(quality * latency, { components, reasons, evidence });
}
