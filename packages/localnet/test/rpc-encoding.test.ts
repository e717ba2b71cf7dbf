import { readFileSync } from 'node:fs';
import { xxhashAsHex } from '@polkadot/util-crypto';
import { describe, expect, it } from 'vitest';
import { createLocalnet } from '../src/index.js';
import { FIXTURE_DIR, fixtureExists } from './real-metadata.js';

// Issue 13 item 13: every RPC answers in the JSON encoding a real subtensor node uses (numbers
// that Substrate serialises as hex strings, such as a header's `number`, must be hex here too).
// The reference is the recorded traffic of a spec-343 mainnet node, read in place.

const SYSTEM = xxhashAsHex('System', 128);
const NUMBER_KEY = `${SYSTEM}${xxhashAsHex('Number', 128).slice(2)}`;

type Recording = Record<string, Record<string, Record<string, { result?: unknown }>>>;

/** The JSON encoding of a value with the data left out: which fields, and hex / string / number. */
function skeleton(v: unknown): unknown {
  if (v === null) return 'null';
  if (typeof v === 'string') return /^0x[0-9a-fA-F]*$/.test(v) ? 'hex' : 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (Array.isArray(v)) {
    // An empty list says nothing about its items' encoding: it matches any list.
    if (v.length === 0) return 'array';
    const items = [...new Set(v.map((x) => JSON.stringify(skeleton(x))))].sort();
    return items.map((x) => JSON.parse(x) as unknown);
  }
  if (typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, skeleton(x)]),
    );
  }
  return typeof v;
}

/** `ours` encodes like `theirs`, where an empty list of ours matches any list of theirs. */
function sameShape(ours: unknown, theirs: unknown): boolean {
  if (ours === 'array') return Array.isArray(theirs) || theirs === 'array';
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    return ours.every((o) => theirs.some((t) => sameShape(o, t)));
  }
  if (ours && theirs && typeof ours === 'object' && typeof theirs === 'object') {
    const a = Object.keys(ours);
    const b = Object.keys(theirs);
    return (
      a.join() === b.join() &&
      a.every((k) =>
        sameShape((ours as Record<string, unknown>)[k], (theirs as Record<string, unknown>)[k]),
      )
    );
  }
  return ours === theirs;
}

function recorded(method: string): unknown {
  const all = JSON.parse(readFileSync(`${FIXTURE_DIR}recorded-rpc.json`, 'utf8')) as Recording;
  for (const rec of Object.values(all)) {
    for (const entry of Object.values(rec[method] ?? {})) {
      const r = entry.result;
      if (r !== undefined && JSON.stringify(r) !== '{"block":{}}') return r;
    }
  }
  throw new Error(`no recording of ${method}`);
}

describe.skipIf(!fixtureExists)(
  'RPC number encodings match a real subtensor node (spec 343)',
  () => {
    it('every recorded method answers with the same JSON shape', async () => {
      const net = await createLocalnet({ blockTime: 'manual' });
      net.produceBlocks(2);
      const p = net.provider();
      await p.connect();
      const head = net.chain.head.hash;
      expect((await p.send<{ number: unknown }>('chain_getHeader', [])).number).toBe('0x2');
      const calls: [string, unknown[]][] = [
        ['chain_getHeader', [head]],
        ['chain_getHeader', []],
        ['chain_getBlockHash', [1]],
        ['chain_getHead', []],
        ['state_getRuntimeVersion', [head]],
        ['rpc_methods', []],
        ['system_chain', []],
        ['state_getKeysPaged', [SYSTEM, 100, null, head]],
        ['state_getStorageAt', [NUMBER_KEY, head]],
        ['state_queryStorageAt', [[NUMBER_KEY], head]],
        ['state_call', ['Core_version', '0x', head]],
      ];
      const diffs: string[] = [];
      for (const [method, params] of calls) {
        let ours: unknown;
        try {
          ours = skeleton(await p.send(method, params));
        } catch (e) {
          diffs.push(`${method}: ${(e as Error).message}`);
          continue;
        }
        const theirs = skeleton(recorded(method));
        if (!sameShape(ours, theirs)) {
          diffs.push(
            `${method}: ours ${JSON.stringify(ours)}, subtensor ${JSON.stringify(theirs)}`,
          );
        }
      }
      const block = (await p.send('chain_getBlock', [head])) as { block: { header: unknown } };
      const header = skeleton(recorded('chain_getHeader'));
      if (!sameShape(skeleton(block.block.header), header)) {
        diffs.push(`chain_getBlock header: ${JSON.stringify(skeleton(block.block.header))}`);
      }
      await p.disconnect();
      await net.close();
      expect(diffs).toEqual([]);
    });
  },
);
