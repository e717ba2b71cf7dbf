export { type Layout, layoutShapes, marginOf, type PlacedShape } from './layout.js';
export {
  type OutputFormat,
  type RenderOptions,
  renderProcedural,
  renderSvg,
} from './procedural.js';
export { composeSvg, FONT_FAMILY, textMetrics } from './svg.js';
