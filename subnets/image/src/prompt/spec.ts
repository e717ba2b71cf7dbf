// The task spec: every facet the checks measure, plus style words that are only flavour.
import { ImageSubnetError } from '../errors.js';
import { type ColourName, isColourName } from './palette.js';

export const SHAPE_KINDS = ['circle', 'square', 'triangle'] as const;
export type ShapeKind = (typeof SHAPE_KINDS)[number];

/** A group of `count` shapes of one kind and one colour (colours are unique per spec). */
export interface ShapeGroup {
  kind: ShapeKind;
  colour: ColourName;
  count: number;
}

export interface TextSpec {
  /** Uppercase letters and digits, optionally one space: 3–8 characters. */
  value: string;
  colour: ColourName;
}

export interface ImageTaskSpec {
  version: 1;
  width: number;
  height: number;
  background: ColourName;
  shapes: ShapeGroup[];
  /** Rendered in the bottom quarter of the image (the text band). */
  text: TextSpec | null;
  style: string[];
}

export const SIZES: readonly (readonly [width: number, height: number])[] = [
  [256, 256],
  [384, 384],
  [512, 512],
  [768, 768],
  [512, 384],
  [384, 512],
  [640, 448],
  [768, 512],
  [512, 768],
];

export const MAX_SHAPE_GROUPS = 4;
export const MAX_GROUP_COUNT = 3;
export const TEXT_PATTERN = /^[A-Z0-9]+( [A-Z0-9]+)?$/;

/** The band the text is rendered in (and the OCR check reads): the bottom quarter. */
export function textBand(spec: Pick<ImageTaskSpec, 'width' | 'height'>): {
  top: number;
  height: number;
} {
  const height = Math.round(spec.height / 4);
  return { top: spec.height - height, height };
}

const bad = (field: string, why: string) =>
  new ImageSubnetError('INVALID_ARGUMENT', `${field}: ${why}`, { field });

/** Validates a spec that came from elsewhere (a peer, a file); throws naming the bad field. */
export function assertTaskSpec(value: unknown): asserts value is ImageTaskSpec {
  if (typeof value !== 'object' || value === null) throw bad('spec', 'must be an object');
  const spec = value as Record<string, unknown>;
  if (spec.version !== 1) throw bad('spec.version', 'must be 1');
  for (const key of ['width', 'height'] as const) {
    const v = spec[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 64 || v > 4096 || v % 64 !== 0) {
      throw bad(`spec.${key}`, 'must be a multiple of 64 in [64, 4096]');
    }
  }
  if (!isColourName(spec.background)) throw bad('spec.background', 'must be a palette colour');
  if (!Array.isArray(spec.shapes) || spec.shapes.length > MAX_SHAPE_GROUPS) {
    throw bad('spec.shapes', `must be an array of at most ${MAX_SHAPE_GROUPS} groups`);
  }
  const colours = new Set<string>([spec.background]);
  spec.shapes.forEach((g: unknown, i) => {
    const group = g as Partial<ShapeGroup> | null;
    const field = `spec.shapes[${i}]`;
    if (typeof group !== 'object' || group === null) throw bad(field, 'must be an object');
    if (!(SHAPE_KINDS as readonly unknown[]).includes(group.kind)) {
      throw bad(`${field}.kind`, `must be one of ${SHAPE_KINDS.join(', ')}`);
    }
    if (!isColourName(group.colour) || colours.has(group.colour)) {
      throw bad(
        `${field}.colour`,
        'must be a palette colour unused by the background and other groups',
      );
    }
    colours.add(group.colour);
    if (!Number.isInteger(group.count) || group.count! < 1 || group.count! > MAX_GROUP_COUNT) {
      throw bad(`${field}.count`, `must be an integer in [1, ${MAX_GROUP_COUNT}]`);
    }
  });
  if (spec.text !== null) {
    const text = spec.text as Partial<TextSpec> | undefined;
    if (typeof text !== 'object' || text === null)
      throw bad('spec.text', 'must be an object or null');
    if (
      typeof text.value !== 'string' ||
      text.value.length < 3 ||
      text.value.length > 8 ||
      !TEXT_PATTERN.test(text.value)
    ) {
      throw bad('spec.text.value', 'must be 3–8 uppercase letters/digits with at most one space');
    }
    if (!isColourName(text.colour) || colours.has(text.colour)) {
      throw bad('spec.text.colour', 'must be a palette colour unused by the background and shapes');
    }
  }
  if (!Array.isArray(spec.style) || !spec.style.every((s) => typeof s === 'string')) {
    throw bad('spec.style', 'must be an array of strings');
  }
}
