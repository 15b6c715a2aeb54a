import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Two suites: fast unit tests (fakes allowed), and integration tests against
// the real Kafka broker and ClickHouse (chdb). Integration files run one at a
// time, each in its own process: chdb binds one data directory per process.
export default defineConfig({
  resolve: { alias: { '@': path.resolve(__dirname) } },
  test: {
    // Integration files need the whole machine (and chdb wants one data dir per process).
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'tracker/test/**/*.test.ts', 'lib/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
