import { describe, expect, it } from 'vitest';
import { DemoError } from './errors.js';
import { parseDuration, parseMarketArgs, parseMinerCounts } from './options.js';

function options(argv: string[]) {
  const r = parseMarketArgs(argv);
  if (r.help) throw new Error('unexpected help');
  return r.options;
}

describe('parseMarketArgs', () => {
  it('has the documented defaults', () => {
    const o = options([]);
    expect(o.subnets).toBeNull(); // every subnet found
    expect(o.miners).toEqual([]); // each roster's own counts
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
      '--subnets',
      'image,text-gen',
      '--miners',
      'honest=2,garbage=1,template.dead=0',
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
      subnets: ['image', 'text-gen'],
      miners: [
        { subnet: null, variant: 'honest', count: 2 },
        { subnet: null, variant: 'garbage', count: 1 },
        { subnet: 'template', variant: 'dead', count: 0 },
      ],
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
    [['--miners', '0'], 'miners'],
    [['--miners', 'Honest=2'], 'miners'],
    [['--miners', 'honest:2'], 'miners'],
    [['--miners', 'a.b.c=2'], 'miners'],
    [['--miners', 'honest=300'], 'miners'],
    [['--subnets', 'Image'], 'subnets'],
    [['--subnets', 'image,,text'], 'subnets'],
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

describe('parseMinerCounts', () => {
  it('a bare number is every honest variant', () => {
    expect(parseMinerCounts('5')).toEqual([{ subnet: null, variant: null, count: 5 }]);
  });
  it('VARIANT=N and SUBNET.VARIANT=N terms, in order, zero allowed', () => {
    expect(parseMinerCounts('wrong=0, image-gen.slow=2')).toEqual([
      { subnet: null, variant: 'wrong', count: 0 },
      { subnet: 'image-gen', variant: 'slow', count: 2 },
    ]);
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
