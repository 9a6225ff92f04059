import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'broadcast-queue': 'src/broadcast-queue/index.ts',
    testing: 'src/testing.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  splitting: true,
  sourcemap: false,
  // Peers, loaded from the user's own install (one copy, theirs): ioredis by every entry, bullmq
  // (optional) only by the broadcast-queue entry. Their types are imported, never bundled.
  external: ['ioredis', 'bullmq'],
});
