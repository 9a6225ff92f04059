import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // The Redis mode's tests run on one node and on a local 3-master Redis Cluster, which this
    // starts unless one answers already.
    globalSetup: ['../../scripts/redis-cluster.mjs'],
  },
});
