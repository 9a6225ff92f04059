import { KabarError } from '@kabar/core';
import { broadcastSheet } from './broadcast-sheet.js';
import { type CliConfig, parseCli, USAGE } from './cli-args.js';
import { errorMessage, googleStatus } from './errors.js';
import { providerFromEnv, secretEnvNames } from './gateways.js';
import { createSheetsClient, googleAuth } from './google.js';
import { createProgressReporter, type ProgressOutput } from './progress.js';
import { Redactor } from './redact.js';
import { formatReport } from './report.js';

/** The process around `runCli`: environment, output streams and an interrupt signal. */
export interface CliIo {
  /** Where gateway keys and Google credentials are read from, as `process.env`. */
  env: Record<string, string | undefined>;
  /** Gets the final report (and `--help`). */
  stdout: ProgressOutput;
  /** Gets progress and errors. */
  stderr: ProgressOutput;
  /** Aborting it stops the broadcast the way Ctrl-C does (the bin wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** Environment variables whose values never appear in output. */
const SECRET_ENV = [...secretEnvNames(), 'GOOGLE_ACCESS_TOKEN'];

/**
 * `kabar-sheets` without the process around it: parses argv, runs the broadcast, prints progress
 * to stderr and the report to stdout (every secret blanked out), and resolves with the exit code:
 * 0 every row sent or skipped, 1 some rows failed (or writing statuses failed), 2 a usage or
 * configuration error, 130 interrupted through `io.signal`. It never rejects for these.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const redactor = new Redactor();
  for (const name of SECRET_ENV) redactor.add(io.env[name]);
  redactor.add(flagValue(argv, '--access-token'));
  const out = (text: string) => io.stdout.write(redactor.text(text));
  const err = (text: string) => io.stderr.write(redactor.text(text));

  let config: CliConfig;
  try {
    const command = parseCli(argv, io.env);
    if (command.kind === 'help') {
      out(USAGE);
      return EXIT_OK;
    }
    config = command.config;
  } catch (error) {
    err(`kabar-sheets: ${errorMessage(error)}\n\nRun 'kabar-sheets --help' for usage.\n`);
    return EXIT_USAGE;
  }

  let serviceAccount: string | undefined;
  try {
    const provider = providerFromEnv(config.gateway, io.env);
    for (const secret of provider.secrets) redactor.add(secret);
    const auth = await googleAuth({
      ...(config.accessToken !== undefined
        ? { accessToken: config.accessToken }
        : { credentialsFile: config.credentialsFile }),
      onSecret: (secret) => redactor.add(secret),
    });
    serviceAccount = (auth as { email?: string }).email;
    const sheets = createSheetsClient({ auth, rootUrl: config.rootUrl });
    const progress = createProgressReporter(
      {
        write: (text) => err(text),
        isTTY: io.stderr.isTTY,
        columns: io.stderr.columns,
      },
      {},
    );
    err(
      `kabar-sheets: ${config.dryRun ? 'dry run: ' : ''}reading ${config.range} of spreadsheet ${config.spreadsheetId}\n`,
    );
    const summary = await broadcastSheet({
      sheets,
      spreadsheetId: config.spreadsheetId,
      range: config.range,
      message: config.message,
      provider,
      ...(config.rate !== undefined ? { rateLimit: config.rate } : {}),
      ...(config.concurrency !== undefined ? { concurrency: config.concurrency } : {}),
      ...(config.pageRows !== undefined ? { pageRows: config.pageRows } : {}),
      ...(config.campaign !== undefined ? { campaign: config.campaign } : {}),
      dryRun: config.dryRun,
      signal: io.signal,
      onStart: ({ layout }) => err(`kabar-sheets: ${layout}\n`),
      onProgress: (update) => progress.update(update),
    });
    progress.finish();
    out(formatReport(summary));
    if (summary.aborted && io.signal?.aborted && !summary.error) return EXIT_INTERRUPTED;
    return summary.failed > 0 || summary.error !== undefined || summary.aborted
      ? EXIT_FAILED
      : EXIT_OK;
  } catch (error) {
    const { message, code } = explain(error, config, serviceAccount);
    err(`kabar-sheets: ${message}\n`);
    return code;
  }
}

/** A message a person can act on, and the exit code, for an error that stopped the run. */
function explain(
  error: unknown,
  config: CliConfig,
  serviceAccount: string | undefined,
): { message: string; code: number } {
  // SheetsConfigError included: it is an invalid_config KabarError.
  if (KabarError.isInstance(error) && error.code === 'invalid_config') {
    return { message: error.message, code: EXIT_USAGE };
  }
  const status = googleStatus(error);
  const detail = errorMessage(error);
  const id = config.spreadsheetId;
  switch (status) {
    case 400:
      return {
        message: `Google Sheets rejected the request for ${config.range}: ${detail} (check --range)`,
        code: EXIT_USAGE,
      };
    case 401:
      return {
        message: `Google rejected the credentials: ${detail} (an access token lasts about an hour; get a new one, or use --credentials)`,
        code: EXIT_USAGE,
      };
    case 403:
      return {
        message:
          `no access to spreadsheet ${id}: ${detail}` +
          (serviceAccount ? ` (share the sheet with ${serviceAccount} as Editor)` : ''),
        code: EXIT_USAGE,
      };
    case 404:
      return {
        message: `spreadsheet ${id} was not found: ${detail} (check --spreadsheet)`,
        code: EXIT_USAGE,
      };
    default:
      return {
        message: status ? `Google Sheets answered ${status}: ${detail}` : detail,
        code: EXIT_FAILED,
      };
  }
}

/** A flag's value in raw argv, read before parsing so even a usage error cannot print it. */
function flagValue(argv: string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === flag) return argv[i + 1];
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}
