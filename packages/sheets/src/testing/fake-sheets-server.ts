import { createPublicKey, createVerify, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type A1Range, formatRange, parseA1Range } from '../a1.js';

/**
 * A local stand-in for the Google Sheets v4 API, for tests and benchmarks: the two values calls the
 * CLI makes, over in-memory grids, plus an OAuth token endpoint for the service-account JWT flow.
 * It answers like Google does where it matters: ranges are clipped to the grid, a range starting
 * past the last row is a 400 "exceeds grid limits", trailing blank cells and rows are left out,
 * a bad or missing Bearer token is a 401, and each token gets 60 reads and 60 writes per minute
 * (then a 429), as Sheets' per-user quota.
 */
export interface FakeSheetsOptions {
  /** Default 'sheet-test'. */
  spreadsheetId?: string;
  /** Sheets (tabs) by name with their rows; the first is the default sheet. Default `{ Sheet1: [] }`. */
  sheets?: Record<string, unknown[][]>;
  /** Tokens accepted as `Authorization: Bearer <token>`. Default ['test-access-token']. */
  accessTokens?: string[];
  /** Service accounts whose signed assertions the token endpoint (`POST /token`) accepts. */
  serviceAccounts?: { email: string; publicKeyPem: string }[];
  /** Grid rows per sheet (Google's default for a new sheet is 1000); grows to fit the data. */
  rowCount?: number;
  /** Per token. Default 60 each; 0 turns the quota off. */
  readsPerMinute?: number;
  writesPerMinute?: number;
  host?: string;
}

export type FakeSheetsCallKind = 'get' | 'batchUpdate' | 'token';

export interface FakeSheetsCall {
  kind: FakeSheetsCallKind;
  /** Date.now() when the request arrived. */
  at: number;
  status: number;
  /** The token the call carried (`get`/`batchUpdate`). */
  token?: string;
  /** `get`: the range read; `batchUpdate`: each range written. */
  ranges: string[];
  /** `batchUpdate`: rows written over all its ranges. */
  rows?: number;
}

export interface FakeSheetsFault {
  kind: 'get' | 'batchUpdate';
  status: number;
  message?: string;
  /** Requests it applies to. Default 1. */
  times?: number;
}

export interface FakeSheetsServer {
  /** The `rootUrl` for googleapis (ends with '/'). */
  rootUrl: string;
  spreadsheetId: string;
  port: number;
  calls: FakeSheetsCall[];
  /** Tokens minted by the token endpoint. */
  issuedTokens: string[];
  /** The sheet's cells as stored (numbers stay numbers); the first sheet by default. */
  values(sheet?: string): unknown[][];
  setValues(sheet: string, rows: unknown[][]): void;
  /** Answers the next matching requests with an error instead. */
  fail(fault: FakeSheetsFault): void;
  close(): Promise<void>;
}

interface Grid {
  rows: unknown[][];
  rowCount: number;
  columnCount: number;
}

const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

