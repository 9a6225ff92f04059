import { defineConfig } from 'vitest/config';

// One test file against a real n8n: the first run installs n8n (minutes), later ones start it a
// few times, so the timeouts are long and nothing runs in parallel.
export default defineConfig({
  test: {
    include: ['*.test.ts'],
    hookTimeout: 10 * 60_000,
    testTimeout: 3 * 60_000,
    teardownTimeout: 30_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
