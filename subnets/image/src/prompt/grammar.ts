// The seeded prompt grammar: a 32-byte seed → a task spec. Same seed, same spec, on any machine.

import { seededRandom } from '@subnetkit/neuron/random';
import { deltaE2000, rgbToLab } from '../checks/lab.js';
import { COLOUR_NAMES, type ColourName, PALETTE } from './palette.js';
import {
  type ImageTaskSpec,
  MAX_GROUP_COUNT,
  MAX_SHAPE_GROUPS,
  SHAPE_KINDS,
  type ShapeGroup,
  SIZES,
  type TextSpec,
} from './spec.js';
import { STYLE_WORDS, TEXT_WORDS } from './words.js';

const LABEL = 'subnetkit/image/prompt/v1';
/** Share of tasks that ask for text. */
const TEXT_PROBABILITY = 0.75;

const lightness = (name: ColourName) => rgbToLab(PALETTE[name])[0];

/** Black or white, whichever stands out more against the background. */
function textColourFor(background: ColourName): ColourName {
  const L = lightness(background);
  return L > 55 ? 'black' : 'white';
}

export function buildTaskSpec(seed: Uint8Array): ImageTaskSpec {
  const rng = seededRandom(seed, LABEL);
  const [width, height] = rng.pick(SIZES);
  const background = rng.pick(COLOUR_NAMES);

  let text: TextSpec | null = null;
  if (rng.float() < TEXT_PROBABILITY) {
    const word = rng.pick(TEXT_WORDS);
    const digits = rng.range(0, 2);
    const value =
      digits === 0 ? word : `${word} ${rng.range(digits === 1 ? 0 : 10, digits === 1 ? 9 : 99)}`;
    text = { value, colour: textColourFor(background) };
  }

  // Shape colours: distinct, not the background or the text colour, and far enough from the
  // background that a shape is always visible.
  const bgLab = rgbToLab(PALETTE[background]);
  const candidates = COLOUR_NAMES.filter(
    (c) => c !== background && c !== text?.colour && deltaE2000(rgbToLab(PALETTE[c]), bgLab) > 20,
  );
  const groupCount = rng.range(1, MAX_SHAPE_GROUPS);
  const colours = rng.shuffle(candidates).slice(0, groupCount);
  const shapes: ShapeGroup[] = colours.map((colour) => ({
    kind: rng.pick(SHAPE_KINDS),
    colour,
    count: rng.range(1, MAX_GROUP_COUNT),
  }));

  const style = rng.shuffle(STYLE_WORDS).slice(0, rng.range(1, 2));
  return { version: 1, width, height, background, shapes, text, style };
}
