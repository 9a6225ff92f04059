import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

// Every gateway folder with an index.ts is a subpath entry (`@kabar/core/<gateway>`), so adding a
// gateway needs no line here.
const gateways = Object.fromEntries(
  readdirSync('src/providers', { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`src/providers/${entry.name}/index.ts`))
    .map((entry) => [entry.name, `src/providers/${entry.name}/index.ts`]),
);

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    ...gateways,
    gateways: 'src/providers/registry.ts',
    webhooks: 'src/webhooks/index.ts',
    bot: 'src/bot/index.ts',
    otp: 'src/otp/index.ts',
    broadcast: 'src/broadcast/index.ts',
  },
  format: ['esm', 'cjs'],
  // libphonenumber-js is hundreds of small ESM files; resolving them made `import('@kabar/core')`
  // take ~50 ms cold. Bundled into our chunks it is one file read per entry.
  noExternal: ['libphonenumber-js'],
  dts: { resolve: ['libphonenumber-js'] },
  clean: true,
  target: 'node20',
  splitting: true,
  sourcemap: false,
});
