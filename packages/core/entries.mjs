import { existsSync, readdirSync } from 'node:fs';

// Every gateway folder with an index.ts is a subpath entry (`@kabar/core/<gateway>`), so adding a
// gateway needs no line here.
const gatewayFolders = readdirSync(new URL('src/providers/', import.meta.url), {
  withFileTypes: true,
}).filter(
  (entry) =>
    entry.isDirectory() &&
    existsSync(new URL(`src/providers/${entry.name}/index.ts`, import.meta.url)),
);

/** The gateway subpaths (`@kabar/core/kirem`, ...), each mapped to its source entry. */
export const gatewayEntries = Object.fromEntries(
  gatewayFolders.map((entry) => [entry.name, `src/providers/${entry.name}/index.ts`]),
);

/** Every subpath of the package, mapped to its source entry; the JS and the type builds share it. */
export const entries = {
  index: 'src/index.ts',
  ...gatewayEntries,
  gateways: 'src/providers/registry.ts',
  webhooks: 'src/webhooks/index.ts',
  bot: 'src/bot/index.ts',
  otp: 'src/otp/index.ts',
  broadcast: 'src/broadcast/index.ts',
};
