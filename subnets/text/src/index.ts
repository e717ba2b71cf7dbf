export { type TextErrorCode, TextSubnetError } from './errors.js';
export * from './model/index.js';
