export { type TextErrorCode, TextSubnetError } from './errors.js';
export * from './metrics/index.js';
export * from './model/index.js';
export * from './solver/index.js';
export * from './subnet.js';
export * from './tasks/index.js';
