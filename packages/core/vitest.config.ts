import { defineConfig } from 'vitest/config';

// The suites that prove retries never double-send, run again over fetch: the default transport
// on Node is node:http, and both must keep every promise.
const OVER_BOTH_TRANSPORTS = [
  'src/http.test.ts',
  'src/retry.test.ts',
  'src/reconcile.test.ts',
  'src/providers/failover.test.ts',
  'src/conformance.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 15_000,
    projects: [
      { extends: true, test: { name: 'node-http', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'fetch',
          include: OVER_BOTH_TRANSPORTS,
          env: { KABAR_TEST_TRANSPORT: 'fetch' },
        },
      },
    ],
  },
});
