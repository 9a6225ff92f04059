import { KabarError, type Provider } from '@kabar/core';
import {
  broadcastSheet,
  type SheetBroadcastSummary,
  type SheetProgress,
} from './broadcast-sheet.js';
import { type CliConfig, parseCli, USAGE, VERSION } from './cli-args.js';
import { errorMessage, googleStatus } from './errors.js';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { providerFromEnv, secretEnvNames } from './gateways.js';
import { createSheetsClient, googleAuth } from './google.js';
import { createProgressReporter, type ProgressOutput } from './progress.js';
import { Redactor } from './redact.js';
import { formatReport, formatSheet } from './report.js';
import { type SandboxDemo, startSandboxDemo } from './sandbox-demo.js';
import type { SheetsApi } from './sheets-api.js';

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

/** Environment variables whose values never appear in output. */
const SECRET_ENV = [...secretEnvNames(), 'GOOGLE_ACCESS_TOKEN'];

/**
 * `kabar-sheets` without the process around it: parses argv, runs the broadcast, prints progress
 * to stderr and the report to stdout (every secret blanked out), and resolves with the exit code:
 * 0 every row sent or skipped, 1 some rows failed (or writing statuses failed), 2 a usage or
 * configuration error, 130 interrupted through `io.signal`. It never rejects for these.
 *
 * With `--sandbox` the sheet is a local fake and the gateway the Kabar sandbox, both started here;
 * when `io.stdout` is a terminal and `io.signal` is given, the sandbox stays up after the report
 * (so its inbox can be looked at) until the signal aborts.
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
    switch (command.kind) {
      case 'help':
        out(USAGE);
        return EXIT_OK;
      case 'version':
        out(`${VERSION}\n`);
        return EXIT_OK;
      case 'broadcast':
        config = command.config;
        break;
    }
  } catch (error) {
    err(`kabar-sheets: ${errorMessage(error)}\n\nRun 'kabar-sheets --help' for usage.\n`);
    return EXIT_USAGE;
  }

  const progress = createProgressReporter(
    { write: (text) => err(text), isTTY: io.stderr.isTTY, columns: io.stderr.columns },
    {},
  );
  const { target } = config;
  let spreadsheetId = target.kind === 'google' ? target.spreadsheetId : '';
  let serviceAccount: string | undefined;
  let demo: SandboxDemo | undefined;
  // The bin only aborts; what a first Ctrl-C means is said here, where the phase is known.
  const onInterrupt = () =>
    err(
      `${io.stderr.isTTY ? '\n' : ''}kabar-sheets: stopping; waiting for the sends in flight and ` +
        'writing their statuses (Ctrl-C again to quit at once)\n',
    );
  try {
    let sheets: SheetsApi;
    let provider: Provider;
    switch (target.kind) {
      case 'sandbox': {
        demo = await startSandboxDemo(config.gateway);
        ({ sheets, provider, spreadsheetId } = demo);
        err(
          `kabar-sheets: sandbox: a fake sheet with sample rows, and the Kabar sandbox as ${config.gateway}; ` +
            `watch the messages arrive at ${demo.inboxUrl}\n`,
        );
        break;
      }
      case 'google': {
        provider = providerFromEnv(config.gateway, io.env);
        for (const secret of provider.secrets) redactor.add(secret);
        const auth = await googleAuth({
          ...(target.accessToken !== undefined
            ? { accessToken: target.accessToken }
            : { credentialsFile: target.credentialsFile }),
          onSecret: (secret) => redactor.add(secret),
        });
        serviceAccount = (auth as { email?: string }).email;
        sheets = createSheetsClient({ auth, rootUrl: target.rootUrl });
        break;
      }
    }
    err(
      `kabar-sheets: ${config.dryRun ? 'dry run: ' : ''}reading ${config.range} of spreadsheet ${spreadsheetId}\n`,
    );
    io.signal?.addEventListener('abort', onInterrupt, { once: true });
    const summary = await broadcastSheet({
      sheets,
      spreadsheetId,
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
    io.signal?.removeEventListener('abort', onInterrupt);
    progress.finish(finalProgress(summary));
    out(formatReport(summary));
    const interrupted = summary.aborted && io.signal?.aborted === true && !summary.error;
    if (demo) {
      out(formatSheet('kabar-sheets: the sandbox sheet as the run left it', demo.values()));
      if (io.stdout.isTTY && io.signal && !io.signal.aborted) {
        err(`kabar-sheets: the sandbox inbox stays up at ${demo.inboxUrl}; Ctrl-C to quit\n`);
        await aborted(io.signal);
      }
    }
    if (interrupted) return EXIT_INTERRUPTED;
    return summary.failed > 0 || summary.error !== undefined || summary.aborted
      ? EXIT_FAILED
      : EXIT_OK;
  } catch (error) {
    progress.finish();
    const { message, code } = explain(error, config, spreadsheetId, serviceAccount);
    err(`kabar-sheets: ${message}\n`);
    return code;
  } finally {
    io.signal?.removeEventListener('abort', onInterrupt);
    await demo?.close();
  }
}

/** The run's real totals as the progress line shows them. */
function finalProgress(summary: SheetBroadcastSummary): SheetProgress {
  return {
    processed: summary.rows,
    sent: summary.sent,
    skipped: summary.skipped.total,
    failed: summary.failed,
    inFlight: 0,
    // Rows never pulled are unknown when the run stopped early.
    total: summary.aborted ? undefined : summary.rows,
    // Per second of sending, so the line's rate is the report's.
    elapsedMs: summary.sendDurationMs,
    dryRun: summary.dryRun,
  };
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** A message a person can act on, and the exit code, for an error that stopped the run. */
function explain(
  error: unknown,
  config: CliConfig,
  spreadsheetId: string,
  serviceAccount: string | undefined,
): { message: string; code: number } {
  // SheetsConfigError included: it is an invalid_config KabarError.
  if (KabarError.isInstance(error) && error.code === 'invalid_config') {
    return { message: error.message, code: EXIT_USAGE };
  }
  const status = googleStatus(error);
  const detail = errorMessage(error);
  const id = spreadsheetId;
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
