// The natural-language prompt for a spec: what a miner's model is asked to draw.
import type { ImageTaskSpec, ShapeGroup } from './spec.js';

const plural = (g: ShapeGroup) => `${g.count} ${g.colour} ${g.kind}${g.count === 1 ? '' : 's'}`;

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function describeTask(spec: ImageTaskSpec): string {
  let prompt = `A ${spec.width}x${spec.height} image on a ${spec.background} background`;
  if (spec.shapes.length > 0) prompt += ` with ${list(spec.shapes.map(plural))}`;
  if (spec.text) {
    prompt += `, with the text "${spec.text.value}" in ${spec.text.colour} across the bottom`;
  }
  if (spec.style.length > 0) prompt += `, ${spec.style.join(', ')}`;
  return prompt;
}
