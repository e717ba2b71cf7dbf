import { RpcError } from '../chain/pool-error.js';

export { RpcError };

export const parseError = () => new RpcError(-32700, 'Parse error');
export const invalidRequest = () => new RpcError(-32600, 'Invalid request');
export const methodNotFound = (m: string) =>
  new RpcError(-32601, 'Method not found', `${m} is not available on localnet`);
export const invalidParams = (detail: string) => new RpcError(-32602, 'Invalid params', detail);
/** sc-rpc state/chain client errors (e.g. unknown block, execution failure). */
export const clientError = (detail: string) => new RpcError(4003, `Client error: ${detail}`);
