// A spec and its layout as SVG: flat fills, axis-aligned squares, upward triangles, and the text
// centred in the band in a large bold sans font.
import { hex, PALETTE } from '../prompt/palette.js';
import type { ImageTaskSpec } from '../prompt/spec.js';
import type { Layout, PlacedShape } from './layout.js';

export const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';
/** Advance width of an uppercase letter or digit of DejaVu Sans Bold, in em (upper bound). */
const ADVANCE_EM = 0.78;

function shapeSvg(s: PlacedShape): string {
  const fill = hex(PALETTE[s.colour]);
  switch (s.kind) {
    case 'circle': {
      const r = s.size / 2;
      return `<circle cx="${s.x + r}" cy="${s.y + r}" r="${r}" fill="${fill}"/>`;
    }
    case 'square':
      return `<rect x="${s.x}" y="${s.y}" width="${s.size}" height="${s.size}" fill="${fill}"/>`;
    case 'triangle': {
      const points = `${s.x + s.size / 2},${s.y} ${s.x + s.size},${s.y + s.size} ${s.x},${s.y + s.size}`;
      return `<polygon points="${points}" fill="${fill}"/>`;
    }
  }
}

/** Font size and baseline that fit `text` in the band with room to spare. */
export function textMetrics(
  spec: Pick<ImageTaskSpec, 'width'>,
  band: { top: number; height: number },
  text: string,
): { fontSize: number; baseline: number } {
  const fontSize = Math.floor(
    Math.min(band.height * 0.6, (spec.width * 0.85) / (text.length * ADVANCE_EM)),
  );
  // Capitals are about 0.73 em tall: centre them in the band.
  const baseline = Math.round(band.top + band.height / 2 + 0.365 * fontSize);
  return { fontSize, baseline };
}

export function composeSvg(spec: ImageTaskSpec, layout: Layout): string {
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${spec.width}" height="${spec.height}" viewBox="0 0 ${spec.width} ${spec.height}">`,
    `<rect x="0" y="0" width="${spec.width}" height="${spec.height}" fill="${hex(PALETTE[spec.background])}"/>`,
    ...layout.shapes.map(shapeSvg),
  ];
  if (spec.text && layout.band) {
    const { fontSize, baseline } = textMetrics(spec, layout.band, spec.text.value);
    parts.push(
      `<text x="${spec.width / 2}" y="${baseline}" text-anchor="middle" font-family="${FONT_FAMILY}" font-weight="bold" font-size="${fontSize}" fill="${hex(PALETTE[spec.text.colour])}">${spec.text.value}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
