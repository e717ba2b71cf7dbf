/** How every neuron CLI ends on an error: `<program> [CODE]: message` on stderr, exit 1. */
export function exitWithError(program: string, error: unknown): never {
  const code = (error as { code?: unknown } | null)?.code;
  const tag = typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : '';
  process.stderr.write(`${program}${tag}: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
}
