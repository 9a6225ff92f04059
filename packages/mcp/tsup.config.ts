import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  // The CLI exports nothing, so it gets no declaration file.
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  target: 'node20',
  splitting: true,
  define: { __KABAR_MCP_VERSION__: JSON.stringify(version) },
});
