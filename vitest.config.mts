import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // projen installs with "npm ci" when CI is set, which fails in the
    // repositories that projen new creates, because they have no lock file
    // yet. The tests create such repositories, so CI is cleared for them.
    env: { CI: '' },
    // End-to-end tests run npm, make, Python packaging and image builds.
    testTimeout: 600_000,
    hookTimeout: 900_000,
  },
});
