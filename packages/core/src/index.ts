export {
  type ErrorDetails,
  isSubnetkitError,
  SubnetkitError,
  type SubnetkitErrorJSON,
  type SubnetkitErrorOptions,
} from './errors.js';
export { type LogFn, type Logger, silentLogger } from './logger.js';
