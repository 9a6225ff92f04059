import { parseArgs } from 'node:util';
import { version } from '../package.json';
import { SheetsConfigError } from './errors.js';
import { GATEWAYS, type Gateway, gatewayEnv, isGateway, rateText } from './gateways.js';
import type { SheetMessage } from './message.js';
import type { SendRate } from './pace.js';
import { closest } from './suggest.js';

/** The package's version, inlined by the build. */
export const VERSION: string = version;

const gatewayEnvLines = GATEWAYS.map((gateway) => {
  const { required, optional } = gatewayEnv(gateway);
  const rest = optional.length > 0 ? `  [${optional.join(', ')}]` : '';
  return `  ${gateway.padEnd(8)}${required.join(', ')}${rest}`;
}).join('\n');

/** The `--help` text. */
export const USAGE = `Usage: kabar-sheets broadcast --spreadsheet <id> --range <A1> --gateway <name>
                            (--template <name> | --text '<message>') [options]
       kabar-sheets broadcast --sandbox [options]

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

Try it without Google or a gateway account:
  --sandbox                a fake sheet with sample rows and the Kabar sandbox (@kabar/sandbox) as
                           every gateway, both in this process: prints the sandbox inbox's URL and
                           the sheet as the run wrote it; in a terminal the inbox stays up until
                           Ctrl-C. --gateway defaults to kirem, the message to --template
                           broadcast_promo; no credentials are read

  -h, --help               show this help
  -v, --version            print the version

Exit codes: 0 every row sent or skipped, 1 some rows failed (or the run stopped on an error),
2 usage or configuration error, 130 interrupted (run again to continue).
`;

/** Where the sheet and the gateway are: Google Sheets and a real gateway, or the local sandbox. */
export type CliTarget =
  | {
      kind: 'google';
      spreadsheetId: string;
      credentialsFile: string | undefined;
      accessToken: string | undefined;
      rootUrl: string | undefined;
    }
  | { kind: 'sandbox' };

/** A broadcast as the command line describes it. */
export interface CliConfig {
  target: CliTarget;
  range: string;
  gateway: Gateway;
  message: SheetMessage;
  /** undefined: the gateway's default; false: none. */
  rate: SendRate | false | undefined;
  concurrency: number | undefined;
  dryRun: boolean;
  campaign: string | undefined;
  pageRows: number | undefined;
}

/** What the command line asks for. */
export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'broadcast'; config: CliConfig };

/** The flags `kabar-sheets` knows, as `parseArgs` options, with the value each string flag takes. */
const FLAGS = {
  spreadsheet: { type: 'string', value: '<id>' },
  range: { type: 'string', value: "<A1, e.g. 'Sheet1!A1:G'>" },
  gateway: { type: 'string', value: `<${GATEWAYS.join('|')}>` },
  template: { type: 'string', value: '<name>' },
  text: { type: 'string', value: "'<message>'" },
  language: { type: 'string', value: '<code>' },
  params: { type: 'string', value: '<columns>' },
  rate: { type: 'string', value: "<messages per second, or 'none'>" },
  concurrency: { type: 'string', value: '<n>' },
  'dry-run': { type: 'boolean' },
  credentials: { type: 'string', value: '<service-account.json>' },
  'access-token': { type: 'string', value: '<token>' },
  'sheets-root-url': { type: 'string', value: '<url>' },
  campaign: { type: 'string', value: '<name>' },
  'page-rows': { type: 'string', value: '<n>' },
  sandbox: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;
type Flag = keyof typeof FLAGS;
const FLAG_NAMES = Object.keys(FLAGS) as Flag[];

/** The sample sheet's range in `--sandbox` mode, unless `--range` says otherwise. */
const SANDBOX_RANGE = 'Sheet1!A1:G';
/** The seed's template, which the sandbox has approved from the start. */
const SANDBOX_TEMPLATE = 'broadcast_promo';

/** Parses argv (without `node cli.js`); throws `SheetsConfigError` naming the flag at fault. */
export function parseCli(argv: string[], env: Record<string, string | undefined>): CliCommand {
  const values = parse(argv);
  const { positionals } = values;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...extra] = positionals;
  if (command === undefined) throw new SheetsConfigError('missing the command: broadcast');
  if (command !== 'broadcast') {
    throw new SheetsConfigError(`unknown command ${quoted(command)} (the command is: broadcast)`);
  }
  if (extra.length > 0) throw new SheetsConfigError(`unexpected argument ${quoted(extra[0])}`);

  const sandbox = values.sandbox === true;
  const required = (flag: 'spreadsheet' | 'range' | 'gateway') => {
    const value = values[flag]?.trim();
    if (!value) throw new SheetsConfigError(`missing --${flag} ${FLAGS[flag].value}`);
    return value;
  };
  if (sandbox) {
    const google = (
      ['spreadsheet', 'credentials', 'access-token', 'sheets-root-url'] as const
    ).find((flag) => values[flag] !== undefined);
    if (google) {
      throw new SheetsConfigError(
        `--${google} does not go with --sandbox, which runs on a local fake sheet`,
      );
    }
  }
  const spreadsheetId = sandbox ? '' : required('spreadsheet');
  const range = sandbox ? values.range?.trim() || SANDBOX_RANGE : required('range');
  const gateway = sandbox ? values.gateway?.trim() || 'kirem' : required('gateway');
  if (!isGateway(gateway)) {
    throw new SheetsConfigError(
      `--gateway: ${quoted(gateway)} is not one of ${GATEWAYS.join(', ')}${didYouMean(gateway, GATEWAYS, '')}`,
    );
  }

  const message = messageOf(values, sandbox);
  let rate: CliConfig['rate'];
  if (values.rate !== undefined) {
    const raw = values.rate.trim().toLowerCase();
    if (raw === 'none' || raw === 'unlimited') rate = false;
    else {
      const perSecond = Number(raw);
      if (!/^\d+(\.\d+)?$/.test(raw) || !(perSecond > 0) || perSecond > 10_000) {
        throw new SheetsConfigError(
          `--rate: expected messages per second (a number above 0) or 'none', got ${quoted(values.rate)}`,
        );
      }
      rate = { perSecond };
    }
  }
  const concurrency = integerFlag('concurrency', values.concurrency, 1, 256);
  const pageRows = integerFlag('page-rows', values['page-rows'], 1, 100_000);

  return {
    kind: 'broadcast',
    config: {
      target: sandbox ? { kind: 'sandbox' } : googleTarget(values, env, spreadsheetId),
      range,
      gateway,
      message,
      rate,
      concurrency,
      dryRun: values['dry-run'] === true,
      campaign: values.campaign,
      pageRows,
    },
  };
}

