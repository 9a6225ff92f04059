import { parseArgs } from 'node:util';
import { SheetsConfigError } from './errors.js';
import { GATEWAYS, gatewayEnv, isGateway, rateText } from './gateways.js';
import type { SheetMessage } from './message.js';
import type { SendRate } from './pace.js';

const gatewayEnvLines = GATEWAYS.map((gateway) => {
  const { required, optional } = gatewayEnv(gateway);
  const rest = optional.length > 0 ? `  [${optional.join(', ')}]` : '';
  return `  ${gateway.padEnd(8)}${required.join(', ')}${rest}`;
}).join('\n');

export const USAGE = `Usage: kabar-sheets broadcast --spreadsheet <id> --range <A1> --gateway <name>
                            (--template <name> | --text '<message>') [options]

Sends one WhatsApp message per row of a Google Sheet laid out as the Kirem broadcast sheet
(phone, name, promo code, status, message id, sent time, opt-out "STOP"), under the gateway's
rate limit, and writes each row's status back. Rows already sent are skipped, so running the same
command again after a crash or Ctrl-C continues where it stopped.

Required:
  --spreadsheet <id>       the spreadsheet id, from its URL: docs.google.com/spreadsheets/d/<id>/edit
  --range <A1>             the rows, e.g. 'Sheet1!A1:G'; a header row inside it is detected by name
  --gateway <name>         ${GATEWAYS.join(' | ')}
  --template <name>        an approved template (kirem, meta, qirim), its {{1}}, {{2}} filled per row
  --text '<message>'       or a text, for gateways without templates: 'Halo {name}, kode {promo}'

Message:
  --language <code>        the template's language (default id)
  --params <columns>       the template's parameters as columns (default name,promo); a column is
                           name, promo, phone, a header of the sheet, or a column letter

Sending:
  --rate <n>               at most n messages per second (default: the gateway's documented limit:
                           ${rateText()}); 'none' for no limit
  --concurrency <n>        sends in flight at once (default 16)
  --dry-run                read and validate every row (phone, message), show what would be sent;
                           send nothing, write nothing
  --campaign <name>        mixed into each row's idempotency key: reruns of the same campaign are
                           deduplicated by gateways that support keys (Kirem)
  --page-rows <n>          rows per Sheets read (default 5000)

Google (one of):
  --credentials <file>     a service-account key file; share the sheet with its client_email as
                           Editor                                     env GOOGLE_APPLICATION_CREDENTIALS
  --access-token <token>   an OAuth access token with the spreadsheets scope
                           (prefer the environment variable)          env GOOGLE_ACCESS_TOKEN
  --sheets-root-url <url>  another Sheets API endpoint (a local fake in tests)

Gateway credentials (environment variables only, never flags):
${gatewayEnvLines}

  -h, --help               show this help

Exit codes: 0 every row sent or skipped, 1 some rows failed (or the run stopped on an error),
2 usage or configuration error, 130 interrupted (run again to continue).
`;

export interface CliConfig {
  spreadsheetId: string;
  range: string;
  gateway: string;
  message: SheetMessage;
  /** undefined: the gateway's default; false: none. */
  rate: SendRate | false | undefined;
  concurrency: number | undefined;
  dryRun: boolean;
  credentialsFile: string | undefined;
  accessToken: string | undefined;
  rootUrl: string | undefined;
  campaign: string | undefined;
  pageRows: number | undefined;
}

export type CliCommand = { kind: 'help' } | { kind: 'broadcast'; config: CliConfig };

