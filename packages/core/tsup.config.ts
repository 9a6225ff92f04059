import { defineConfig } from 'tsup';
import { entries } from './entries.mjs';

// Types only, after the JavaScript build (rollup.config.mjs), which empties dist first.
export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: { only: true },
});
