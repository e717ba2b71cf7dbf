import type { Logger } from '@subnetkit/core';
import { ChainError, isChainError } from '../errors.js';

/**
 * Tries each read source in order and returns the first answer. A drop of the connection and
 * bad input end the search at once; any other failure is logged and the next source is tried.
 * With no answer, the first failure is thrown, or `UNSUPPORTED_RUNTIME` when no source applied.
 */
export async function firstSource<S extends string, T>(
  what: string,
  sources: readonly S[],
  read: (source: S) => Promise<T | undefined>,
  context: { isConnected: () => boolean; logger: Logger; unsupported: string },
): Promise<T> {
  let firstError: unknown;
  for (const source of sources) {
    try {
      const result = await read(source);
      if (result) return result;
    } catch (error) {
      if (isChainError(error, 'DISCONNECTED') || !context.isConnected()) throw error;
      if (isChainError(error, 'INVALID_INPUT')) throw error;
      firstError ??= error;
      context.logger.warn(`${what} via ${source} failed: ${(error as Error).message}`);
    }
  }
  if (firstError) throw firstError;
  throw new ChainError('UNSUPPORTED_RUNTIME', context.unsupported);
}
