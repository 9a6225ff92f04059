import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'broadcast-queue': 'src/broadcast-queue.ts',
    testing: 'src/testing.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  splitting: true,
  sourcemap: false,
  // An optional peer: only the broadcast-queue entry loads it, from the user's own install.
  external: ['bullmq'],
});
