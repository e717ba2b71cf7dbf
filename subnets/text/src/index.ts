export { TextSubnetError, type TextErrorCode } from './errors.js';