export async function startFakeSheetsServer(
  options: FakeSheetsOptions = {},
): Promise<FakeSheetsServer> {
  const spreadsheetId = options.spreadsheetId ?? 'sheet-test';
  const baseRowCount = options.rowCount ?? 1000;
  const grids = new Map<string, Grid>();
  const setValues = (name: string, rows: unknown[][]) => {
    const copy = rows.map((row) => [...row]);
    grids.set(name, {
      rows: copy,
      rowCount: Math.max(baseRowCount, copy.length),
      columnCount: Math.max(26, ...copy.map((row) => row.length)),
    });
  };
  for (const [name, rows] of Object.entries(options.sheets ?? { Sheet1: [] }))
    setValues(name, rows);
  const tokens = new Set(options.accessTokens ?? ['test-access-token']);
  const accounts = new Map(
    (options.serviceAccounts ?? []).map((account) => [
      account.email,
      createPublicKey(account.publicKeyPem),
    ]),
  );
  const readsPerMinute = options.readsPerMinute ?? 60;
  const writesPerMinute = options.writesPerMinute ?? 60;
  const usage = new Map<string, number[]>();
  const calls: FakeSheetsCall[] = [];
  const issuedTokens: string[] = [];
  const faults: (FakeSheetsFault & { left: number })[] = [];

  function overQuota(token: string, kind: 'get' | 'batchUpdate', now: number): boolean {
    const limit = kind === 'get' ? readsPerMinute : writesPerMinute;
    if (limit <= 0) return false;
    const key = `${kind}:${token}`;
    const times = (usage.get(key) ?? []).filter((at) => at > now - 60_000);
    usage.set(key, times);
    if (times.length >= limit) return true;
    times.push(now);
    return false;
  }

  function gridFor(range: A1Range): { name: string; grid: Grid } | undefined {
    const name = range.sheet ?? grids.keys().next().value;
    const grid = name === undefined ? undefined : grids.get(name);
    return grid && name !== undefined ? { name, grid } : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const at = Date.now();
    const body = await readBody(req);

    if (req.method === 'POST' && url.pathname.endsWith('/token')) {
      const result = mintToken(body, accounts);
      calls.push({ kind: 'token', at, status: result.status, ranges: [] });
      if (result.status === 200 && result.token) {
        tokens.add(result.token);
        issuedTokens.push(result.token);
        return send(res, 200, {
          access_token: result.token,
          expires_in: 3599,
          token_type: 'Bearer',
        });
      }
      return send(res, result.status, { error: 'invalid_grant', error_description: result.error });
    }

    const prefix = `/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}`;
    const getMatch = /^\/v4\/spreadsheets\/([^/]+)\/values\/([^/:]+)$/.exec(url.pathname);
    const updateMatch = /^\/v4\/spreadsheets\/([^/]+)\/values:batchUpdate$/.exec(url.pathname);
    const kind =
      req.method === 'GET' && getMatch
        ? 'get'
        : req.method === 'POST' && updateMatch
          ? 'batchUpdate'
          : undefined;
    if (!kind) return googleError(res, 404, 'NOT_FOUND', `no route ${req.method} ${url.pathname}`);
    const call: FakeSheetsCall = { kind, at, status: 0, ranges: [] };
    calls.push(call);
    const reply = (status: number, payload: unknown) => {
      call.status = status;
      send(res, status, payload);
    };
    const fail = (status: number, code: string, message: string) => {
      call.status = status;
      googleError(res, status, code, message);
    };

    const auth = req.headers.authorization ?? '';
    const token = /^Bearer (\S+)$/.exec(auth)?.[1];
    if (!token || !tokens.has(token)) {
      return fail(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token.',
      );
    }
    call.token = token;
    if (!url.pathname.startsWith(`${prefix}/`)) {
      return fail(404, 'NOT_FOUND', 'Requested entity was not found.');
    }
    const fault = faults.find((candidate) => candidate.kind === kind && candidate.left > 0);
    if (fault) {
      fault.left--;
      return fail(fault.status, statusCode(fault.status), fault.message ?? 'Injected failure');
    }
    if (overQuota(token, kind, at)) {
      const metric = kind === 'get' ? 'Read requests' : 'Write requests';
      return fail(
        429,
        'RESOURCE_EXHAUSTED',
        `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute per user' of service 'sheets.googleapis.com'.`,
      );
    }

    if (kind === 'get') {
      const a1 = decodeURIComponent((getMatch as RegExpExecArray)[2] as string);
      call.ranges.push(a1);
      let range: A1Range;
      try {
        range = parseA1Range(a1);
      } catch {
        return fail(400, 'INVALID_ARGUMENT', `Unable to parse range: ${a1}`);
      }
      const found = gridFor(range);
      if (!found) return fail(400, 'INVALID_ARGUMENT', `Unable to parse range: ${a1}`);
      const { name, grid } = found;
      if (range.startRow > grid.rowCount || range.startColumn >= grid.columnCount) {
        return fail(
          400,
          'INVALID_ARGUMENT',
          `Range (${formatRange(name, range.startColumn, range.startRow, range.endColumn, range.endRow)}) exceeds grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`,
        );
      }
      const endRow = Math.min(range.endRow ?? grid.rowCount, grid.rowCount);
      const endColumn = Math.min(range.endColumn ?? grid.columnCount - 1, grid.columnCount - 1);
      const unformatted = url.searchParams.get('valueRenderOption') === 'UNFORMATTED_VALUE';
      const values: unknown[][] = [];
      for (let row = range.startRow; row <= endRow; row++) {
        const cells = (grid.rows[row - 1] ?? []).slice(range.startColumn, endColumn + 1);
        const out = cells.map((cell) =>
          cell === null || cell === undefined ? '' : unformatted ? cell : String(cell),
        );
        while (out.length > 0 && out[out.length - 1] === '') out.pop();
        values.push(out);
      }
      while (values.length > 0 && (values[values.length - 1] as unknown[]).length === 0) {
        values.pop();
      }
      const payload: Record<string, unknown> = {
        range: formatRange(name, range.startColumn, range.startRow, endColumn, endRow),
        majorDimension: 'ROWS',
      };
      if (values.length > 0) payload.values = values;
      return reply(200, payload);
    }

    let request: { valueInputOption?: unknown; data?: unknown };
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      return fail(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    if (request.valueInputOption !== 'RAW' && request.valueInputOption !== 'USER_ENTERED') {
      return fail(400, 'INVALID_ARGUMENT', "'valueInputOption' is required but not specified");
    }
    if (!Array.isArray(request.data)) {
      return fail(400, 'INVALID_ARGUMENT', 'data is required');
    }
    const updates: { name: string; grid: Grid; range: A1Range; values: unknown[][] }[] = [];
    for (const entry of request.data as { range?: unknown; values?: unknown }[]) {
      const a1 = String(entry?.range ?? '');
      let range: A1Range;
      try {
        range = parseA1Range(a1);
      } catch {
        return fail(400, 'INVALID_ARGUMENT', `Unable to parse range: ${a1}`);
      }
      const found = gridFor(range);
      if (!found || !Array.isArray(entry.values)) {
        return fail(400, 'INVALID_ARGUMENT', `Unable to parse range: ${a1}`);
      }
      const values = entry.values as unknown[][];
      const rows = values.length;
      const width = Math.max(0, ...values.map((row) => (Array.isArray(row) ? row.length : 0)));
      const endRow = range.startRow + rows - 1;
      const endColumn = range.startColumn + width - 1;
      if (
        (range.endRow !== undefined && endRow > range.endRow) ||
        (range.endColumn !== undefined && endColumn > range.endColumn)
      ) {
        return fail(
          400,
          'INVALID_ARGUMENT',
          `Requested writing within range [${a1}], but tried writing to row [${endRow}]`,
        );
      }
      if (endRow > found.grid.rowCount || endColumn >= found.grid.columnCount) {
        return fail(
          400,
          'INVALID_ARGUMENT',
          `Range (${a1}) exceeds grid limits. Max rows: ${found.grid.rowCount}, max columns: ${found.grid.columnCount}`,
        );
      }
      updates.push({ ...found, range, values });
    }
    // Atomic, as Sheets' batchUpdate: every range is checked before any cell changes.
    let cells = 0;
    let rowsWritten = 0;
    const responses = updates.map(({ name, grid, range, values }) => {
      values.forEach((rowValues, r) => {
        const rowIndex = range.startRow - 1 + r;
        const row = grid.rows[rowIndex] ?? [];
        while (grid.rows.length <= rowIndex) grid.rows.push([]);
        grid.rows[rowIndex] = row;
        rowValues.forEach((value, c) => {
          const columnIndex = range.startColumn + c;
          while (row.length < columnIndex) row.push('');
          row[columnIndex] = value === null ? '' : value;
          cells++;
        });
      });
      rowsWritten += values.length;
      call.ranges.push(
        formatRange(name, range.startColumn, range.startRow, range.endColumn, range.endRow),
      );
      return {
        spreadsheetId,
        updatedRange: formatRange(
          name,
          range.startColumn,
          range.startRow,
          range.startColumn + Math.max(0, ...values.map((row) => row.length)) - 1,
          range.startRow + values.length - 1,
        ),
        updatedRows: values.length,
        updatedColumns: Math.max(0, ...values.map((row) => row.length)),
        updatedCells: values.reduce((sum, row) => sum + row.length, 0),
      };
    });
    call.rows = rowsWritten;
    return reply(200, {
      spreadsheetId,
      totalUpdatedRows: rowsWritten,
      totalUpdatedColumns: Math.max(0, ...responses.map((r) => r.updatedColumns)),
      totalUpdatedCells: cells,
      totalUpdatedSheets: new Set(updates.map((update) => update.name)).size,
      responses,
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) googleError(res, 500, 'INTERNAL', String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    rootUrl: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    spreadsheetId,
    port,
    calls,
    issuedTokens,
    values(sheet) {
      const name = sheet ?? grids.keys().next().value;
      const grid = name === undefined ? undefined : grids.get(name);
      if (!grid) throw new Error(`fake sheets: no sheet ${String(name)}`);
      return grid.rows;
    },
    setValues,
    fail(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function mintToken(
  body: Buffer,
  accounts: Map<string, ReturnType<typeof createPublicKey>>,
): { status: number; token?: string; error?: string } {
  const form = new URLSearchParams(body.toString('utf8'));
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
    return { status: 400, error: 'unsupported grant_type' };
  }
  const assertion = form.get('assertion') ?? '';
  const [header, payload, signature] = assertion.split('.');
  if (!header || !payload || !signature) return { status: 400, error: 'malformed assertion' };
  let claims: { iss?: string; scope?: string; aud?: string; exp?: number; iat?: number };
  let alg: string | undefined;
  try {
    alg = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg;
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { status: 400, error: 'malformed assertion' };
  }
  const key = claims.iss ? accounts.get(claims.iss) : undefined;
  if (!key) return { status: 400, error: `unknown service account ${String(claims.iss)}` };
  if (alg !== 'RS256') return { status: 400, error: 'assertion must be RS256' };
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${header}.${payload}`);
  if (!verifier.verify(key, Buffer.from(signature, 'base64url'))) {
    return { status: 400, error: 'Invalid JWT Signature.' };
  }
  const now = Math.floor(Date.now() / 1000);
  if (claims.aud !== GOOGLE_TOKEN_AUDIENCE) return { status: 400, error: 'wrong audience' };
  if (typeof claims.exp !== 'number' || claims.exp < now) {
    return { status: 400, error: 'Invalid JWT: Token must be a short-lived token' };
  }
  if (
    !String(claims.scope ?? '')
      .split(' ')
      .includes(SHEETS_SCOPE)
  ) {
    return { status: 400, error: 'the spreadsheets scope was not requested' };
  }
  return { status: 200, token: `ya29.fake-${randomBytes(24).toString('base64url')}` };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function statusCode(status: number): string {
  if (status === 429) return 'RESOURCE_EXHAUSTED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 404) return 'NOT_FOUND';
  if (status >= 500) return 'UNAVAILABLE';
  return 'INVALID_ARGUMENT';
}

function googleError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { error: { code: status, message, status: code } });
}