/** Parses argv (without `node cli.js`); throws `SheetsConfigError` naming the flag at fault. */
export function parseCli(argv: string[], env: Record<string, string | undefined>): CliCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new SheetsConfigError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const [command, ...extra] = positionals;
  if (command === undefined) throw new SheetsConfigError('missing the command: broadcast');
  if (command !== 'broadcast') {
    throw new SheetsConfigError(`unknown command '${command}' (the command is: broadcast)`);
  }
  if (extra.length > 0) throw new SheetsConfigError(`unexpected argument '${extra[0]}'`);

  const required = (flag: 'spreadsheet' | 'range' | 'gateway', example: string) => {
    const value = values[flag]?.trim();
    if (!value) throw new SheetsConfigError(`missing --${flag} ${example}`);
    return value;
  };
  const spreadsheetId = required('spreadsheet', '<id>');
  const range = required('range', "<A1, e.g. 'Sheet1!A1:G'>");
  const gateway = required('gateway', `<${GATEWAYS.join('|')}>`);
  if (!isGateway(gateway)) {
    throw new SheetsConfigError(`--gateway: '${gateway}' is not one of ${GATEWAYS.join(', ')}`);
  }

  if (values.template !== undefined && values.text !== undefined) {
    throw new SheetsConfigError('give either --template or --text, not both');
  }
  let message: SheetMessage;
  if (values.template !== undefined) {
    const params = values.params
      ?.split(',')
      .map((param) => param.trim())
      .filter((param) => param !== '');
    message = {
      template: {
        name: values.template,
        language: values.language?.trim() || 'id',
        ...(params ? { params } : {}),
      },
    };
  } else if (values.text !== undefined) {
    if (values.params !== undefined || values.language !== undefined) {
      throw new SheetsConfigError('--params and --language go with --template, not --text');
    }
    message = { text: values.text };
  } else {
    throw new SheetsConfigError(
      "missing --template <name> (or --text '<message>' for gateways without templates)",
    );
  }

  let rate: CliConfig['rate'];
  if (values.rate !== undefined) {
    const raw = values.rate.trim().toLowerCase();
    if (raw === 'none' || raw === 'unlimited') rate = false;
    else {
      const perSecond = Number(raw);
      if (!/^\d+(\.\d+)?$/.test(raw) || !(perSecond > 0) || perSecond > 10_000) {
        throw new SheetsConfigError(
          `--rate: expected messages per second (a number above 0) or 'none', got '${values.rate}'`,
        );
      }
      rate = { perSecond };
    }
  }
  const concurrency = integerFlag('concurrency', values.concurrency, 1, 256);
  const pageRows = integerFlag('page-rows', values['page-rows'], 1, 100_000);

  if (values.credentials !== undefined && values['access-token'] !== undefined) {
    throw new SheetsConfigError('give either --credentials or --access-token, not both');
  }
  let credentialsFile = values.credentials;
  let accessToken = values['access-token'];
  if (credentialsFile === undefined && accessToken === undefined) {
    accessToken = nonEmpty(env.GOOGLE_ACCESS_TOKEN);
    credentialsFile = accessToken ? undefined : nonEmpty(env.GOOGLE_APPLICATION_CREDENTIALS);
  }
  if (credentialsFile === undefined && accessToken === undefined) {
    throw new SheetsConfigError(
      'missing Google credentials: give --credentials <service-account.json> or --access-token <token>, ' +
        'or set GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_ACCESS_TOKEN',
    );
  }
  const rootUrl = values['sheets-root-url'];
  if (rootUrl !== undefined && !/^https?:\/\/\S+$/.test(rootUrl)) {
    throw new SheetsConfigError(`--sheets-root-url: '${rootUrl}' is not an http(s) URL`);
  }

  return {
    kind: 'broadcast',
    config: {
      spreadsheetId,
      range,
      gateway,
      message,
      rate,
      concurrency,
      dryRun: values['dry-run'] === true,
      credentialsFile,
      accessToken,
      rootUrl,
      campaign: values.campaign,
      pageRows,
    },
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      spreadsheet: { type: 'string' },
      range: { type: 'string' },
      template: { type: 'string' },
      text: { type: 'string' },
      language: { type: 'string' },
      params: { type: 'string' },
      gateway: { type: 'string' },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      'dry-run': { type: 'boolean' },
      credentials: { type: 'string' },
      'access-token': { type: 'string' },
      'sheets-root-url': { type: 'string' },
      campaign: { type: 'string' },
      'page-rows': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function integerFlag(
  flag: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new SheetsConfigError(
      `--${flag}: expected an integer from ${min} to ${max}, got '${raw}'`,
    );
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
