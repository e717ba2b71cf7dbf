import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { type ConfigSource, NeuronError } from '../errors.js';
import { type ConfigField, configFields, snakeCase } from './fields.js';
import { formatHelp } from './help.js';

/** The environment variable that names a config file when `--config` is absent. */
export const CONFIG_ENV = 'SUBNETKIT_CONFIG';

export interface LoadConfigOptions {
  /** Command-line arguments without node and the script (`process.argv.slice(2)`). */
  argv?: readonly string[];
  /** Environment (`process.env`); pass `{}` to ignore it. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Program defaults over the schema's (e.g. `{ neuron: { name: 'miner' } }`); lowest
   * priority after the schema's own defaults. Same nested shape as the config.
   */
  defaults?: Record<string, unknown>;
  /** Program name for `--help`. */
  programName?: string;
  /** One paragraph printed under the usage line of `--help`. */
  summary?: string;
  /** Reads the `--config` file (tests inject it). Default: `fs.readFileSync(path, 'utf8')`. */
  readFile?: (path: string) => string;
}

export type LoadConfigResult<T> =
  | { help: true; text: string }
  | {
      help: false;
      config: T;
      /** Where each set leaf came from, by flag name (`neuron.sample_size`). */
      sources: Map<string, ConfigSource>;
      /** The config file read, if any. */
      configFile?: string;
    };

type Raw = Record<string, unknown>;

function setPath(target: Raw, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Raw;
  }
  node[path[path.length - 1]!] = value;
}

function deleteEmptyPath(target: Raw, path: readonly string[]): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = node[key] as Raw;
  delete node[path[path.length - 1]!];
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

function invalid(field: ConfigField, source: ConfigSource, why: string): NeuronError {
  return new NeuronError('CONFIG_INVALID', `${field.flagName}: ${why} (from ${describe(source)})`, {
    details: {
      field: field.flagName,
      source,
    },
  });
}

function describe(source: ConfigSource): string {
  switch (source.kind) {
    case 'flag':
      return `flag ${source.name}`;
    case 'env':
      return `environment ${source.name}`;
    case 'file':
      return `config file ${source.name}`;
    case 'program':
      return `program defaults (${source.name})`;
    default:
      return 'schema default';
  }
}

/** Reads the text of a flag or environment variable as the leaf's type. */
function readText(field: ConfigField, text: string, source: ConfigSource): unknown {
  switch (field.kind) {
    case 'string':
      return text;
    case 'enum':
      if (!field.values!.includes(text)) {
        throw invalid(
          field,
          source,
          `${JSON.stringify(text)} is not one of ${field.values!.join(', ')}`,
        );
      }
      return text;
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
      throw invalid(field, source, `${JSON.stringify(text)} is not a boolean (true/false/1/0)`);
    }
    case 'number': {
      const t = text.trim();
      const n = t === '' ? Number.NaN : Number(t);
      if (!Number.isFinite(n)) {
        throw invalid(field, source, `${JSON.stringify(text)} is not a number`);
      }
      return n;
    }
  }
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** The closest known flag to a mistyped one, if any is close. */
export function suggestFlag(name: string, fields: readonly ConfigField[]): string | undefined {
  const norm = (s: string) => s.replace(/[-_.]/g, '').toLowerCase();
  const target = norm(name);
  let best: { flag: string; d: number } | undefined;
  for (const f of fields) {
    const d = norm(f.flagName) === target ? 0 : levenshtein(name, f.flagName);
    if (best === undefined || d < best.d) best = { flag: f.flag, d };
  }
  if (best && best.d <= Math.max(2, Math.floor(name.length / 4))) return best.flag;
  return undefined;
}

interface ParsedArgs {
  help: boolean;
  configFile?: string;
  values: Array<{ field: ConfigField; text: string; flag: string }>;
}

