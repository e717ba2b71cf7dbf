import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['{packages,subnets,tooling}/*/vitest.config.ts'],
  },
});
