import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  // tsup's default: shared chunks in ESM only. Its experimental CommonJS splitting rewrites
  // parameter properties into invalid code, so testing.cjs holds its own copy of what it imports,
  // and finds the app's classes by metadata rather than by identity (see tokens.ts).
  sourcemap: false,
});
