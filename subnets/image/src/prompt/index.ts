export { assertSeed, SEED_BYTES, type SeededRandom, seededRandom } from '@subnetkit/neuron/random';
export { describeTask } from './describe.js';
export { buildTaskSpec } from './grammar.js';
export { COLOUR_NAMES, type ColourName, hex, isColourName, PALETTE, type Rgb } from './palette.js';
export {
  assertTaskSpec,
  type ImageTaskSpec,
  MAX_GROUP_COUNT,
  MAX_SHAPE_GROUPS,
  SHAPE_KINDS,
  type ShapeGroup,
  type ShapeKind,
  SIZES,
  TEXT_PATTERN,
  type TextSpec,
  textBand,
} from './spec.js';
export { STYLE_WORDS, TEXT_WORDS } from './words.js';
