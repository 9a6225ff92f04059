import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['nodes/**/*.test.ts', 'shared/**/*.test.ts'],
    testTimeout: 15_000,
  },
});
