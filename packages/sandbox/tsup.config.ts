import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    vitest: 'src/vitest.ts',
    'seed-examples': 'src/seed-examples.ts',
    cli: 'src/cli.ts',
  },
  format: ['esm', 'cjs'],
  // The CLI exports nothing, so it gets no declaration file.
  dts: {
    entry: {
      index: 'src/index.ts',
      vitest: 'src/vitest.ts',
      'seed-examples': 'src/seed-examples.ts',
    },
  },
  clean: true,
  target: 'node20',
  splitting: true,
  sourcemap: false,
  // The test helper runs inside the user's own vitest; bundling a second copy would break its hooks.
  external: ['vitest'],
  define: { __SANDBOX_VERSION__: JSON.stringify(version) },
});
