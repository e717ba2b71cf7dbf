/**
 * Speed on the validator's own clock, shared by every task kind: time to the first chunk and
 * the whole stream's duration, each a multiplier from 1 (by a tenth / a quarter of the timeout)
 * down to 0.5 at the timeout.
 */
import type { StreamObservation } from '@subnetkit/neuron';
import { latencyMultiplier } from '@subnetkit/scoring';

export const SPEED = Object.freeze({ ttftShare: 0.1, durationShare: 0.25, floor: 0.5 });

export function speedComponents(
  stream: Pick<StreamObservation, 'timeToFirstChunkMs' | 'totalMs'>,
  timeoutMs: number,
): { components: { ttft: number; duration: number }; multiplier: number } {
  const ttft = latencyMultiplier(stream.timeToFirstChunkMs ?? Number.POSITIVE_INFINITY, {
    targetMs: SPEED.ttftShare * timeoutMs,
    maxMs: timeoutMs,
    floor: SPEED.floor,
  });
  const duration = latencyMultiplier(stream.totalMs, {
    targetMs: SPEED.durationShare * timeoutMs,
    maxMs: timeoutMs,
    floor: SPEED.floor,
  });
  return { components: { ttft, duration }, multiplier: ttft * duration };
}
