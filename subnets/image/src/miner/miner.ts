import type { MinerDefinition } from '@subnetkit/neuron';
import type { ImageConfig } from '../config.js';
import { ImageSubnetError } from '../errors.js';
import { ImageGeneration } from '../protocol.js';
import { type ImageBackend, ProceduralBackend } from './backend.js';
import { HttpImageBackend } from './http-backend.js';

/** The backend `--image.backend` asks for. */
export function backendFromConfig(config: ImageConfig): ImageBackend {
  const c = config.image;
  if (c.backend === 'procedural') return new ProceduralBackend();
  if (!c.backendUrl) {
    throw new ImageSubnetError(
      'INVALID_ARGUMENT',
      '--image.backend http needs --image.backend_url URL',
      {
        field: 'image.backend_url',
      },
    );
  }
  return new HttpImageBackend({
    url: c.backendUrl,
    api: c.backendApi,
    timeoutS: c.backendTimeout,
    ...(c.backendModel ? { model: c.backendModel } : {}),
    ...(c.backendKey ? { key: c.backendKey } : {}),
  });
}

/**
 * The image miner: generates the asked image with its backend and answers its bytes, base64.
 * The default blacklist (unregistered callers refused; `--blacklist.*`) and priority (caller
 * stake) come from the runtime.
 */
export function createImageMiner(
  backend: ImageBackend,
): MinerDefinition<typeof ImageGeneration, ImageBackend, ImageConfig> {
  return {
    protocol: ImageGeneration,
    backend,
    async forward(input, ctx) {
      const bytes = await ctx.backend.generate(
        {
          prompt: input.prompt,
          spec: input.spec,
          renderSeed: new Uint8Array(Buffer.from(input.render_seed, 'hex')),
        },
        ctx.signal,
      );
      return { image_b64: Buffer.from(bytes).toString('base64') };
    },
  };
}
