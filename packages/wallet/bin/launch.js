// Loads one of this package's CLIs: the built `dist/` file when it exists (an installed
// package), otherwise its TypeScript source through tsx with the `@subnetkit/source` export
// condition, the way the workspace scripts run it (a clone before `pnpm build`). The same
// file is in every package with bins; a test keeps the copies identical.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

// Resolves workspace packages to their sources, like `node --conditions=@subnetkit/source`.
const SOURCE_CONDITION = `data:text/javascript,${encodeURIComponent(
  'export const resolve = (specifier, context, next) =>' +
    " next(specifier, { ...context, conditions: [...context.conditions, '@subnetkit/source'] });",
)}`;

/** Imports `dist` when built, else `src` (both relative to this directory); exits 1 if neither can run. */
export async function load(dist, src) {
  const built = new URL(dist, import.meta.url);
  if (existsSync(built)) return import(built.href);
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    process.stderr.write(
      `${built.pathname} is not built, and tsx (to run the TypeScript source) is not installed: run \`pnpm build\` in ${new URL('..', import.meta.url).pathname}\n`,
    );
    process.exit(1);
  }
  tsx.register();
  register(SOURCE_CONDITION);
  return import(new URL(src, import.meta.url).href);
}
