import { Keypair } from '@subnetkit/wallet';
import { describe, expect, it } from 'vitest';
import { DEV_PUBLIC_KEYS } from '../src/chain/genesis.js';
import { parseConfig } from '../src/config.js';
import { parseBlockTime } from '../src/options.js';

describe('genesis and options', () => {
  it('the dev public keys are what the wallet derives from the dev phrase', () => {
    for (const [uri, hex] of Object.entries(DEV_PUBLIC_KEYS)) {
      expect(Buffer.from(Keypair.fromUri(uri).publicKey).toString('hex'), uri).toBe(hex);
    }
  });

  it('parses block times and rejects nonsense with the field named', () => {
    expect(parseBlockTime('250ms')).toBe(250);
    expect(parseBlockTime('12s')).toBe(12_000);
    expect(parseBlockTime('manual')).toBe(0);
    expect(parseBlockTime(undefined)).toBe(12_000);
    expect(() => parseBlockTime('fast')).toThrow(/blockTime/);
    expect(() => parseBlockTime('5ms')).toThrow(/at least 10ms/);
  });

  it('reads a config file and names bad fields', () => {
    const c = parseConfig(
      JSON.stringify({
        subnets: [{ netuid: 2, owner: '//Bob', params: { tempo: 7, burn: '1000' } }],
      }),
    );
    expect(c.subnets?.[0]?.params).toEqual({ tempo: 7, burn: 1000n });
    expect(() => parseConfig('{"subnets":[{"netuid":1,"params":{"tempoo":3}}]}')).toThrow(
      /subnets\[0\]\.params\.tempoo: unknown hyperparameter/,
    );
    expect(() => parseConfig('{"bogus":1}')).toThrow(/config\.bogus: unknown key/);
    expect(() => parseConfig('{')).toThrow(/not valid JSON/);
  });
});
