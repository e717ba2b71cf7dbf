import type { ValidatorDefinition } from '@subnetkit/neuron';
import { fail } from '@subnetkit/scoring';
import { sniffFormat } from '../checks/decode.js';
import type { ImageConfig } from '../config.js';
import { ImageGeneration, MAX_IMAGE_BYTES } from '../protocol.js';
import type { ImageChecker } from './checker.js';
import { CopyRegistry } from './copies.js';
import { type ImageEvidence, scoreImage } from './score.js';
import { type ImageTaskPrivate, imageTask } from './task.js';

export interface ImageValidatorComponents {
  /** Runs the checks (a worker pool in the validator process; inline in tests). */
  checker: ImageChecker;
  /** The answers seen so far, for replays and copies (default: a new, empty registry). */
  copies?: CopyRegistry;
}

const MEDIA_TYPES = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

/** Strict base64 (what `Buffer.from` would silently skip over is refused). */
function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * The image validator. Each miner gets its own task from its own seed (facets, prompt and
 * render seed); the answer's bytes are checked against the validator's own copy of the facets
 * (decode, size, colours, shapes, text by OCR, hashes; SSIM against its own procedural render
 * as evidence), copies of answers to other tasks score 0, and the score is the facets times a
 * latency multiplier on the validator's clock. The image is kept in the artifact store.
 */
export function createImageValidator(
  components: ImageValidatorComponents,
): ValidatorDefinition<typeof ImageGeneration, ImageTaskPrivate, ImageEvidence, ImageConfig> {
  const copies = components.copies ?? new CopyRegistry();
  return {
    protocol: ImageGeneration,
    createTask(seed) {
      return imageTask(seed);
    },
    async score(task, response, ctx) {
      const { spec, renderSeed } = task.private as ImageTaskPrivate;
      const text = response.output?.image_b64 ?? null;
      if (text === null || text.length === 0) {
        return fail('no image in the answer', { components: { dimensions: 0 } });
      }
      const bytes = decodeBase64(text);
      if (!bytes) return fail('image_b64 is not base64', { components: { dimensions: 0 } });
      if (bytes.length > MAX_IMAGE_BYTES) {
        return fail(`the image is ${bytes.length} bytes, more than ${MAX_IMAGE_BYTES}`, {
          components: { dimensions: 0 },
        });
      }
      const format = sniffFormat(bytes);
      await ctx.keep(bytes, {
        mediaType: format ? MEDIA_TYPES[format] : 'application/octet-stream',
        role: 'image',
      });
      const result = await components.checker.check({
        bytes,
        spec,
        referenceSeed: new Uint8Array(Buffer.from(renderSeed, 'hex')),
      });
      const hashes = result.evidence.hashes;
      const copy =
        result.decoded && hashes && result.components.dimensions === 1
          ? copies.checkAndAdd({ taskId: ctx.seed.taskId, uid: ctx.uid, ...hashes })
          : null;
      return scoreImage({
        spec,
        result,
        copy,
        latencyMs: ctx.latencyMs,
        timeoutMs: ctx.timeoutS * 1000,
      });
    },
  };
}
