import { SubnetkitError } from '@subnetkit/core';
import { describe, expect, it } from 'vitest';
import { CreateSubnetError } from './errors.js';
import { nameForms, validateSubnetName } from './names.js';

describe('subnet names', () => {
  it('derives every spelling', () => {
    expect(nameForms('demo-x')).toEqual({
      kebab: 'demo-x',
      camel: 'demoX',
      pascal: 'DemoX',
      snake: 'demo_x',
      upper: 'DEMO_X',
    });
    expect(nameForms('image2')).toMatchObject({
      camel: 'image2',
      pascal: 'Image2',
      snake: 'image2',
    });
    expect(nameForms('web-index-v2')).toMatchObject({ camel: 'webIndexV2', pascal: 'WebIndexV2' });
  });

  it.each([
    '',
    'Demo',
    'demo_x',
    '-demo',
    'demo-',
    'de--mo',
    '2fast',
    'demo x',
    '../evil',
    'a/b',
    'template',
    'x'.repeat(41),
  ])('refuses %j naming the field', (name) => {
    try {
      validateSubnetName(name);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CreateSubnetError);
      expect((e as CreateSubnetError).code).toBe('INVALID_NAME');
      expect((e as CreateSubnetError).field).toBe('name');
      expect(e).toBeInstanceOf(SubnetkitError);
      expect((e as CreateSubnetError).details).toEqual({ field: 'name' });
      expect((e as CreateSubnetError).message).toMatch(/^name: /);
    }
  });
});
