// Shape counting on the palette label map: 8-connected components of each expected colour,
// small or hollow specks dropped, then each component classified by how much of its bounding
// box it fills (square ≈ 1, circle ≈ π/4 ≈ 0.785, triangle ≈ 0.5).
import type { ColourName } from '../prompt/palette.js';
import type { ImageTaskSpec, ShapeKind } from '../prompt/spec.js';
import { type LabelMap, labelOf } from './quantise.js';

export interface Component {
  area: number;
  x: number;
  y: number;
  width: number;
  height: number;
  fill: number;
  kind: ShapeKind | null;
}

export interface ShapeGroupEvidence {
  colour: ColourName;
  kind: ShapeKind;
  expected: number;
  found: number;
  /** Of the components found, how many look like the expected kind. */
  kindMatches: number;
  components: Component[];
}

export interface ShapesResult {
  /** Mean over groups of 1 − |found − expected| / expected (floored at 0). */
  shapeCounts: number;
  /** Mean over groups of the share of found components of the expected kind (0 if none). */
  shapeKinds: number;
  evidence: { groups: ShapeGroupEvidence[]; minArea: number };
}

/** Fill ratio → kind; null between the bands (not classifiable). */
export function classifyFill(fill: number): ShapeKind | null {
  if (fill >= 0.88) return 'square';
  if (fill >= 0.68 && fill < 0.86) return 'circle';
  if (fill >= 0.38 && fill < 0.62) return 'triangle';
  return null;
}

/** Components of one label, 8-connected, with an explicit stack (no recursion). */
export function components(map: LabelMap, label: number, minArea: number): Component[] {
  const { width, height, labels } = map;
  const seen = new Uint8Array(labels.length);
  const stack = new Int32Array(labels.length);
  const out: Component[] = [];
  for (let start = 0; start < labels.length; start++) {
    if (labels[start] !== label || seen[start]) continue;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    let area = 0;
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    while (top > 0) {
      const p = stack[--top]!;
      const x = p % width;
      const y = (p - x) / width;
      area++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width || (dx === 0 && dy === 0)) continue;
          const q = ny * width + nx;
          if (labels[q] === label && !seen[q]) {
            seen[q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
    const w = maxX - minX + 1;
    const h = maxY - minY + 1;
    const fill = area / (w * h);
    // Specks, slivers along edges and hollow rings (anti-aliased outlines) are not shapes.
    if (area < minArea || w < 3 || h < 3 || fill < 0.3) continue;
    out.push({ area, x: minX, y: minY, width: w, height: h, fill, kind: classifyFill(fill) });
  }
  return out;
}

export function analyseShapes(map: LabelMap, spec: ImageTaskSpec): ShapesResult {
  const minArea = Math.max(8, Math.round(0.0006 * map.labels.length));
  const groups: ShapeGroupEvidence[] = spec.shapes.map((g) => {
    const found = components(map, labelOf(g.colour), minArea);
    return {
      colour: g.colour,
      kind: g.kind,
      expected: g.count,
      found: found.length,
      kindMatches: found.filter((c) => c.kind === g.kind).length,
      components: found,
    };
  });
  if (groups.length === 0) {
    return { shapeCounts: 1, shapeKinds: 1, evidence: { groups, minArea } };
  }
  const mean = (f: (g: ShapeGroupEvidence) => number) =>
    groups.reduce((s, g) => s + f(g), 0) / groups.length;
  return {
    shapeCounts: mean((g) => Math.max(0, 1 - Math.abs(g.found - g.expected) / g.expected)),
    shapeKinds: mean((g) => (g.found === 0 ? 0 : g.kindMatches / g.found)),
    evidence: { groups, minArea },
  };
}
