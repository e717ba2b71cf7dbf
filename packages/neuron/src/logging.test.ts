import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { componentLogger, createLogger, logLevelOf, silentLogger } from './logging.js';

function sink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { lines, stream };
}

describe('logLevelOf', () => {
  it('trace beats debug beats info', () => {
    expect(logLevelOf({ debug: false, trace: false })).toBe('info');
    expect(logLevelOf({ debug: true, trace: false })).toBe('debug');
    expect(logLevelOf({ debug: true, trace: true })).toBe('trace');
  });
});

describe('createLogger', () => {
  it('writes JSON at the configured level with component children and redaction', () => {
    const { lines, stream } = sink();
    const { logger, setup } = createLogger(
      { logging: { debug: true }, base: { role: 'validator' } },
      { destination: stream },
    );
    expect(setup).toMatchObject({ level: 'debug', format: 'json' });
    logger.trace('hidden');
    logger.debug('shown');
    componentLogger(logger, 'weights').info({ secret: 'abc', wallet: { password: 'pw' } }, 'set');
    expect(lines.map((l) => l.msg)).toEqual(['shown', 'set']);
    expect(lines[1]).toMatchObject({
      component: 'weights',
      role: 'validator',
      secret: '[redacted]',
      wallet: { password: '[redacted]' },
      level: 30,
    });
    expect(typeof lines[1]!.time).toBe('string');
  });

  it('falls back to JSON when pretty output is asked for without pino-pretty', () => {
    const { setup, logger } = createLogger(
      { logging: { format: 'pretty' }, level: 'silent' },
      { resolvePretty: () => undefined },
    );
    expect(setup).toMatchObject({ format: 'json', prettyUnavailable: true });
    logger.info('nothing');
  });

  it('auto is JSON when stdout is not a terminal', () => {
    const { setup } = createLogger(
      { logging: { format: 'auto' }, level: 'silent' },
      { isTTY: false, resolvePretty: () => '/should/not/load' },
    );
    expect(setup.format).toBe('json');
  });

  it('records to <stateDir>/neuron.log with --logging.record_log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'neuron-log-'));
    try {
      const { lines, stream } = sink();
      const { logger, setup } = createLogger(
        { logging: { recordLog: true }, stateDir: dir },
        { destination: stream },
      );
      logger.info({ x: 1 }, 'to both');
      logger.flush();
      expect(setup.logFile).toBe(join(dir, 'neuron.log'));
      expect(lines[0]!.msg).toBe('to both');
      let text = '';
      for (let i = 0; i < 100 && text === ''; i++) {
        await new Promise((r) => setTimeout(r, 20));
        text = await readFile(setup.logFile!, 'utf8').catch(() => '');
      }
      expect(JSON.parse(text.trim())).toMatchObject({ msg: 'to both', x: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('silentLogger writes nothing', () => {
    expect(silentLogger().isLevelEnabled('fatal')).toBe(false);
  });
});
