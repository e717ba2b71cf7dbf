import { ApiPromise } from '@polkadot/api';
import type { ApiOptions } from '@polkadot/api/types';

type ProviderInterface = NonNullable<ApiOptions['provider']>;

import { describe, expect, it } from 'vitest';
import { createLocalnet } from '../src/index.js';

describe('provider typing', () => {
  it('is a ProviderInterface without casts', async () => {
    const net = await createLocalnet({ blockTime: 'manual' });
    const provider: ProviderInterface = net.provider();
    const api = await ApiPromise.create({ provider, noInitWarn: true });
    expect(api.isConnected).toBe(true);
    await api.disconnect();
    await net.close();
  });
});
