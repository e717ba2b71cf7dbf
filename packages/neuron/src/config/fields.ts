import type { z } from 'zod';
import { NeuronError } from '../errors.js';

/** Metadata a config leaf can carry (set with zod's `.meta({...})` or `.describe()`). */
export interface ConfigFieldMeta {
  description?: string;
  /** Extra environment variable names, lowest priority first after `SUBNETKIT_*` (e.g. `BT_WALLET_NAME`). */
  env?: readonly string[];
  /** Placeholder shown in `--help` (`PATH`, `URL` …). */
  placeholder?: string;
}

/** How a leaf's text (flag or environment) is read before the schema validates it. */
export type FieldKind = 'string' | 'number' | 'boolean' | 'enum';

/** One settable leaf of a config schema. */
export interface ConfigField {
  /** Object keys from the root, as in the schema (`['neuron', 'sampleSize']`). */
  path: readonly string[];
  /** The flag without dashes, Python SDK spelling (`neuron.sample_size`). */
  flagName: string;
  /** `--neuron.sample_size`. */
  flag: string;
  /** `SUBNETKIT_NEURON_SAMPLE_SIZE` first, then the aliases from `meta.env`. */
  env: readonly string[];
  kind: FieldKind;
  /** The allowed values of an enum leaf. */
  values?: readonly string[];
  /** True when the schema has a default (then `defaultValue` is it). */
  hasDefault: boolean;
  defaultValue?: unknown;
  /** Accepts `undefined` (optional, or has a default). */
  optional: boolean;
  nullable: boolean;
  description?: string;
  placeholder?: string;
}

/** `sampleSize` → `sample_size` (the Python SDK's spelling of a key). */
export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The `SUBNETKIT_*` environment name of a path. */
export function envNameOf(path: readonly string[]): string {
  return `SUBNETKIT_${path.map((k) => snakeCase(k).toUpperCase()).join('_')}`;
}

interface ZodInternals {
  _zod: { def: Record<string, unknown> & { type: string } };
  meta?: () => Record<string, unknown> | undefined;
  description?: string;
}

function internals(schema: unknown): ZodInternals {
  return schema as ZodInternals;
}

const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch']);

/** Walks the wrappers of a leaf (outermost first) and collects what the parser needs. */
function describeLeaf(schema: z.ZodType, path: readonly string[]): ConfigField {
  const flagName = path.map(snakeCase).join('.');
  const meta: ConfigFieldMeta = {};
  let hasDefault = false;
  let defaultValue: unknown;
  let optional = false;
  let nullable = false;
  let node = internals(schema);
  for (;;) {
    const m = node.meta?.() as ConfigFieldMeta | undefined;
    if (m) {
      meta.description ??= m.description;
      meta.env ??= m.env;
      meta.placeholder ??= m.placeholder;
    }
    meta.description ??= node.description;
    const def = node._zod.def;
    if (!WRAPPERS.has(def.type)) break;
    if ((def.type === 'default' || def.type === 'prefault') && !hasDefault) {
      hasDefault = true;
      defaultValue = def.defaultValue;
      optional = true;
    }
    if (def.type === 'optional') optional = true;
    if (def.type === 'nullable') nullable = true;
    node = internals(def.innerType);
  }
  const def = node._zod.def;
  let kind: FieldKind;
  let values: string[] | undefined;
  switch (def.type) {
    case 'string':
      kind = 'string';
      break;
    case 'number':
    case 'int':
      kind = 'number';
      break;
    case 'boolean':
      kind = 'boolean';
      break;
    case 'enum': {
      kind = 'enum';
      values = Object.values(def.entries as Record<string, string | number>).map(String);
      break;
    }
    case 'literal': {
      kind = 'enum';
      values = (def.values as unknown[]).map(String);
      break;
    }
    default:
      throw new NeuronError(
        'CONFIG_SCHEMA',
        `config schema: ${flagName} has zod type "${def.type}"; config leaves must be string, number, boolean or enum (optionally with default/optional/nullable)`,
        { details: { field: flagName } },
      );
  }
  const env = [envNameOf(path), ...(meta.env ?? [])];
  const field: ConfigField = {
    path,
    flagName,
    flag: `--${flagName}`,
    env,
    kind,
    hasDefault,
    optional,
    nullable,
  };
  if (values) field.values = values;
  if (hasDefault) field.defaultValue = defaultValue;
  if (meta.description) field.description = meta.description;
  if (meta.placeholder) field.placeholder = meta.placeholder;
  return field;
}

function isObjectSchema(schema: unknown): schema is z.ZodObject {
  return internals(schema)._zod.def.type === 'object';
}

/**
 * Lists the settable leaves of a config schema (nested `z.object`s of string, number, boolean
 * and enum leaves). Throws `CONFIG_SCHEMA` for anything else, and for two leaves that would
 * share a flag or environment name.
 */
export function configFields(schema: z.ZodObject): ConfigField[] {
  const out: ConfigField[] = [];
  const walk = (obj: z.ZodObject, prefix: string[]) => {
    for (const [key, child] of Object.entries(obj.shape)) {
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) {
        throw new NeuronError(
          'CONFIG_SCHEMA',
          `config schema: key "${[...prefix, key].join('.')}" must be alphanumeric camelCase`,
          { details: { field: [...prefix, key].join('.') } },
        );
      }
      const path = [...prefix, key];
      if (isObjectSchema(child)) walk(child, path);
      else out.push(describeLeaf(child as z.ZodType, path));
    }
  };
  walk(schema, []);
  const seen = new Map<string, string>();
  for (const f of out) {
    for (const name of [f.flag, ...f.env]) {
      const other = seen.get(name);
      if (other !== undefined && other !== f.flagName) {
        throw new NeuronError(
          'CONFIG_SCHEMA',
          `config schema: ${other} and ${f.flagName} both use the name ${name}`,
          { details: { field: f.flagName } },
        );
      }
      seen.set(name, f.flagName);
    }
  }
  return out;
}
