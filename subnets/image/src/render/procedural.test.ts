import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SEED, seedOf, specOf } from '../fixtures.test-util.js';
import { PALETTE } from '../prompt/palette.js';
import { renderProcedural, renderSvg } from './procedural.js';

describe('renderProcedural', () => {
  it('renders the exact size, deterministically, in every output format', async () => {
    const spec = specOf({ width: 640, height: 448 });
    const a = await renderProcedural(spec, SEED);
    const b = await renderProcedural(spec, SEED);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(await sharp(a).metadata()).toMatchObject({ format: 'png', width: 640, height: 448 });
    for (const format of ['jpeg', 'webp'] as const) {
      const bytes = await renderProcedural(spec, SEED, { format, quality: 80 });
      expect((await sharp(bytes).metadata()).format).toBe(format);
    }
    const other = await renderProcedural(spec, seedOf(9));
    expect(Buffer.from(a).equals(Buffer.from(other))).toBe(false);
  });

  it('paints the background colour exactly in the corner', async () => {
    const png = await renderProcedural(specOf({ background: 'orange', text: null }), SEED);
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(Array.from(data.subarray(0, 3))).toEqual([...PALETTE.orange]);
  });

  it('writes the shapes and the text into the SVG, and rejects bad input', () => {
    const svg = renderSvg(specOf(), SEED);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg.match(/<rect /g)).toHaveLength(2); // background + 1 square
    expect(svg).toContain('>HELLO 42</text>');
    expect(() => renderSvg(specOf(), new Uint8Array(8))).toThrow(/seed/);
    expect(() => renderSvg(specOf({ background: 'teal' as never }), SEED)).toThrow(
      /spec\.background/,
    );
  });
});
