import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 15_000,
    // The Redis suites run on one node (REDIS_URL) and on a local 3-master Redis Cluster, which
    // this starts unless one answers already.
    globalSetup: ['../../scripts/redis-cluster.mjs'],
  },
});