/** A small strict argv parser: `--a.b value`, `--a.b=value`, bare `--flag` for booleans. */
function parseArgv(argv: readonly string[], fields: readonly ConfigField[]): ParsedArgs {
  const byFlag = new Map(fields.map((f) => [f.flagName, f]));
  const out: ParsedArgs = { help: false, values: [] };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '-h' || token === '--help') {
      out.help = true;
      continue;
    }
    // `pnpm <script> -- --flag` passes the `--` on (npm drops it).
    if (token === '--' && i === 0) continue;
    if (!token.startsWith('--') || token === '--') {
      throw new NeuronError(
        'CONFIG_UNKNOWN_FLAG',
        `unexpected argument ${JSON.stringify(token)}: options are --name value (see --help)`,
        { details: { source: { kind: 'flag', name: token } } },
      );
    }
    const eq = token.indexOf('=');
    const name = eq === -1 ? token.slice(2) : token.slice(2, eq);
    let inline = eq === -1 ? undefined : token.slice(eq + 1);
    const takeValue = (what: string): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new NeuronError('CONFIG_INVALID', `--${name}: expects ${what}`, {
          details: {
            field: name,
            source: { kind: 'flag', name: `--${name}` },
          },
        });
      }
      i++;
      return next;
    };
    if (name === 'config') {
      out.configFile = takeValue('a file path');
      continue;
    }
    const field = byFlag.get(name);
    if (!field) {
      const hint = suggestFlag(name, fields);
      throw new NeuronError(
        'CONFIG_UNKNOWN_FLAG',
        `unknown flag --${name}${hint ? ` (did you mean ${hint}?)` : ''}; see --help`,
        { details: { field: name, source: { kind: 'flag', name: `--${name}` } } },
      );
    }
    if (field.kind === 'boolean' && inline === undefined) inline = 'true';
    out.values.push({
      field,
      text: takeValue(field.kind === 'enum' ? `one of ${field.values!.join(', ')}` : 'a value'),
      flag: `--${name}`,
    });
  }
  return out;
}

/** Flattens a config file object into `[leaf, value, dotted key as written]` triples. */
function flattenFile(
  data: unknown,
  fields: readonly ConfigField[],
  file: string,
  label = `config file ${file}`,
): Array<[ConfigField, unknown, string]> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new NeuronError('CONFIG_FILE', `${label}: must hold a JSON object`, {
      details: { path: file },
    });
  }
  // Every spelling of every path prefix: schema keys (camelCase) and flag names (snake_case).
  const leaves = new Map<string, ConfigField>();
  const sections = new Set<string>();
  for (const f of fields) {
    const spellings = (p: readonly string[]) => [p.join('.'), p.map(snakeCase).join('.')];
    for (const s of spellings(f.path)) leaves.set(s, f);
    for (let k = 1; k < f.path.length; k++) {
      for (const s of spellings(f.path.slice(0, k))) sections.add(s);
    }
  }
  const out: Array<[ConfigField, unknown, string]> = [];
  const seen = new Map<ConfigField, string>();
  const walk = (obj: Raw, prefix: string) => {
    for (const [key, value] of Object.entries(obj)) {
      if (key === '$schema' && prefix === '') continue;
      const dotted = prefix === '' ? key : `${prefix}.${key}`;
      const field = leaves.get(dotted);
      if (field) {
        const before = seen.get(field);
        if (before !== undefined) {
          throw new NeuronError(
            'CONFIG_FILE',
            `${label}: ${before} and ${dotted} set the same field ${field.flagName}`,
            { details: { path: file, field: field.flagName } },
          );
        }
        seen.set(field, dotted);
        out.push([field, value, dotted]);
      } else if (
        sections.has(dotted) &&
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value)
      ) {
        walk(value as Raw, dotted);
      } else {
        const hint = suggestFlag(dotted, fields);
        throw new NeuronError(
          'CONFIG_FILE',
          `${label}: unknown key "${dotted}"${hint ? ` (did you mean ${hint.slice(2)}?)` : ''}`,
          { details: { path: file, field: dotted } },
        );
      }
    }
  };
  walk(data as Raw, '');
  return out;
}

function readConfigFile(path: string, read: (path: string) => string): unknown {
  if (/\.ya?ml$/i.test(path)) {
    throw new NeuronError(
      'CONFIG_FILE',
      `config file ${path}: YAML is not supported; write the same keys as JSON`,
      { details: { path } },
    );
  }
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NeuronError(
      'CONFIG_FILE',
      `config file ${path}: cannot read it (${code ?? (error as Error).message})`,
      { details: { path }, cause: error },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new NeuronError(
      'CONFIG_FILE',
      `config file ${path}: not valid JSON (${(error as Error).message})`,
      { details: { path }, cause: error },
    );
  }
}

