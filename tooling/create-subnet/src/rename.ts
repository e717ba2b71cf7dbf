import type { NameForms } from './names.js';

/** Files whose identifiers, object keys and config paths are renamed too (not only names). */
export const CODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'];

export function isCodeFile(path: string): boolean {
  return CODE_EXTENSIONS.some((ext) => path.endsWith(ext));
}

interface Rule {
  pattern: RegExp;
  replace: (f: NameForms, ...groups: string[]) => string;
  codeOnly?: boolean;
}

/**
 * Ordered: the specific spellings first (package name, paths, bins, flags, env), then
 * identifiers. Prose ("the template", "the Python subnet template") is left alone.
 */
const RULES: Rule[] = [
  { pattern: /@subnetkit\/subnet-template\b/g, replace: (f) => `@subnetkit/subnet-${f.kebab}` },
  { pattern: /\bsubnets\/_template\b/g, replace: (f) => `subnets/${f.kebab}` },
  { pattern: /(['"`])_template\1/g, replace: (f, q) => `${q}${f.kebab}${q}` },
  { pattern: /\btemplate-(miner|validator)\b/g, replace: (f, role) => `${f.kebab}-${role}` },
  { pattern: /--template\./g, replace: (f) => `--${f.snake}.` },
  { pattern: /\bSUBNETKIT_TEMPLATE_/g, replace: (f) => `SUBNETKIT_${f.upper}_` },
  // `template.backend_url` in messages and docs: the flag path, snake_case.
  {
    pattern: /\btemplate\.([a-z][a-z0-9]*_[a-z0-9_]*)\b/g,
    replace: (f, leaf) => `${f.snake}.${leaf}`,
  },
  // Identifiers: createTemplateMiner, TemplateConfig, templateConfigSchema.
  {
    pattern: /([a-z0-9])Template(?=[A-Z0-9_]|\b)/g,
    replace: (f, before) => `${before}${f.pascal}`,
  },
  { pattern: /\bTemplate(?=[A-Z])/g, replace: (f) => f.pascal },
  { pattern: /\btemplate(?=[A-Z])/g, replace: (f) => f.camel },
  // The config section: `template: z.object(…)`, `config.template.backend`, `{ template: {…} }`.
  { pattern: /\btemplate(?=\s*:(?!:))/g, replace: (f) => f.camel, codeOnly: true },
  {
    pattern: /\[(['"])template\1\]/g,
    replace: (f, q) => `[${q}${f.camel}${q}]`,
    codeOnly: true,
  },
  { pattern: /(?<=\.)template\b(?!\.(?:js|ts|json)\b)/g, replace: (f) => f.camel, codeOnly: true },
  // Flag paths inside regular expressions: /template\.backend_url/.
  { pattern: /\btemplate(?=\\\.[a-z])/g, replace: (f) => f.snake, codeOnly: true },
  // Names built from it in code: tempDir('template-e2e-'), '//Alice//template-e2e-validator'.
  { pattern: /\btemplate-(?=[a-z0-9])/g, replace: (f) => `${f.kebab}-`, codeOnly: true },
  // The bare name as a string: { name: 'template' } (a display name, a prefix).
  { pattern: /(['"])template\1/g, replace: (f, q) => `${q}${f.kebab}${q}`, codeOnly: true },
  // `template` in backticks (doc comments) names the config section.
  { pattern: /`template`/g, replace: (f) => `\`${f.camel}\``, codeOnly: true },
  // Names of renamed files anywhere, docs too (`src/template.test.ts` in the README): the same
  // files renamePath renames (a code file, not .json, whose name starts `template.`/`template-`).
  {
    pattern: /(^|[\s`'"(/])template(?=[.-](?:[A-Za-z0-9_.-]*\.)?(?:tsx?|mts|cts|m?js|cjs)\b)/gm,
    replace: (f, before) => `${before}${f.kebab}`,
  },
  // Relative imports of renamed files: './template.js', '../template-utils.js'.
  {
    pattern: /(['"])(\.{1,2}\/(?:[^'"\n]*\/)?)template(?=[.-][^'"\n/]*\1)/g,
    replace: (f, q, dir) => `${q}${dir}${f.kebab}`,
    codeOnly: true,
  },
];

/**
 * A file path with a TypeScript/JavaScript file named `template.*` / `template-*` renamed
 * (`src/template.test.ts` → `src/demo-x.test.ts`). Directories and other files keep their
 * names (a Python peer's `template/` package must stay importable).
 */
export function renamePath(path: string, forms: NameForms): string {
  const parts = path.split('/');
  const last = parts.length - 1;
  if (isCodeFile(parts[last]!) && !parts[last]!.endsWith('.json')) {
    parts[last] = parts[last]!.replace(/^template(?=[.-])/, forms.kebab);
  }
  return parts.join('/');
}

/** The template's text with every name changed to the new subnet's. */
export function renameText(text: string, forms: NameForms, code: boolean): string {
  let out = text;
  for (const rule of RULES) {
    if (rule.codeOnly && !code) continue;
    out = out.replace(rule.pattern, (_m, ...args: unknown[]) => {
      const groups = args.filter((a): a is string => typeof a === 'string');
      return rule.replace(forms, ...groups);
    });
  }
  return out;
}

/** Patterns that betray a name of the template left in generated text. */
const LEFTOVERS: Array<{ pattern: RegExp; codeOnly?: boolean }> = [
  { pattern: /@subnetkit\/subnet-template\b/ },
  { pattern: /\bsubnets\/_template\b/ },
  { pattern: /(['"`])_template\1/ },
  { pattern: /\btemplate-(miner|validator)\b/ },
  { pattern: /--template\./ },
  { pattern: /\bSUBNETKIT_TEMPLATE_/ },
  { pattern: /\btemplate\.[a-z][a-z0-9]*_/ },
  { pattern: /[a-z0-9]Template|\bTemplate[A-Z]|\btemplate[A-Z]/ },
  { pattern: /\btemplate\s*:(?!:)/, codeOnly: true },
  { pattern: /\[['"]template['"]\]/, codeOnly: true },
  { pattern: /\.template\b(?!\.(?:js|ts|json)\b)/, codeOnly: true },
  { pattern: /\btemplate\\\.[a-z]/, codeOnly: true },
  { pattern: /\btemplate-[a-z0-9]/, codeOnly: true },
  { pattern: /(['"`])template\1/, codeOnly: true },
  { pattern: /(['"])\.{1,2}\/(?:[^'"\n]*\/)?template[.-][^'"\n/]*\1/, codeOnly: true },
  { pattern: /(^|[\s`'"(/])template[.-](?:[A-Za-z0-9_.-]*\.)?(?:tsx?|mts|cts|m?js|cjs)\b/ },
];

export interface Leftover {
  line: number;
  text: string;
}

/** Lines that still carry a template name (empty for a clean rename). */
export function findLeftovers(text: string, code: boolean): Leftover[] {
  const out: Leftover[] = [];
  text.split('\n').forEach((line, i) => {
    if (LEFTOVERS.some((l) => (!l.codeOnly || code) && l.pattern.test(line))) {
      out.push({ line: i + 1, text: line.trim() });
    }
  });
  return out;
}
