/**
 * The image subnet's protocol, shared by the miner and the validator: one `ImageGeneration`
 * synapse. The validator sends a natural-language prompt and the same task as checkable facets
 * (`spec`), plus a render seed; the miner answers with the image bytes, base64. A miner may
 * draw from the prompt with any model, or from the spec; the validator checks the bytes it
 * receives against its own copy of the spec, never against anything the miner says.
 *
 * Python peers: the same fields, with `required_hash_fields = ['prompt', 'spec', 'render_seed']`
 * so a changed task is refused with 401.
 */
import { defineSynapse } from '@subnetkit/transport/wire';
import { z } from 'zod';
import { COLOUR_NAMES } from './prompt/palette.js';
import { MAX_GROUP_COUNT, MAX_SHAPE_GROUPS, SHAPE_KINDS, TEXT_PATTERN } from './prompt/spec.js';

/** Largest image accepted from a miner: 8 MiB of bytes (a little more as base64). */
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
const MAX_IMAGE_B64 = Math.ceil(MAX_IMAGE_BYTES / 3) * 4;

const colour = z.enum(COLOUR_NAMES);
const side = z
  .int()
  .min(64)
  .max(4096)
  .refine((v) => v % 64 === 0, 'must be a multiple of 64');

/** The facets of a task as they travel (`ImageTaskSpec`). */
export const taskSpecSchema = z.object({
  version: z.literal(1),
  width: side,
  height: side,
  background: colour,
  shapes: z
    .array(
      z.object({ kind: z.enum(SHAPE_KINDS), colour, count: z.int().min(1).max(MAX_GROUP_COUNT) }),
    )
    .max(MAX_SHAPE_GROUPS),
  text: z.object({ value: z.string().min(3).max(8).regex(TEXT_PATTERN), colour }).nullable(),
  style: z.array(z.string().max(40)).max(8),
});

export const ImageGeneration = defineSynapse({
  name: 'ImageGeneration',
  input: {
    prompt: z.string().min(1).max(2000),
    spec: taskSpecSchema,
    /** 32 bytes, hex: where a procedural backend places its shapes. */
    render_seed: z.string().regex(/^[0-9a-f]{64}$/),
  },
  output: {
    /** PNG, JPEG or WebP bytes, base64 (the format is read from the bytes, not declared). */
    image_b64: z.string().max(MAX_IMAGE_B64).nullable(),
  },
  hashFields: ['prompt', 'spec', 'render_seed'],
});

export type ImageGenerationSynapse = typeof ImageGeneration;
