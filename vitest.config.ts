import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['{packages,subnets,tooling}/*/vitest.config.ts'],
    // vitest's default on 2 cores is one worker; many suites here wait on child processes,
    // sockets and block timers, so two workers cut the whole run by about a third.
    maxWorkers: 2,
  },
});
