/** Internal: `alpha_sigmoid` of run_epoch.rs (liquid alpha), in I32F32. */
import { div, fromInt, mul, ONE, u16Proportion } from './fixed.js';

export interface LiquidAlpha {
  low: number;
  high: number;
  /** steepness / −100 (I32F32) */
  steep: number;
  /** `steep` as an integer when it is one (steepness a multiple of 100), else NaN */
  steepInt: number;
}

export function liquidAlphaParams(alphaLow: number, alphaHigh: number, steepness: number) {
  const steep = div(fromInt(steepness), fromInt(-100));
  return {
    low: u16Proportion(alphaLow),
    high: u16Proportion(alphaHigh),
    steep,
    steepInt: steep % ONE === 0 ? steep / ONE : Number.NaN,
  } satisfies LiquidAlpha;
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(ONE, x));
}

/** The `exp_safe` input of one bond's sigmoid: how far the weight is from consensus (buy) or the bond (sell). */
export function sigmoidInput(
  consensus: number,
  weight: number,
  bond: number,
  p: LiquidAlpha,
): number {
  const combined = weight >= bond ? clamp01(weight - consensus) : clamp01(bond - weight);
  const d = combined - ONE / 2;
  // an integer steepness multiplies exactly (no fraction bits to floor away)
  return Number.isNaN(p.steepInt) ? mul(p.steep, d) : p.steepInt * d + 0;
}

/** α from `exp_safe(sigmoidInput(…))`: low + sigmoid·(high − low), clamped to [low, high]. */
export function alphaFromExp(e: number, p: LiquidAlpha): number {
  const sigmoid = div(ONE, ONE + e);
  const alpha = p.low + mul(sigmoid, p.high - p.low);
  return Math.max(p.low, Math.min(p.high, alpha)); // this order also when low > high
}
