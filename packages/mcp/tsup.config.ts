import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  // The CLI exports nothing, so it gets no declaration file.
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  target: 'node20',
  splitting: true,
});
