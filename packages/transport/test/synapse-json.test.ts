// The synapse JSON body, byte for byte: -0 kept as -0.0 in hashed fields only (Python's str()
// tells -0.0 from 0.0), exact nonces, Python float reprs, nulls for unset fields and terminals.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineSynapse, encodeFieldsJson, jsonKeepingNegativeZero } from '../src/index.js';
import { encodeSynapseBody } from '../src/synapse-json.js';

const Mixed = defineSynapse({
  name: 'Mixed',
  input: { a: z.number(), b: z.string(), c: z.array(z.number()), n: z.number().nullable() },
  output: { o: z.number().nullable() },
  hashFields: ['a', 'c'],
});

describe('synapse JSON body', () => {
  it('keeps -0 as -0.0 in hashed fields, scalar or nested, and nowhere else', () => {
    expect(encodeFieldsJson(Mixed, { a: -0, b: 'x', c: [0, -0], n: -0, o: -0 })).toBe(
      ',"a":-0.0,"b":"x","c":[0,-0.0],"n":0,"o":0',
    );
    expect(jsonKeepingNegativeZero(-0)).toBe('-0.0');
    expect(jsonKeepingNegativeZero(0)).toBe('0');
    expect(jsonKeepingNegativeZero({ k: [-0, 1.5] })).toBe('{"k":[-0.0,1.5]}');
    expect(jsonKeepingNegativeZero('"-0"')).toBe('"\\"-0\\""');
    expect(jsonKeepingNegativeZero(null)).toBe('null');
    expect(jsonKeepingNegativeZero(Number.NaN)).toBe('null');
  });

  it('writes unset fields as null and escapes strings as JSON does', () => {
    expect(encodeFieldsJson(Mixed, { a: 1, b: 'q"\u2028é' })).toBe(
      `,"a":1,"b":${JSON.stringify('q"\u2028é')},"c":null,"n":null,"o":null`,
    );
  });

  it('writes the envelope: python floats, exact nonces, null terminals', () => {
    const body = encodeSynapseBody(
      Mixed,
      { a: 1, b: 'x', c: [], n: null, o: 2 },
      {
        timeout: 12,
        dendrite: { nonce: 12345678901234567890n, process_time: 0.5, hotkey: 'h"k', port: 3 },
        totalSize: 7,
      },
    );
    expect(body).toBe(
      '{"name":"Mixed","timeout":12.0,"total_size":7,"header_size":0,' +
        '"dendrite":{"status_code":null,"status_message":null,"process_time":0.5,"ip":null,' +
        '"port":3,"version":null,"nonce":12345678901234567890,"uuid":null,"hotkey":"h\\"k",' +
        '"signature":null},"axon":{"status_code":null,"status_message":null,"process_time":null,' +
        '"ip":null,"port":null,"version":null,"nonce":null,"uuid":null,"hotkey":null,' +
        '"signature":null},"computed_body_hash":"","a":1,"b":"x","c":[],"n":null,"o":2}',
    );
  });
});
