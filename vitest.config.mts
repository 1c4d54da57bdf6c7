import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // End-to-end tests run npm, make, Python packaging and image builds.
    testTimeout: 600_000,
    hookTimeout: 900_000,
  },
});
