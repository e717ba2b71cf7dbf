import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Workspaces resolve each other's `src/` through the `@subnetkit/source` export condition,
 * so tests and typechecks never need a prior build.
 */
const conditions = ['@subnetkit/source', 'import', 'module', 'node', 'default'];

export function workspaceProject(name: string, extra: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@subnetkit/source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      ...extra,
    },
  });
}
