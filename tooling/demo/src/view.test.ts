import { afterEach, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from './dashboard.js';
import { formatProgressLine, type MarketView, type NeuronView, type SubnetView } from './view.js';

function neuron(name: string, variant: string, over: Partial<NeuronView> = {}): NeuronView {
  const subnet = over.subnet ?? 'template';
  return {
    id: `${subnet}-${name}`,
    subnet,
    netuid: 1,
    name,
    role: variant === 'validator' ? 'validator' : 'miner',
    variant,
    honest: variant === 'honest',
    uid: 1,
    ip: '127.0.0.3',
    axonPort: 9000,
    wire: 'synapse',
    statusPort: 9100,
    state: 'up',
    score: null,
    served: null,
    incentive: null,
    step: null,
    lastWeightsBlock: null,
    ...over,
  };
}

function subnet(over: Partial<SubnetView> = {}): SubnetView {
  return {
    subnet: 'template',
    netuid: 1,
    epoch: 2,
    warmBlock: 30,
    firstWeightsBlock: 40,
    epochsDone: 1,
    outcome: null,
    ...over,
  };
}

function marketView(over: Partial<MarketView> = {}): MarketView {
  return {
    phase: 'running',
    message: '',
    dir: '/tmp/x',
    tempo: 20,
    blockTimeMs: 250,
    block: 57,
    epochsTarget: 3,
    startedAt: Date.now() - 12_000,
    subnets: [subnet()],
    neurons: [
      neuron('validator', 'validator', { step: 9 }),
      neuron('honest-1', 'honest', { score: 0.8123 }),
      neuron('wrong-1', 'wrong', { score: 0 }),
      neuron('slow-1', 'slow', { state: 'starting' }),
      neuron('dead-1', 'dead', { state: 'never started' }),
      neuron('garbage-1', 'garbage', { state: 'exited' }),
    ],
    rows: null,
    outcome: null,
    ...over,
  };
}

describe('formatProgressLine', () => {
  it('shows block, then per subnet its epochs since the weights, the validator step and each miner', () => {
    const line = formatProgressLine(marketView(), 500);
    expect(line).toMatch(/^1[23]s \| block 57 \| template · epoch 1\/3 · validator step 9 · /);
    expect(line).toContain('honest-1 0.81 wrong-1 0.00 slow-1 … dead-1 dead garbage-1 EXITED');
  });
  it('one segment per subnet, each with its own state and miners', () => {
    const line = formatProgressLine(
      marketView({
        subnets: [
          subnet(),
          subnet({ subnet: 'image', netuid: 2, warmBlock: null, firstWeightsBlock: null }),
        ],
        neurons: [
          neuron('validator', 'validator', { step: 9 }),
          neuron('honest-1', 'honest', { score: 0.5 }),
          neuron('validator', 'validator', { subnet: 'image', state: 'starting' }),
          neuron('honest-1', 'honest', { subnet: 'image', state: 'starting' }),
        ],
      }),
      500,
    );
    expect(line).toMatch(
      / \| template · epoch 1\/3 · validator step 9 · honest-1 0\.50 \| image · warm-up: validator querying every miner · validator starting · honest-1 …$/,
    );
  });
  it('says when it waits for weights, shows the phase message outside the run, and fits the width', () => {
    expect(
      formatProgressLine(marketView({ subnets: [subnet({ firstWeightsBlock: null })] }), 500),
    ).toContain('template · waiting for weights');
    expect(formatProgressLine(marketView({ phase: 'setup', message: 'registering' }), 500)).toMatch(
      /block 57 \| registering$/,
    );
    const cut = formatProgressLine(marketView(), 40);
    expect(cut.length).toBe(40);
    expect(cut.endsWith('…')).toBe(true);
  });
});

describe('dashboard', () => {
  let d: Dashboard | undefined;
  afterEach(async () => {
    await d?.close();
  });
  it('serves the page and the live view as JSON (bigints as strings)', async () => {
    let block = 5;
    d = await startDashboard(0, () =>
      marketView({
        block,
        rows: [
          {
            subnet: 'template',
            netuid: 1,
            name: 'honest-1',
            role: 'miner',
            variant: 'honest',
            honest: true,
            uid: 1,
            hotkey: 'x',
            axon: '-',
            wire: 'btauth',
            incentive: 1,
            dividends: 0,
            emission: 123n,
            score: null,
            served: null,
          },
        ],
      }),
    );
    expect(d.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(d.url);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/api/view');
    const v1 = (await (await fetch(`${d.url}api/view`)).json()) as {
      block: number;
      rows: { emission: string }[];
    };
    expect(v1.block).toBe(5);
    expect(v1.rows[0]!.emission).toBe('123');
    block = 6;
    const v2 = (await (await fetch(`${d.url}api/view`)).json()) as { block: number };
    expect(v2.block).toBe(6);
    expect((await fetch(`${d.url}nope`)).status).toBe(404);
    expect((await fetch(d.url, { method: 'POST' })).status).toBe(405);
  });
});
