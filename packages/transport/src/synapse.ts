// Synapse definitions: one zod declaration per route, shared by miner (axon) and validator
// (dendrite), and the exact wire encoding the Python SDK sends and accepts.
import { z } from 'zod';
import { TransportError } from './errors.js';
import { bodyHashOfRendered } from './hash.js';
import { pyStr } from './pyrepr.js';
import { type PyType, pyTypeOf } from './pytype.js';

/** `version_as_int` we announce: Bittensor SDK 10.2.0 (must be ≥ 7002000 for timestamp nonces). */
export const PROTOCOL_VERSION = 10_002_000;
/** The SDK's default call timeout in seconds (= BLOCKTIME). */
export const DEFAULT_TIMEOUT_S = 12;

/** Fields of the SDK's `Synapse` base model; subclass fields may not reuse them. */
export const BASE_FIELDS = [
  'name',
  'timeout',
  'total_size',
  'header_size',
  'dendrite',
  'axon',
  'computed_body_hash',
  'required_hash_fields',
] as const;

/** TerminalInfo field order, as pydantic dumps it. */
export const TERMINAL_FIELDS = [
  'status_code',
  'status_message',
  'process_time',
  'ip',
  'port',
  'version',
  'nonce',
  'uuid',
  'hotkey',
  'signature',
] as const;

/** The SDK's `TerminalInfo`: who sent / answered a synapse, and how it went. */
export interface TerminalInfo {
  status_code?: number;
  status_message?: string;
  process_time?: number;
  ip?: string;
  port?: number;
  version?: number;
  /** `time_ns()` of the sender: beyond 2^53, so a bigint. */
  nonce?: bigint;
  uuid?: string;
  hotkey?: string;
  /** `0x` + hex of the 64-byte sr25519 signature. */
  signature?: string;
}

type Shape = z.ZodRawShape;

/** What a subnet declares once, in its protocol.ts. */
export interface SynapseSpec<
  Name extends string,
  I extends Shape,
  O extends Shape,
  Streaming extends boolean,
> {
  /** The route and the Python class name (`/Name`). */
  name: Name;
  /** Fields the validator sends. Required fields (no default, not optional) travel as
   * `bt_header_input_obj_<field>` placeholders like the SDK's required fields. */
  input: I;
  /** Fields the miner fills in. Optional/nullable or with a default, as in Python
   * (`Optional[X] = None`); sent as their default (or `null`) in requests. */
  output?: O;
  /** The SDK's `required_hash_fields`, in order: these are hashed with Python `str()`. */
  hashFields?: readonly (Extract<keyof I, string> | Extract<keyof O, string>)[];
  /** A streaming synapse: the handler returns an async iterable of chunks. */
  streaming?: Streaming;
}

interface Compiled {
  readonly fields: readonly string[];
  readonly inputFields: readonly string[];
  readonly outputFields: readonly string[];
  readonly hashTypes: readonly (readonly [string, PyType])[];
  /** Input fields the SDK treats as required (no default): they get an input_obj header. */
  readonly requiredInputs: readonly string[];
  /** Number kind per field, when statically known, for the input_obj placeholder. */
  readonly numberKind: ReadonlyMap<string, 'int' | 'float'>;
  /** The value each output field has in a request: its zod default, else null (Python None). */
  readonly outputRequestValues: Readonly<Record<string, unknown>>;
  /** Fields whose schema rejects null but accepts undefined: JSON null becomes undefined. */
  readonly nullToUndefined: ReadonlySet<string>;
}

export interface SynapseDefinition<
  Name extends string = string,
  I extends Shape = Shape,
  O extends Shape = Shape,
  Streaming extends boolean = boolean,
> {
  readonly name: Name;
  readonly input: z.ZodObject<I>;
  readonly output: z.ZodObject<O>;
  readonly hashFields: readonly string[];
  readonly streaming: Streaming;
  /** @internal precomputed wire details */
  readonly compiled: Compiled;
}

// biome-ignore lint/suspicious/noExplicitAny: generic constraint over every definition.
export type AnySynapse = SynapseDefinition<string, any, any, boolean>;
/** Input fields as a handler receives them (defaults applied). */
export type InputOf<S extends AnySynapse> = z.output<S['input']>;
/** Input fields as a caller passes them (defaults optional). */
export type InputInitOf<S extends AnySynapse> = z.input<S['input']>;
/** Output fields as the dendrite returns them. */
export type OutputOf<S extends AnySynapse> = z.output<S['output']>;
/** Output fields as a handler returns them. */
export type OutputInitOf<S extends AnySynapse> = z.input<S['output']>;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FIELD_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function optin(schema: z.ZodType): string | undefined {
  return (schema as unknown as { _zod: { optin?: string } })._zod.optin;
}

function invalid(message: string): never {
  throw new TransportError('INVALID_SYNAPSE_DEFINITION', message);
}

/**
 * Declares a synapse. Everything that could make the wire format inexact is rejected here, at
 * definition time: bad names, fields that shadow the SDK base model, hash fields that are not
 * fields, and hash field types whose Python `str()` we cannot reproduce.
 */
