import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchStatus, fullStepBlock, scoresFromStatus, servedFromStatus } from './status.js';

let port = 0;
let mode: 'ok' | 'slow' | '500' = 'ok';
/** Resolves when the client hangs up on the slow request (the server never does). */
let slowClosed: Promise<void> = Promise.resolve();
const server = createServer((req, res) => {
  if (mode === 'slow') {
    slowClosed = new Promise((resolve) => req.socket.once('close', () => resolve()));
    return; // never answers
  }
  if (mode === '500') {
    res.writeHead(500).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ role: 'miner', uid: 4, path: req.url }));
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('fetchStatus', () => {
  it('GETs /status', async () => {
    mode = 'ok';
    expect(await fetchStatus(port)).toEqual({ role: 'miner', uid: 4, path: '/status' });
  });
  it('null on an error status, a timeout, or nobody listening', async () => {
    mode = '500';
    expect(await fetchStatus(port)).toBeNull();
    mode = 'slow';
    // The server never answers or closes: a null here is the client's own timeout, and the
    // client hung up (it does not leave the request open).
    expect(await fetchStatus(port, 200)).toBeNull();
    await slowClosed;
    expect(await fetchStatus(1, 200)).toBeNull();
  });
});

describe('status fields', () => {
  it('scores: the full vector when published, else the top list', () => {
    expect([...scoresFromStatus({ scores: { values: [0, 0.5, 0.25] } })]).toEqual([
      [0, 0],
      [1, 0.5],
      [2, 0.25],
    ]);
    expect([...scoresFromStatus({ scores: { top: [{ uid: 3, score: 0.7 }] } })]).toEqual([
      [3, 0.7],
    ]);
    expect(scoresFromStatus(null).size).toBe(0);
  });
  it('scores: uids missing from a complete top list are 0, from a partial one unknown', () => {
    const complete = scoresFromStatus({
      scores: { n: 4, nonZero: 1, top: [{ uid: 2, score: 0.5 }] },
    });
    expect([...complete].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0.5],
      [3, 0],
    ]);
    const partial = scoresFromStatus({
      scores: { n: 9, nonZero: 7, top: [{ uid: 2, score: 0.5 }] },
    });
    expect([...partial]).toEqual([[2, 0.5]]);
  });
  it('fullStepBlock: the block of a step that queried every miner', () => {
    expect(fullStepBlock({ lastStep: { block: 50, queried: 6 } }, 6)).toBe(50);
    expect(fullStepBlock({ lastStep: { block: 50, queried: 2 } }, 6)).toBeNull();
    expect(fullStepBlock({ lastStep: null }, 6)).toBeNull();
    expect(fullStepBlock({ role: 'validator' }, 6)).toBe('unknown');
    expect(fullStepBlock(null, 6)).toBeNull();
  });
  it('served requests under the names a runtime may use', () => {
    expect(servedFromStatus({ requestsServed: 7 })).toBe(7);
    expect(servedFromStatus({ requests: { served: 3, failed: 1 } })).toBe(3);
    expect(servedFromStatus({ role: 'miner' })).toBeNull();
    expect(servedFromStatus(null)).toBeNull();
  });
});
