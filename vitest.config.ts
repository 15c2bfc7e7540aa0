import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // e2e tests start real servers and the Codex binary; two cores, so keep files from starving each other.
    maxWorkers: 2,
  },
});
