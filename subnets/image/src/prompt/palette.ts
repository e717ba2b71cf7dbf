// The fixed palette tasks are drawn from: 12 named colours far apart in CIELAB (every pair is
// at least 19.5 ΔE2000 apart; palette.test.ts checks it), each close to what the name means
// in CSS (pure red, blue, navy, purple … are nearest to their own name here), with the sRGB
// value the procedural renderer paints and the checks measure against.

export const COLOUR_NAMES = [
  'white',
  'black',
  'grey',
  'red',
  'orange',
  'yellow',
  'green',
  'blue',
  'navy',
  'purple',
  'pink',
  'brown',
] as const;

export type ColourName = (typeof COLOUR_NAMES)[number];

export type Rgb = readonly [r: number, g: number, b: number];

export const PALETTE: Readonly<Record<ColourName, Rgb>> = {
  white: [255, 255, 255],
  black: [0, 0, 0],
  grey: [128, 128, 128],
  red: [214, 39, 40],
  orange: [255, 140, 0],
  yellow: [255, 221, 0],
  green: [44, 160, 44],
  blue: [20, 70, 235],
  navy: [12, 24, 96],
  purple: [135, 35, 150],
  pink: [255, 130, 190],
  brown: [125, 70, 30],
};

export function isColourName(value: unknown): value is ColourName {
  return typeof value === 'string' && (COLOUR_NAMES as readonly string[]).includes(value);
}

export function hex(rgb: Rgb): string {
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