function flattenDefaults(
  defaults: Record<string, unknown>,
  fields: readonly ConfigField[],
): Array<[ConfigField, unknown, string]> {
  return flattenFile(defaults, fields, 'defaults', 'program defaults');
}

/**
 * Builds a config from the schema's defaults, program defaults, a JSON file (`--config` or
 * `SUBNETKIT_CONFIG`), the environment and the flags, in that order, then validates the result
 * with the schema. Errors name the field and where its value came from. `--help` returns the
 * help text instead of a config.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  options: LoadConfigOptions = {},
): LoadConfigResult<z.output<S>> {
  const fields = configFields(schema);
  const env = options.env ?? {};
  const argv = options.argv ?? [];
  // Help wins over any other argument, even an invalid one.
  const args = argv.some((a) => a === '-h' || a === '--help')
    ? { help: true, values: [] }
    : parseArgv(argv, fields);
  if (args.help) {
    return {
      help: true,
      text: formatHelp(fields, { programName: options.programName, summary: options.summary }),
    };
  }
  const raw: Raw = {};
  const sources = new Map<string, ConfigSource>();
  // Every section exists, so leaves with defaults fill in even when nothing is set.
  for (const f of fields) {
    for (let k = 1; k < f.path.length; k++) {
      const sectionPath = f.path.slice(0, k);
      let node = raw;
      for (const key of sectionPath) {
        node[key] ??= {};
        node = node[key] as Raw;
      }
    }
  }
  const put = (field: ConfigField, value: unknown, source: ConfigSource) => {
    setPath(raw, field.path, value);
    sources.set(field.flagName, source);
  };

  if (options.defaults) {
    for (const [field, value, key] of flattenDefaults(options.defaults, fields)) {
      put(field, value, { kind: 'program', name: key });
    }
  }

  const configFile = args.configFile ?? (env[CONFIG_ENV] || undefined);
  if (configFile !== undefined) {
    const data = readConfigFile(configFile, options.readFile ?? ((p) => readFileSync(p, 'utf8')));
    for (const [field, value, key] of flattenFile(data, fields, configFile)) {
      if (value === null && !field.nullable) {
        deleteEmptyPath(raw, field.path);
        sources.delete(field.flagName);
        continue;
      }
      put(field, value, { kind: 'file', name: `${configFile}: ${key}` });
    }
  }

  for (const field of fields) {
    // Our SUBNETKIT_* name wins over the SDK's BT_* alias: it is the more specific one.
    for (const name of field.env) {
      const text = env[name];
      if (text === undefined || text === '') continue;
      const source: ConfigSource = { kind: 'env', name };
      put(field, readText(field, text, source), source);
      break;
    }
  }

  for (const { field, text, flag } of args.values) {
    const source: ConfigSource = { kind: 'flag', name: flag };
    put(field, readText(field, text, source), source);
  }

  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const byPath = new Map(fields.map((f) => [f.path.join('.'), f]));
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.map(String).join('.');
      const field = byPath.get(key);
      const name = field ? field.flagName : issue.path.map((p) => snakeCase(String(p))).join('.');
      const source = field ? sources.get(field.flagName) : undefined;
      const value = field ? valueAt(raw, field.path) : undefined;
      const from = source
        ? ` (got ${JSON.stringify(value)} from ${describe(source)})`
        : field && value === undefined
          ? ` (not set: use ${field.flag} or ${field.env[0]})`
          : '';
      return { text: `${name}: ${issue.message}${from}`, field: name, source };
    });
    const first = problems[0]!;
    const details: ConstructorParameters<typeof NeuronError>[2] = {
      field: first.field,
      problems: problems.map((p) => p.text),
    };
    if (first.source) details.source = first.source;
    throw new NeuronError(
      'CONFIG_INVALID',
      problems.length === 1
        ? `invalid config: ${first.text}`
        : `invalid config:\n  ${problems.map((p) => p.text).join('\n  ')}`,
      { details: details },
    );
  }
  const result: LoadConfigResult<z.output<S>> = { help: false, config: parsed.data, sources };
  if (configFile !== undefined) result.configFile = configFile;
  return result;
}

function valueAt(raw: Raw, path: readonly string[]): unknown {
  let node: unknown = raw;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Raw)[key];
  }
  return node;
}
