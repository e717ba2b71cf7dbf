// Word lists of the grammar. Text words are 3–5 uppercase letters, so with a space and up to two
// digits every text stays within 8 characters.

export const TEXT_WORDS = [
  'TAO',
  'HELLO',
  'PIXEL',
  'NODE',
  'BLOCK',
  'CHAIN',
  'MINER',
  'SEED',
  'ZEBRA',
  'QUIZ',
  'MAPLE',
  'ORBIT',
  'DELTA',
  'FJORD',
  'VIVID',
  'JUMP',
  'KAYAK',
  'WAX',
  'GLYPH',
  'NORTH',
] as const;

/** Flavour only: put in the prompt, never checked. */
export const STYLE_WORDS = [
  'flat vector style',
  'minimalist',
  'poster design',
  'clean geometric illustration',
  'bold graphic style',
  'flat design',
  'high contrast',
  'simple shapes',
] as const;
