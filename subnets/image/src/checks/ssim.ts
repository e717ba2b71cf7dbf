// SSIM (Wang, Bovik, Sheikh & Simoncelli 2004): 11×11 Gaussian window, σ = 1.5,
// C1 = (0.01·255)², C2 = (0.03·255)², after the reference implementation's automatic
// downsampling by round(min(w, h) / 256). For comparing a procedural miner's image with the
// validator's own re-render of the same spec and seed.
import { type GreyImage, resizeArea } from './grey.js';

const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;
const RADIUS = 5;
const KERNEL = (() => {
  const k = new Float64Array(2 * RADIUS + 1);
  let sum = 0;
  for (let i = -RADIUS; i <= RADIUS; i++) {
    k[i + RADIUS] = Math.exp(-(i * i) / (2 * 1.5 * 1.5));
    sum += k[i + RADIUS]!;
  }
  for (let i = 0; i < k.length; i++) k[i] = k[i]! / sum;
  return k;
})();

/** Separable Gaussian blur, "valid" region only (no padding): (w−10) × (h−10). */
function blur(src: Float64Array, w: number, h: number): Float64Array {
  const vw = w - 2 * RADIUS;
  const vh = h - 2 * RADIUS;
  const mid = new Float64Array(vw * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < vw; x++) {
      let s = 0;
      for (let k = 0; k <= 2 * RADIUS; k++) s += KERNEL[k]! * src[y * w + x + k]!;
      mid[y * vw + x] = s;
    }
  }
  const out = new Float64Array(vw * vh);
  for (let y = 0; y < vh; y++) {
    for (let x = 0; x < vw; x++) {
      let s = 0;
      for (let k = 0; k <= 2 * RADIUS; k++) s += KERNEL[k]! * mid[(y + k) * vw + x]!;
      out[y * vw + x] = s;
    }
  }
  return out;
}

export function ssim(a: GreyImage, b: GreyImage): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`ssim: sizes differ (${a.width}×${a.height} vs ${b.width}×${b.height})`);
  }
  const f = Math.max(1, Math.round(Math.min(a.width, a.height) / 256));
  const w = Math.floor(a.width / f);
  const h = Math.floor(a.height / f);
  if (w <= 2 * RADIUS || h <= 2 * RADIUS)
    throw new RangeError('ssim: image smaller than the window');
  const x = f === 1 ? a : resizeArea(a, w, h);
  const y = f === 1 ? b : resizeArea(b, w, h);
  const n = w * h;
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = x.data[i]!;
    const q = y.data[i]!;
    xs[i] = p;
    ys[i] = q;
    xx[i] = p * p;
    yy[i] = q * q;
    xy[i] = p * q;
  }
  const mx = blur(xs, w, h);
  const my = blur(ys, w, h);
  const sxx = blur(xx, w, h);
  const syy = blur(yy, w, h);
  const sxy = blur(xy, w, h);
  let total = 0;
  for (let i = 0; i < mx.length; i++) {
    const ux = mx[i]!;
    const uy = my[i]!;
    const vx = sxx[i]! - ux * ux;
    const vy = syy[i]! - uy * uy;
    const cov = sxy[i]! - ux * uy;
    total += ((2 * ux * uy + C1) * (2 * cov + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
  }
  return total / mx.length;
}
