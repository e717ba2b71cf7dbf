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
  // Right size, every colour wrong: the honest image's negative.
  wrongAnswer: (async (_input: unknown, honest: { image_b64: string | null }) => {
    const bytes = Buffer.from(honest.image_b64 ?? '', 'base64');
    const negative = await sharp(bytes).negate({ alpha: false }).png().toBuffer();
    return { image_b64: negative.toString('base64') };
  }) as never,
  loadConfig: (argv) => {
    const result = loadConfig(imageConfigSchema, { argv, env: {} });
    if (result.help) throw new Error('unexpected --help');
    return result.config;
  },
  timeoutS: 3,
  wires: ['btauth'],
});
