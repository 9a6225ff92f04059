import { randomBytes } from 'node:crypto';
import type { Provider } from '@kabar/core';
import { createProvider } from '@kabar/core/gateways';
import { SheetsConfigError } from './errors.js';
import type { Gateway } from './gateways.js';
import { createSheetsClient, googleAuth } from './google.js';
import type { SheetsApi } from './sheets-api.js';
import { startFakeSheetsServer } from './testing/fake-sheets-server.js';

/** `kabar-sheets broadcast --sandbox`'s stand-ins for Google Sheets and the gateway. */
export interface SandboxDemo {
  /** A Sheets v4 client of the fake sheet (the real googleapis client, over local HTTP). */
  sheets: SheetsApi;
  spreadsheetId: string;
  /** The gateway, configured with the credentials the sandbox accepts. */
  provider: Provider;
  /** The sandbox's web inbox, where the messages show up. */
  inboxUrl: string;
  /** The sample sheet's cells as they are now, the statuses the run wrote included. */
  values(): unknown[][];
  close(): Promise<void>;
}

const SPREADSHEET_ID = 'kabar-sandbox';

/**
 * The seed's layout with customers written the ways people type numbers (a number cell that lost
 * its leading 0 included) and one opt-out, so a run shows sent and skipped rows.
 */
const SAMPLE_ROWS: unknown[][] = [
  ['Nomor HP', 'Nama', 'Kode Promo', 'Status', 'WA ID', 'Waktu Kirim', 'Opt-Out'],
  ['0812-3456-7001', 'Budi Santoso', 'HEMAT10'],
  ['+62 813-1111-2002', 'Siti Rahayu', 'HEMAT10'],
  [85712343003, 'Agus Setiawan', 'ONGKIR0'],
  ['6281987654004', 'Dewi Lestari', 'HEMAT10'],
  ['0878 2222 5005', 'Rudi Hartono', 'ONGKIR0'],
  ['+62 813 1111 7007', 'Rina Wijaya', 'HEMAT10', '', '', '', 'STOP'],
  ['0852-3333-8008', 'Joko Prasetyo', 'HEMAT10'],
];

/**
 * Starts the Kabar sandbox and a fake Google Sheets API holding a sample sheet, both in this
 * process on free local ports. `@kabar/sandbox` is loaded only here, so the CLI runs without it
 * for real sheets; without it, this rejects with `SheetsConfigError` saying how to add it.
 */
export async function startSandboxDemo(gateway: Gateway): Promise<SandboxDemo> {
  const { startSandbox } = await loadSandboxPackage();
  // 'examples' approves the templates the READMEs send, broadcast_promo among them.
  const sandbox = await startSandbox({ templates: 'examples' });
  // A token only this process knows: the fake checks it like Google checks a real one.
  const token = `sandbox-${randomBytes(16).toString('hex')}`;
  const fake = await startFakeSheetsServer({
    spreadsheetId: SPREADSHEET_ID,
    sheets: { Sheet1: SAMPLE_ROWS },
    accessTokens: [token],
  }).catch(async (error: unknown) => {
    await sandbox.close();
    throw error;
  });
  return {
    sheets: createSheetsClient({
      auth: await googleAuth({ accessToken: token }),
      rootUrl: fake.rootUrl,
    }),
    spreadsheetId: SPREADSHEET_ID,
    provider: createProvider(gateway, sandbox[gateway]),
    inboxUrl: `${sandbox.url}/`,
    values: () => fake.values(),
    close: async () => {
      await Promise.all([fake.close(), sandbox.close()]);
    },
  };
}

/**
 * Named through a variable: an app that bundles `@kabar/sheets` (webpack, esbuild) must not try to
 * resolve the optional sandbox, which only `--sandbox` loads.
 */
const SANDBOX_PACKAGE = '@kabar/sandbox';

async function loadSandboxPackage(): Promise<typeof import('@kabar/sandbox')> {
  try {
    return (await import(SANDBOX_PACKAGE)) as typeof import('@kabar/sandbox');
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const missing =
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      String(message).includes("'@kabar/sandbox'");
    if (!missing) throw error;
    throw new SheetsConfigError(
      '--sandbox needs the package @kabar/sandbox next to @kabar/sheets: install both ' +
        '(npm install @kabar/sheets @kabar/sandbox), or run ' +
        'npx -p @kabar/sheets -p @kabar/sandbox kabar-sheets broadcast --sandbox',
    );
  }
}
