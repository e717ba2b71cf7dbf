import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { MarketView } from '../view.js';
import { createConsole } from './console.js';

const view: MarketView = {
  phase: 'starting',
  message: 'starting the localnet',
  dir: '/tmp/x',
  tempo: 20,
  blockTimeMs: 250,
  block: null,
  epochsTarget: 3,
  startedAt: Date.now(),
  subnets: [],
  neurons: [],
  rows: null,
  outcome: null,
};

const epipe = () => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

describe('the market console when its output closes (EPIPE)', () => {
  it('an asynchronous EPIPE (a closed pipe) stops printing, once, with no unhandled error', async () => {
    const written: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        written.push(chunk.toString());
        cb(written.length > 1 ? epipe() : null);
      },
    });
    const closed: string[] = [];
    const io = createConsole(out, { ...view }, (e) => closed.push(String(e.code)));
    io.say('one');
    io.say('two'); // fails: the reader went away
    await new Promise((r) => setImmediate(r));
    io.say('three');
    io.phase('finishing', 'reading incentives');
    io.progress();
    await new Promise((r) => setImmediate(r));
    expect(written).toEqual(['one\n', 'two\n']);
    expect(closed).toEqual(['EPIPE']);
  });

  it('a write that throws stops printing too', () => {
    let calls = 0;
    const out = Object.assign(new Writable(), {
      write: () => {
        calls++;
        throw epipe();
      },
    });
    const closed: unknown[] = [];
    const io = createConsole(out, { ...view }, (e) => closed.push(e.code));
    expect(() => io.say('one')).not.toThrow();
    expect(() => io.say('two')).not.toThrow();
    expect(calls).toBe(1);
    expect(closed).toEqual(['EPIPE']);
  });
});
