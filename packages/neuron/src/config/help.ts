import type { ConfigField } from './fields.js';

export interface HelpOptions {
  programName?: string | undefined;
  summary?: string | undefined;
}

function placeholder(field: ConfigField): string {
  if (field.kind === 'boolean') return '';
  if (field.placeholder) return ` ${field.placeholder}`;
  if (field.kind === 'enum') return ` {${field.values!.join('|')}}`;
  return field.kind === 'number' ? ' NUMBER' : ' STRING';
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * `--help` text generated from the schema's leaves: one block per section, each flag with its
 * description, default and environment names.
 */
export function formatHelp(fields: readonly ConfigField[], options: HelpOptions = {}): string {
  const out: string[] = [`Usage: ${options.programName ?? 'neuron'} [options]`, ''];
  if (options.summary) out.push(...wrap(options.summary, 78), '');
  out.push(
    'Values are read in this order, later ones winning: defaults, the JSON file given by',
    '--config (or SUBNETKIT_CONFIG), environment variables, flags.',
    '',
    '  --config PATH',
    '      JSON config file with the same nested keys (wallet.name, neuron.sample_size …).',
    '      [env: SUBNETKIT_CONFIG]',
    '  -h, --help',
    '      Show this help and exit.',
  );
  let section: string | undefined;
  for (const f of fields) {
    const s = f.path.length > 1 ? f.flagName.slice(0, f.flagName.lastIndexOf('.')) : '';
    if (s !== section) {
      section = s;
      out.push('', s === '' ? 'general:' : `${s}:`);
    }
    out.push(`  ${f.flag}${placeholder(f)}`);
    if (f.description) for (const line of wrap(f.description, 72)) out.push(`      ${line}`);
    const notes: string[] = [];
    if (f.hasDefault && f.defaultValue !== undefined) {
      notes.push(`default: ${JSON.stringify(f.defaultValue)}`);
    } else if (!f.optional) {
      notes.push('required');
    }
    notes.push(`env: ${f.env.join(', ')}`);
    out.push(`      [${notes.join('; ')}]`);
  }
  return `${out.join('\n')}\n`;
}
