import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // @kabar/redis's own tests and sources, with every ioredis and bullmq import answered by
  // ioredis 5 and BullMQ 5 from this package instead of the ioredis 6 and BullMQ 6 that
  // @kabar/redis develops against. BullMQ 5 depends on ioredis 5.11.1, the version installed
  // here, so the tests and BullMQ share one ioredis.
  resolve: {
    alias: [
      { find: /^ioredis$/, replacement: here('./node_modules/ioredis') },
      // BullMQ's CommonJS build, the one Node itself loads for `import 'bullmq'` (its package.json
      // has no exports, only main), where Vite would take the ESM build named by "module".
      { find: /^bullmq$/, replacement: here('./node_modules/bullmq/dist/cjs/index.js') },
    ],
  },
  test: {
    dir: here('../redis/src'),
    include: ['**/*.test.ts'],
    setupFiles: [here('./ioredis5-guard.ts')],
    // The Redis suites run on one node and on a local 3-master Redis Cluster (started unless one
    // answers already).
    globalSetup: [here('../../scripts/redis-cluster.mjs')],
    testTimeout: 15_000,
    env: {
      // The broadcast queue's tests fork worker processes through vite-node: this config gives
      // them the same aliases, and each worker checks the majors it loaded before it says ready.
      KABAR_REDIS_WORKER_VITE_CONFIG: here('./vitest.config.ts'),
      KABAR_REDIS_EXPECT_MAJORS: 'ioredis@5 bullmq@5',
    },
  },
});
