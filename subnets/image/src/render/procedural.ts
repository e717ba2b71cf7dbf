// The offline "procedural" miner backend's core: spec + seed → SVG → PNG (or JPEG/WebP) bytes
// with sharp (librsvg). Deterministic for (spec, seed) on machines with the same fonts.

import { assertSeed } from '@subnetkit/neuron/random';
import sharp from 'sharp';
import { ImageSubnetError } from '../errors.js';
import { assertTaskSpec, type ImageTaskSpec } from '../prompt/spec.js';
import { layoutShapes } from './layout.js';
import { composeSvg } from './svg.js';

export type OutputFormat = 'png' | 'jpeg' | 'webp';

export interface RenderOptions {
  /** Default 'png'. */
  format?: OutputFormat;
  /** JPEG/WebP quality, default 90. */
  quality?: number;
}

export function renderSvg(spec: ImageTaskSpec, seed: Uint8Array): string {
  assertTaskSpec(spec);
  assertSeed(seed);
  return composeSvg(spec, layoutShapes(spec, seed));
}

export async function renderProcedural(
  spec: ImageTaskSpec,
  seed: Uint8Array,
  options: RenderOptions = {},
): Promise<Uint8Array> {
  const svg = renderSvg(spec, seed);
  const format = options.format ?? 'png';
  const quality = options.quality ?? 90;
  try {
    const image = sharp(Buffer.from(svg), { density: 72 });
    const out =
      format === 'png'
        ? image.png({ compressionLevel: 6 })
        : format === 'jpeg'
          ? image.jpeg({ quality })
          : image.webp({ quality });
    return new Uint8Array(await out.toBuffer());
  } catch (cause) {
    throw new ImageSubnetError('RENDER_FAILED', `rendering the SVG failed: ${String(cause)}`, {
      cause,
    });
  }
}
