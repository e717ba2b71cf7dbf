// The compliance suite every subnet runs (packages/test-utils): wire format, miner policy,
// scoring of right/wrong/slow/garbage/dead miners, validator failures, restarts, weights on
// chain, and the signed wires. The checks run inline here (one OCR engine, closed at the end).
import { loadConfig } from '@subnetkit/neuron';
import { describeSubnetCompliance } from '@subnetkit/test-utils';
import sharp from 'sharp';
import { afterAll } from 'vitest';
import {
  createImageMiner,
  createImageValidator,
  ImageGeneration,
  imageConfigSchema,
  inlineChecker,
  ProceduralBackend,
} from '../src/index.js';

const checker = inlineChecker({ ocr: 'paddle' });
afterAll(() => checker.close());

describeSubnetCompliance({
  name: 'image',
  protocol: ImageGeneration,
  createMiner: () => createImageMiner(new ProceduralBackend()),
  createValidator: () => createImageValidator({ checker }),
  // Right size, nothing else right: the honest image's negative flattened to its mean colour
  // (no shapes, no text). A plain negative is not wrong for every prompt: a grey scene's
  // negative is grey too.
  wrongAnswer: (async (_input: unknown, honest: { image_b64: string | null }) => {
    const bytes = Buffer.from(honest.image_b64 ?? '', 'base64');
    const { width, height } = await sharp(bytes).metadata();
    const mean = await sharp(bytes).negate({ alpha: false }).resize(1, 1).png().toBuffer();
    const flat = await sharp(mean).resize(width, height, { kernel: 'nearest' }).png().toBuffer();
    return { image_b64: flat.toString('base64') };
  }) as never,
  loadConfig: (argv) => {
    const result = loadConfig(imageConfigSchema, { argv, env: {} });
    if (result.help) throw new Error('unexpected --help');
    return result.config;
  },
  timeoutS: 3,
  wires: ['btauth'],
});
