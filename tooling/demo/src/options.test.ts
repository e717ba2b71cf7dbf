import { describe, expect, it } from 'vitest';
import { DemoError } from './errors.js';
import { DEFAULT_MINERS, parseDuration, parseMarketArgs, parseMinerPlan } from './options.js';

function options(argv: string[]) {
  const r = parseMarketArgs(argv);
  if (r.help) throw new Error('unexpected help');
  return r.options;
}

describe('parseMarketArgs', () => {
  it('has the documented defaults', () => {
    const o = options([]);
    expect(o.miners).toEqual({ honest: 3, wrong: 1, slow: 1, garbage: 0, dead: 1 });
    expect(o).toMatchObject({
      tempos: 3,
      blockTimeMs: 250,
      tempo: 20,
      keep: false,
      dashboardPort: 0,
    });
  });

  it('reads every option', () => {
    const o = options([
      '--miners',
      'honest=2,garbage=1,dead=0',
      '--tempos',
      '2',
      '--block-time',
      '0.5s',
      '--tempo',
      '12',
      '--dashboard',
      'off',
      '--timeout',
      '60',
      '--tmp',
      '/x',
      '--keep',
    ]);
    expect(o).toEqual({
      miners: { honest: 2, wrong: 1, slow: 1, garbage: 1, dead: 0 },
      tempos: 2,
      blockTimeMs: 500,
      tempo: 12,
      keep: true,
      dashboardPort: null,
      timeoutS: 60,
      tmpRoot: '/x',
    });
  });

  it('--help', () => {
    expect(parseMarketArgs(['-h'])).toEqual({ help: true });
  });

  it.each([
    [['--tempos', '0'], 'tempos'],
    [['--tempos', '1.5'], 'tempos'],
    [['--block-time', 'fast'], 'block-time'],
    [['--block-time', '10ms'], 'block-time'],
    [['--tempo', '2'], 'tempo'],
    [['--dashboard', '70000'], 'dashboard'],
    [['--miners', 'honest=0'], 'miners'],
    [['--miners', 'lazy=2'], 'miners'],
    [['--miners', 'honest:2'], 'miners'],
    [['--miners', 'honest=300'], 'miners'],
  ])('refuses %j naming --%s', (argv, field) => {
    try {
      options(argv);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DemoError);
      expect((e as DemoError).code).toBe('INVALID_OPTION');
      expect((e as DemoError).field).toBe(field);
      expect((e as Error).message).toContain(`--${field}`);
    }
  });

  it('refuses unknown flags and positionals', () => {
    expect(() => options(['--minerz', '3'])).toThrow(DemoError);
    expect(() => options(['extra'])).toThrow(DemoError);
  });
});

describe('parseMinerPlan', () => {
  it('a bare number is the honest count, the faulty ones stay', () => {
    expect(parseMinerPlan('5')).toEqual({ ...DEFAULT_MINERS, honest: 5 });
  });
  it('named counts override only themselves', () => {
    expect(parseMinerPlan('wrong=0, slow=2')).toEqual({ ...DEFAULT_MINERS, wrong: 0, slow: 2 });
  });
});

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['250', 250],
    ['1s', 1000],
    ['0.25s', 250],
  ])('%s → %d ms', (raw, ms) => {
    expect(parseDuration(raw, 'block-time')).toBe(ms);
  });
});
