/**
 * A small scale-info type table: each distinct type gets the next free id, and an identical
 * type reuses its id. The JSON it produces is what `@polkadot/types` reads as a
 * `PortableRegistry` (the `lookup` of metadata V14/V15).
 */
export type TypeId = number;

export type Primitive =
  | 'bool'
  | 'str'
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 'u128'
  | 'i16'
  | 'i64'
  | 'i128';

export interface FieldSpec {
  name?: string;
  type: TypeId;
  typeName?: string;
}

export interface VariantSpec {
  name: string;
  index: number;
  fields?: FieldSpec[];
  docs?: string[];
}

export interface ParamSpec {
  name: string;
  type?: TypeId;
}

interface PortableField {
  name: string | null;
  type: TypeId;
  typeName: string | null;
  docs: string[];
}

type TypeDefJson =
  | { primitive: string }
  | { compact: { type: TypeId } }
  | { sequence: { type: TypeId } }
  | { array: { len: number; type: TypeId } }
  | { tuple: TypeId[] }
  | { composite: { fields: PortableField[] } }
  | {
      variant: {
        variants: { name: string; fields: PortableField[]; index: number; docs: string[] }[];
      };
    };

export interface PortableTypeJson {
  id: TypeId;
  type: {
    path: string[];
    params: { name: string; type: TypeId | null }[];
    def: TypeDefJson;
    docs: string[];
  };
}

const toField = (f: FieldSpec): PortableField => ({
  name: f.name ?? null,
  type: f.type,
  typeName: f.typeName ?? null,
  docs: [],
});

const splitPath = (path: string): string[] => (path === '' ? [] : path.split('::'));

export class TypeTable {
  readonly #types: (PortableTypeJson | undefined)[] = [];
  readonly #byKey = new Map<string, TypeId>();

  /** Reserves an id for a recursive type; fill it later with `define`. */
  reserve(): TypeId {
    this.#types.push(undefined);
    return this.#types.length - 1;
  }

  define(id: TypeId, path: string, def: TypeDefJson, params: ParamSpec[] = []): void {
    if (this.#types[id] !== undefined) throw new Error(`type ${id} is already defined`);
    this.#types[id] = {
      id,
      type: {
        path: splitPath(path),
        params: params.map((p) => ({ name: p.name, type: p.type ?? null })),
        def,
        docs: [],
      },
    };
  }

  #add(path: string, def: TypeDefJson, params: ParamSpec[] = []): TypeId {
    const key = JSON.stringify([path, params, def]);
    const known = this.#byKey.get(key);
    if (known !== undefined) return known;
    const id = this.reserve();
    this.define(id, path, def, params);
    this.#byKey.set(key, id);
    return id;
  }

  prim(p: Primitive): TypeId {
    return this.#add('', { primitive: p.charAt(0).toUpperCase() + p.slice(1) });
  }
  compact(t: TypeId): TypeId {
    return this.#add('', { compact: { type: t } });
  }
  vec(t: TypeId): TypeId {
    return this.#add('', { sequence: { type: t } });
  }
  array(t: TypeId, len: number): TypeId {
    return this.#add('', { array: { len, type: t } });
  }
  tuple(...ts: TypeId[]): TypeId {
    return this.#add('', { tuple: ts });
  }
  struct(path: string, fields: FieldSpec[], params: ParamSpec[] = []): TypeId {
    return this.#add(path, { composite: { fields: fields.map(toField) } }, params);
  }
  /** A struct from `[name, type]` pairs. */
  fields(path: string, fields: [string, TypeId][], params: ParamSpec[] = []): TypeId {
    return this.struct(
      path,
      fields.map(([name, type]) => ({ name, type })),
      params,
    );
  }
  enum(path: string, variants: VariantSpec[], params: ParamSpec[] = []): TypeId {
    return this.#add(path, { variant: { variants: variants.map(variantJson) } }, params);
  }
  /** Fills a reserved id with an enum (for recursive types such as RuntimeCall). */
  defineEnum(id: TypeId, path: string, variants: VariantSpec[], params: ParamSpec[] = []): void {
    this.define(id, path, { variant: { variants: variants.map(variantJson) } }, params);
  }
  /** Unit-only enum from names in index order. */
  names(path: string, names: readonly string[], params: ParamSpec[] = []): TypeId {
    return this.enum(
      path,
      names.map((name, index) => ({ name, index })),
      params,
    );
  }
  option(t: TypeId): TypeId {
    return this.enum(
      'Option',
      [
        { name: 'None', index: 0 },
        { name: 'Some', index: 1, fields: [{ type: t }] },
      ],
      [{ name: 'T', type: t }],
    );
  }
  result(ok: TypeId, err: TypeId): TypeId {
    return this.enum(
      'Result',
      [
        { name: 'Ok', index: 0, fields: [{ type: ok }] },
        { name: 'Err', index: 1, fields: [{ type: err }] },
      ],
      [
        { name: 'T', type: ok },
        { name: 'E', type: err },
      ],
    );
  }

  toJSON(): PortableTypeJson[] {
    return this.#types.map((t, id) => {
      if (t === undefined) throw new Error(`type ${id} was reserved but never defined`);
      return t;
    });
  }
}

function variantJson(v: VariantSpec) {
  return {
    name: v.name,
    fields: (v.fields ?? []).map(toField),
    index: v.index,
    docs: v.docs ?? [],
  };
}
