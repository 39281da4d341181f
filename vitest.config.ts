import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // In-process tests load plugins through vite, not Node: it resolves the plugin API as the CLI's resolve hook does.
  resolve: { alias: { 'hipaa-readiness/plugin': fileURLToPath(new URL('./src/plugin.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/load-zod.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: a few files at a time, each with its own moto_server or database.
    maxWorkers: 2,
    // The JSON summary lets .ci/run print one "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/test-results.json' },
  },
});
