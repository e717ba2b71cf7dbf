/**
 * Where a miner's images come from. `procedural` renders the task's facets here (offline, the
 * default); `http` asks a model server. Every backend returns image bytes of the asked size.
 */
import type { MinerBackend } from '@subnetkit/neuron';
import type { ImageTaskSpec } from '../prompt/spec.js';
import { renderProcedural } from '../render/procedural.js';

/** One generation request, as the miner received it. */
export interface ImageRequest {
  prompt: string;
  spec: ImageTaskSpec;
  /** 32 bytes. */
  renderSeed: Uint8Array;
}

export interface ImageBackend extends MinerBackend {
  generate(request: ImageRequest, signal: AbortSignal): Promise<Uint8Array>;
}

/** The offline default: the facets rendered as a flat SVG with sharp, PNG out. */
export class ProceduralBackend implements ImageBackend {
  readonly name = 'procedural';
  generate(request: ImageRequest): Promise<Uint8Array> {
    return renderProcedural(request.spec, request.renderSeed);
  }
}
