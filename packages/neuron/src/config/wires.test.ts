import { describe, expect, it } from 'vitest';
import { parseMinerWires, parseWireList } from './wires.js';

const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const bob = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

describe('parseWireList', () => {
  it('reads a list in order, trimming spaces and dropping repeats', () => {
    expect(parseWireList('btauth, synapse,btauth')).toEqual(['btauth', 'synapse']);
  });

  it('refuses an unknown wire and an empty entry', () => {
    expect(() => parseWireList('synapse,http')).toThrow('unknown wire "http"');
    expect(() => parseWireList('synapse,,fiber')).toThrow('without empty entries');
  });
});

describe('parseMinerWires', () => {
  it('maps hotkeys to wires; unset or empty is no override', () => {
    const map = parseMinerWires(`${alice}=btauth, ${bob}=fiber`);
    expect([...map]).toEqual([
      [alice, 'btauth'],
      [bob, 'fiber'],
    ]);
    expect(parseMinerWires(undefined).size).toBe(0);
    expect(parseMinerWires(' ').size).toBe(0);
  });

  it('refuses a repeated hotkey, a bad wire and a malformed entry', () => {
    expect(() => parseMinerWires(`${alice}=btauth,${alice}=fiber`)).toThrow('listed twice');
    expect(() => parseMinerWires(`${alice}=ws`)).toThrow('unknown wire "ws"');
    expect(() => parseMinerWires(`${alice}=fiber=x`)).toThrow('is not HOTKEY=WIRE');
  });
});
