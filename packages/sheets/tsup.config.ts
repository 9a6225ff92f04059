import { defineConfig } from 'tsup';

// `--sandbox` loads @kabar/sandbox only when asked for (see src/sandbox-demo.ts); tsup would
// otherwise bundle it, as it bundles every package that is not a dependency.
const external = ['@kabar/sandbox'];

// Three builds run side by side; only the first cleans dist/, sparing the other two's files and
// the Apps Script bundle (apps-script/build.mjs writes dist/apps-script/ after tsup).
export default defineConfig([
  {
    // The library: the pieces the CLI is made of (broadcastSheet, readSheetRows, SheetWriter, ...).
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: ['!cli.js', '!cli-worker.js', '!testing.js', '!apps-script/**'],
    external,
    target: 'node20',
    sourcemap: false,
  },
  {
    // The kabar-sheets bin, and the worker it runs the broadcast in.
    entry: { cli: 'src/cli.ts', 'cli-worker': 'src/cli-worker.ts' },
    format: ['esm'],
    banner: { js: '#!/usr/bin/env node' },
    splitting: false,
    external,
    target: 'node20',
    sourcemap: false,
  },
  {
    // The fake Sheets v4 server, for the benchmark (dist only, not in the package's exports).
    entry: { testing: 'src/testing/index.ts' },
    format: ['esm'],
    splitting: false,
    target: 'node20',
    sourcemap: false,
  },
]);
