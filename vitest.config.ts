import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: a few files at a time, each with its own moto_server or database.
    maxWorkers: 2,
    // The JSON summary lets .ci/run print one "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/test-results.json' },
  },
});