type Values = ReturnType<typeof parse>;

function messageOf(values: Values, sandbox: boolean): SheetMessage {
  if (values.template !== undefined && values.text !== undefined) {
    throw new SheetsConfigError('give either --template or --text, not both');
  }
  if (values.text !== undefined) {
    if (values.params !== undefined || values.language !== undefined) {
      throw new SheetsConfigError('--params and --language go with --template, not --text');
    }
    return { text: values.text };
  }
  const name = values.template ?? (sandbox ? SANDBOX_TEMPLATE : undefined);
  if (name === undefined) {
    throw new SheetsConfigError(
      "missing --template <name> (or --text '<message>' for gateways without templates)",
    );
  }
  const params = values.params
    ?.split(',')
    .map((param) => param.trim())
    .filter((param) => param !== '');
  return {
    template: {
      name,
      language: values.language?.trim() || 'id',
      ...(params ? { params } : {}),
    },
  };
}

function googleTarget(
  values: Values,
  env: Record<string, string | undefined>,
  spreadsheetId: string,
): CliTarget {
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
        'or set GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_ACCESS_TOKEN (or try --sandbox)',
    );
  }
  const rootUrl = values['sheets-root-url'];
  if (rootUrl !== undefined && !/^https?:\/\/\S+$/.test(rootUrl)) {
    throw new SheetsConfigError(`--sheets-root-url: ${quoted(rootUrl)} is not an http(s) URL`);
  }
  return { kind: 'google', spreadsheetId, credentialsFile, accessToken, rootUrl };
}

/**
 * `parseArgs` in its lenient mode, then checked here token by token: its strict mode's errors
 * speak of positionals and '--' rather than of the flag that was mistyped.
 */
function parse(argv: string[]) {
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    options: FLAGS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = FLAG_NAMES.find((name) => name === token.name);
    if (flag === undefined) {
      // One letter is too little to guess from: a short flag gets the list instead.
      const hint = token.rawName.startsWith('--')
        ? didYouMean(
            token.rawName,
            FLAG_NAMES.map((name) => `--${name}`),
          )
        : ' (the short flags are -h and -v)';
      throw new SheetsConfigError(`unknown flag ${quoted(token.rawName)}${hint}`);
    }
    const spec = FLAGS[flag];
    if (spec.type === 'boolean' && token.inlineValue) {
      throw new SheetsConfigError(
        `--${flag} takes no value (got ${quoted(`${token.rawName}=${token.value}`)})`,
      );
    }
    if (spec.type === 'string') {
      // Lenient parseArgs takes the next argument whatever it is: `--range --gateway kirem`
      // would make '--gateway' the range.
      const value = token.value;
      if (value === undefined) {
        throw new SheetsConfigError(`--${flag} needs a value: --${flag} ${spec.value}`);
      }
      if (!token.inlineValue && /^-./.test(value)) {
        throw new SheetsConfigError(
          `--${flag} needs a value: --${flag} ${spec.value} (got ${quoted(value)}; a value starting with '-' goes as --${flag}=<value>)`,
        );
      }
    }
  }
  return {
    ...(values as { [F in Flag]?: (typeof FLAGS)[F]['type'] extends 'string' ? string : boolean }),
    positionals,
  };
}

/**
 * What the user typed, quoted for an error message, with control characters escaped so a stray
 * escape sequence is shown rather than run by the terminal.
 */
function quoted(text: string | undefined): string {
  const shown = String(text ?? '').replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point.
    /[\u0000-\u001f\u007f]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `'${shown}'`;
}

/** ` (did you mean X?)` when one of `candidates` is close to `word`, else ''. */
function didYouMean(word: string, candidates: readonly string[], quote = "'"): string {
  const match = closest(word, candidates);
  return match ? ` (did you mean ${quote}${match}${quote}?)` : '';
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
      `--${flag}: expected an integer from ${min} to ${max}, got ${quoted(raw)}`,
    );
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