export function defineSynapse<
  const Name extends string,
  I extends Shape,
  O extends Shape = Record<never, never>,
  Streaming extends boolean = false,
>(spec: SynapseSpec<Name, I, O, Streaming>): SynapseDefinition<Name, I, O, Streaming> {
  const { name } = spec;
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    invalid(
      `synapse name ${JSON.stringify(name)} must be a Python class name ([A-Za-z_][A-Za-z0-9_]*)`,
    );
  }
  const inputShape = spec.input ?? invalid(`synapse ${name}: input shape is required`);
  const outputShape = (spec.output ?? {}) as O;
  const inputFields = Object.keys(inputShape);
  const outputFields = Object.keys(outputShape);
  const fields = [...inputFields, ...outputFields];
  for (const field of fields) {
    if (!FIELD_RE.test(field))
      invalid(`synapse ${name}: field name ${JSON.stringify(field)} is not a Python identifier`);
    if ((BASE_FIELDS as readonly string[]).includes(field)) {
      invalid(`synapse ${name}: field "${field}" shadows a field of the SDK's Synapse base model`);
    }
  }
  for (const field of outputFields) {
    if (inputFields.includes(field))
      invalid(`synapse ${name}: field "${field}" is both input and output`);
  }
  const shapes = { ...inputShape, ...outputShape } as unknown as Record<string, z.ZodType>;
  const hashFields = [...(spec.hashFields ?? [])] as string[];
  const seen = new Set<string>();
  const hashTypes = hashFields.map((field) => {
    if (!(field in shapes))
      invalid(`synapse ${name}: hash field "${field}" is not a declared field`);
    if (seen.has(field)) invalid(`synapse ${name}: hash field "${field}" is listed twice`);
    seen.add(field);
    return [field, pyTypeOf(shapes[field]!, `synapse ${name}: hash field "${field}"`)] as const;
  });

  const numberKind = new Map<string, 'int' | 'float'>();
  for (const field of fields) {
    try {
      const t = pyTypeOf(shapes[field]!, field);
      const kinds = t.kind === 'union' ? t.members : [t];
      for (const k of kinds)
        if (k.kind === 'int' || k.kind === 'float') numberKind.set(field, k.kind);
    } catch {
      // Not hashable: the number kind then comes from the runtime value.
    }
  }
  const outputRequestValues: Record<string, unknown> = {};
  for (const field of outputFields) {
    const schema = shapes[field]!;
    const parsed = schema.safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) outputRequestValues[field] = parsed.data;
    else if (parsed.success || schema.safeParse(null).success) outputRequestValues[field] = null;
    else {
      invalid(
        `synapse ${name}: output field "${field}" must be optional, nullable or have a default ` +
          '(it is empty in requests, like Python `Optional[X] = None`)',
      );
    }
  }
  const nullToUndefined = new Set<string>();
  for (const field of fields) {
    const schema = shapes[field]!;
    if (!schema.safeParse(null).success && optin(schema) !== undefined) nullToUndefined.add(field);
  }
  const requiredInputs = inputFields.filter((f) => optin(shapes[f]!) === undefined);

  return Object.freeze({
    name,
    input: z.object(inputShape),
    output: z.object(outputShape),
    hashFields,
    streaming: (spec.streaming ?? false) as Streaming,
    compiled: {
      fields,
      inputFields,
      outputFields,
      hashTypes,
      requiredInputs,
      numberKind,
      outputRequestValues,
      nullToUndefined,
    },
  });
}

/** The SDK's default `/Synapse` route: a ping that echoes. */
export const PingSynapse = defineSynapse({ name: 'Synapse', input: {} });

/** JSON `null` → `undefined` for fields that are optional but not nullable (Python None). */
export function normalizeNulls(
  def: AnySynapse,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of def.compiled.fields) {
    const value = body[field];
    out[field] = value === null && def.compiled.nullToUndefined.has(field) ? undefined : value;
  }
  return out;
}

/**
 * The SDK body hash over `hashFields`: SHA3-256 of the concatenated SHA3-256 hex digests of
 * Python `str(value)` for each field, in declared order. `values` holds every field of the
 * synapse (input and output, Python-style: missing → None).
 */
export function computeBodyHash(def: AnySynapse, values: Record<string, unknown>): string {
  const parts = def.compiled.hashTypes.map(([field, t]) =>
    pyStr(values[field] ?? null, t, `${def.name}.${field}`),
  );
  return bodyHashOfRendered(parts);
}

/** Field values of a request: the input as given plus each output field's request value. */
export function requestValues(
  def: AnySynapse,
  input: Record<string, unknown>,
): Record<string, unknown> {
  return { ...def.compiled.outputRequestValues, ...input };
}

/** Parses and validates the declared fields of a JSON body against a zod object. */
export function parseFields<T>(
  def: AnySynapse,
  schema: z.ZodType<T>,
  body: Record<string, unknown>,
): { ok: true; value: T } | { ok: false; error: string } {
  const result = schema.safeParse(normalizeNulls(def, body));
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  return { ok: false, error: `${path ? `field "${path}": ` : ''}${issue?.message ?? 'invalid'}` };
}
