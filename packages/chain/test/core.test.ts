import { isSubnetkitError, type Logger, SubnetkitError } from '@subnetkit/core';
import { describe, expect, it } from 'vitest';
import { ChainError, isChainError, resolveNetwork } from '../src/index.js';
import { type ChainLogger, toLogger } from '../src/options.js';

describe('ChainError', () => {
  it('is a SubnetkitError; details default to {} and the guard still filters by code', () => {
    const bare = new ChainError('CLOSED', 'closed');
    expect(bare).toBeInstanceOf(SubnetkitError);
    expect(bare.details).toEqual({});
    expect(bare.errorName).toBe('CLOSED');
    expect(isChainError(bare, 'CLOSED')).toBe(true);
    expect(isChainError(bare, 'DISCONNECTED')).toBe(false);
    expect(isSubnetkitError(bare, 'CLOSED')).toBe(true);

    const cause = new Error('ws closed');
    const e = new ChainError('MODULE_ERROR', 'subtensorModule.SettingWeightsTooFast: too fast', {
      details: { section: 'subtensorModule', name: 'SettingWeightsTooFast' },
      cause,
    });
    expect(e.name).toBe('ChainError');
    expect(e.errorName).toBe('SettingWeightsTooFast');
    expect(e.cause).toBe(cause);
    expect(e.toJSON()).toEqual({
      name: 'ChainError',
      code: 'MODULE_ERROR',
      message: 'subtensorModule.SettingWeightsTooFast: too fast',
      details: { section: 'subtensorModule', name: 'SettingWeightsTooFast' },
    });
  });

  it('bad input names the field in details and in the message', () => {
    let error: unknown;
    try {
      resolveNetwork('ftp://example.org');
    } catch (e) {
      error = e;
    }
    expect(isChainError(error, 'INVALID_NETWORK')).toBe(true);
    expect((error as ChainError).details.field).toBe('network');
    expect((error as ChainError).message).toMatch(/^network: /);
  });
});

describe('the logger component', () => {
  it('takes a core Logger as is', () => {
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: () => {},
      child: () => logger,
    };
    expect(toLogger(logger)).toBe(logger);
  });

  it('completes the deprecated { info, warn } shape', () => {
    const lines: string[] = [];
    const legacy: ChainLogger = {
      info: (m) => lines.push(`info ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
    };
    const logger = toLogger(legacy);
    logger.info('connected');
    logger.warn({ endpoint: 'ws://x' }, 'reconnecting');
    logger.error({ code: 1 });
    logger.debug('dropped');
    logger.child({ component: 'chain' }).info('child');
    expect(lines).toEqual(['info connected', 'warn reconnecting', 'warn {"code":1}', 'info child']);
  });

  it('without one, writes nothing', () => {
    const logger = toLogger(undefined);
    expect(() => logger.warn('x')).not.toThrow();
    expect(logger.child({})).toBe(logger);
  });
});
