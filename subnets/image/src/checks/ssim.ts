// SSIM (Wang, Bovik, Sheikh & Simoncelli 2004): 11×11 Gaussian window, σ = 1.5,
// C1 = (0.01·255)², C2 = (0.03·255)², after the reference implementation's automatic
// downsampling by round(min(w, h) / 256). For comparing a procedural miner's image with the
// validator's own re-render of the same spec and seed.
import type { GreyImage } from './grey.js';

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

/** Integer-factor box downsampling (the reference implementation's pre-filter). */
function downsample(src: GreyImage, f: number): Float32Array {
  const w = Math.floor(src.width / f);
  const h = Math.floor(src.height / f);
  if (f === 1) return src.data;
  const out = new Float32Array(w * h);
  const inv = 1 / (f * f);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < f; dy++) {
        const row = (y * f + dy) * src.width + x * f;
        for (let dx = 0; dx < f; dx++) sum += src.data[row + dx]!;
      }
      out[y * w + x] = sum * inv;
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
  const x = downsample(a, f);
  const y = downsample(b, f);
  // Horizontal Gaussian pass of x, y, x², y², xy in one sweep ("valid" columns only) …
  const vw = w - 2 * RADIUS;
  const vh = h - 2 * RADIUS;
  const n = vw * h;
  const mx = new Float64Array(n);
  const my = new Float64Array(n);
  const mxx = new Float64Array(n);
  const myy = new Float64Array(n);
  const mxy = new Float64Array(n);
  const taps = 2 * RADIUS + 1;
  for (let r = 0; r < h; r++) {
    const row = r * w;
    for (let c = 0; c < vw; c++) {
      let sx = 0;
      let sy = 0;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let k = 0; k < taps; k++) {
        const g = KERNEL[k]!;
        const p = x[row + c + k]!;
        const q = y[row + c + k]!;
        sx += g * p;
        sy += g * q;
        sxx += g * p * p;
        syy += g * q * q;
        sxy += g * p * q;
      }
      const i = r * vw + c;
      mx[i] = sx;
      my[i] = sy;
      mxx[i] = sxx;
      myy[i] = syy;
      mxy[i] = sxy;
    }
  }
  // … then the vertical pass, folded into the SSIM map and its mean.
  let total = 0;
  for (let r = 0; r < vh; r++) {
    for (let c = 0; c < vw; c++) {
      let ux = 0;
      let uy = 0;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let k = 0; k < taps; k++) {
        const g = KERNEL[k]!;
        const i = (r + k) * vw + c;
        ux += g * mx[i]!;
        uy += g * my[i]!;
        sxx += g * mxx[i]!;
        syy += g * myy[i]!;
        sxy += g * mxy[i]!;
      }
      const vx = sxx - ux * ux;
      const vy = syy - uy * uy;
      const cov = sxy - ux * uy;
      total += ((2 * ux * uy + C1) * (2 * cov + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
    }
  }
  return total / (vw * vh);
}
