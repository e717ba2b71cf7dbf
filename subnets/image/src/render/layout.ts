// Where the procedural renderer puts each shape: one shape per cell of a grid over the shape
// region, cells and sizes drawn from the seed, so shapes never overlap or touch.

import { seededRandom } from '@subnetkit/neuron/random';
import type { ColourName } from '../prompt/palette.js';
import { type ImageTaskSpec, type ShapeKind, textBand } from '../prompt/spec.js';

export interface PlacedShape {
  kind: ShapeKind;
  colour: ColourName;
  /** Bounding box, in pixels. */
  x: number;
  y: number;
  size: number;
}

export interface Layout {
  shapes: PlacedShape[];
  /** The region shapes are placed in. */
  region: { x: number; y: number; width: number; height: number };
  /** The text band (bottom quarter), when the spec has text. */
  band: { top: number; height: number } | null;
}

const LABEL = 'subnetkit/image/render/v1';

/** Margin kept clear around the image: the colour check reads the background from it. */
export function marginOf(spec: Pick<ImageTaskSpec, 'width' | 'height'>): number {
  return Math.round(0.06 * Math.min(spec.width, spec.height));
}

export function layoutShapes(spec: ImageTaskSpec, seed: Uint8Array): Layout {
  const rng = seededRandom(seed, LABEL);
  const margin = marginOf(spec);
  const band = spec.text ? textBand(spec) : null;
  const bottom = band ? band.top - Math.round(margin / 2) : spec.height - margin;
  const region = { x: margin, y: margin, width: spec.width - 2 * margin, height: bottom - margin };

  const items = spec.shapes.flatMap((g) =>
    Array.from({ length: g.count }, () => ({ kind: g.kind, colour: g.colour })),
  );
  const n = items.length;
  if (n === 0) return { shapes: [], region, band };
  // The grid with the largest square cell that fits n shapes.
  let best = { cols: 1, rows: n, cell: 0 };
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const cell = Math.min(region.width / cols, region.height / rows);
    if (cell > best.cell) best = { cols, rows, cell };
  }
  const { cols, rows } = best;
  const cellW = region.width / cols;
  const cellH = region.height / rows;
  const cells = rng.shuffle(Array.from({ length: cols * rows }, (_, i) => i)).slice(0, n);
  const shapes = items.map((item, i) => {
    const cell = cells[i]!;
    const cx = region.x + (cell % cols) * cellW;
    const cy = region.y + Math.floor(cell / cols) * cellH;
    const room = Math.min(cellW, cellH);
    const size = Math.floor(room * (0.55 + 0.25 * rng.float()));
    // A gap of at least 10% of the cell on every side keeps neighbours apart.
    const gap = 0.1 * room;
    const x = Math.round(cx + gap + rng.float() * Math.max(0, cellW - size - 2 * gap));
    const y = Math.round(cy + gap + rng.float() * Math.max(0, cellH - size - 2 * gap));
    return { ...item, x, y, size };
  });
  return { shapes, region, band };
}
