import { CreateSubnetError } from './errors.js';

/** The spellings of a subnet name used in the generated code. */
export interface NameForms {
  /** `demo-x`: directory, package suffix, bins, vitest project. */
  kebab: string;
  /** `demoX`: config section key, identifiers that start lower-case. */
  camel: string;
  /** `DemoX`: identifiers (`DemoXConfig`, `createDemoXMiner`). */
  pascal: string;
  /** `demo_x`: flags (`--demo_x.backend_url`). */
  snake: string;
  /** `DEMO_X`: environment variables (`SUBNETKIT_DEMO_X_BACKEND_URL`). */
  upper: string;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const MAX_NAME_LENGTH = 40;
/** Names that would collide with the template itself or read as it. */
const RESERVED = new Set(['template', 'subnet', 'node-modules']);

/** Refuses anything but lowercase letters, digits and single dashes, starting with a letter. */
export function validateSubnetName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new CreateSubnetError('INVALID_NAME', 'name: a subnet name is required', {
      details: { field: 'name' },
    });
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new CreateSubnetError(
      'INVALID_NAME',
      `name: "${name}" is longer than ${MAX_NAME_LENGTH} characters`,
      { details: { field: 'name' } },
    );
  }
  if (!NAME.test(name)) {
    throw new CreateSubnetError(
      'INVALID_NAME',
      `name: "${name}" must be lowercase letters, digits and single dashes, starting with a letter (e.g. "image-gen")`,
      { details: { field: 'name' } },
    );
  }
  if (RESERVED.has(name)) {
    throw new CreateSubnetError('INVALID_NAME', `name: "${name}" is reserved`, {
      details: { field: 'name' },
    });
  }
  return name;
}

export function nameForms(name: string): NameForms {
  const parts = validateSubnetName(name).split('-');
  const cap = (p: string) => p.charAt(0).toUpperCase() + p.slice(1);
  return {
    kebab: name,
    camel: parts[0]! + parts.slice(1).map(cap).join(''),
    pascal: parts.map(cap).join(''),
    snake: parts.join('_'),
    upper: parts.join('_').toUpperCase(),
  };
}
