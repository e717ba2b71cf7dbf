// The validator's own procedural render of a task, as the greyscale image SSIM compares
// answers with. Render it once per task and pass it to every answer's checkImage.
import type { ImageTaskSpec } from '../prompt/spec.js';
import { renderProcedural } from '../render/procedural.js';
import { decodeImage } from './decode.js';
import { type GreyImage, toGrey } from './grey.js';

export async function renderReference(spec: ImageTaskSpec, seed: Uint8Array): Promise<GreyImage> {
  const decoded = await decodeImage(await renderProcedural(spec, seed));
  if (!decoded.ok) throw new Error(`own render does not decode: ${decoded.failure.reason}`);
  return toGrey(decoded.image);
}
