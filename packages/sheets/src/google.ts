import { readFile } from 'node:fs/promises';
import { sheets, type sheets_v4 } from '@googleapis/sheets';
import { JWT, OAuth2Client } from 'google-auth-library';
import { errorMessage, SheetsConfigError } from './errors.js';

/** The OAuth scope the service-account flow asks for; an access token needs it too. */
export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** The fields of a service-account key file (`type: service_account`) this package uses. */
export interface ServiceAccountKey {
  type?: string;
  client_email: string;
  private_key: string;
  private_key_id?: string;
  /** Where access tokens are minted. Google's own files say https://oauth2.googleapis.com/token. */
  token_uri?: string;
}

/** How `googleAuth` gets Google credentials: exactly one of the first three fields. */
export interface GoogleAuthOptions {
  /** Path to a service-account key file. */
  credentialsFile?: string;
  /** The key file's contents, already parsed. */
  credentials?: ServiceAccountKey;
  /** An OAuth access token with the spreadsheets scope (e.g. from `gcloud auth print-access-token`). */
  accessToken?: string;
  /**
   * Told every secret the auth holds or obtains (the private key, the access token, each token
   * minted later), so whatever prints can hide them.
   */
  onSecret?(secret: string): void;
}

/** The auth client googleapis needs: `request()` adds `Authorization: Bearer …` to each call. */
export type SheetsAuth = OAuth2Client;

/**
 * An access token as is, or a service account's JWT flow (google-auth-library signs an assertion
 * with the private key and trades it for an access token, refreshed before it expires). The key
 * file's `token_uri` is honoured, which google-auth-library itself ignores; for Google's own key
 * files it is the default endpoint anyway.
 *
 * Rejects with `SheetsConfigError` when not exactly one source is given, the access token is
 * empty, or the key file cannot be read, is not JSON or is not a service-account key.
 */
export async function googleAuth(options: GoogleAuthOptions): Promise<SheetsAuth> {
  const { onSecret } = options;
  const sources = [options.credentialsFile, options.credentials, options.accessToken].filter(
    (source) => source !== undefined,
  );
  if (sources.length !== 1) {
    throw new SheetsConfigError(
      'google auth: give exactly one of a service-account key file or an access token',
    );
  }
  if (options.accessToken !== undefined) {
    if (options.accessToken.trim() === '') {
      throw new SheetsConfigError('google auth: the access token is empty');
    }
    onSecret?.(options.accessToken);
    const client = new OAuth2Client();
    client.setCredentials({ access_token: options.accessToken.trim() });
    return client;
  }
  const key = options.credentials ?? (await readKeyFile(options.credentialsFile as string));
  validateKey(key, options.credentialsFile);
  onSecret?.(key.private_key);
  for (const line of key.private_key.split(/\r?\n/)) {
    if (line.length >= 16 && !line.startsWith('-----')) onSecret?.(line);
  }
  const jwt = new JWT({
    email: key.client_email,
    key: key.private_key,
    keyId: key.private_key_id,
    scopes: [SHEETS_SCOPE],
  });
  jwt.on('tokens', (tokens) => {
    if (tokens.access_token) onSecret?.(tokens.access_token);
  });
  const tokenUri = key.token_uri;
  if (tokenUri && tokenUri !== GOOGLE_TOKEN_URL) {
    jwt.transporter.interceptors.request.add({
      resolved: async (request) => {
        if (String(request.url) === GOOGLE_TOKEN_URL) request.url = new URL(tokenUri);
        return request;
      },
    });
  }
  return jwt;
}

async function readKeyFile(path: string): Promise<ServiceAccountKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SheetsConfigError(
      `--credentials: cannot read the key file ${path}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`,
    );
  }
  try {
    return JSON.parse(text) as ServiceAccountKey;
  } catch {
    // Never echo the file: it holds a private key.
    throw new SheetsConfigError(
      `--credentials: ${path} is not JSON (expected a service-account key file)`,
    );
  }
}

function validateKey(key: ServiceAccountKey, path: string | undefined): void {
  const where = path ?? 'the credentials';
  if (typeof key !== 'object' || key === null) {
    throw new SheetsConfigError(`--credentials: ${where} is not a service-account key`);
  }
  if (key.type !== undefined && key.type !== 'service_account') {
    throw new SheetsConfigError(
      `--credentials: ${where} is a '${String(key.type)}' credential; a service-account key file (type service_account) is needed`,
    );
  }
  if (typeof key.client_email !== 'string' || key.client_email === '') {
    throw new SheetsConfigError(`--credentials: ${where} has no client_email`);
  }
  if (typeof key.private_key !== 'string' || !key.private_key.includes('PRIVATE KEY')) {
    throw new SheetsConfigError(`--credentials: ${where} has no private_key`);
  }
  if (key.token_uri !== undefined && !/^https?:\/\/\S+$/.test(key.token_uri)) {
    throw new SheetsConfigError(`--credentials: ${where} has an invalid token_uri`);
  }
}

/** What `createSheetsClient` needs. */
export interface SheetsClientOptions {
  /** From `googleAuth`. */
  auth: SheetsAuth;
  /** googleapis' `rootUrl`: another Sheets endpoint, e.g. a local fake in tests. */
  rootUrl?: string;
}

/** The googleapis Sheets v4 client, authenticated. */
export function createSheetsClient(options: SheetsClientOptions): sheets_v4.Sheets {
  const rootUrl = options.rootUrl?.replace(/\/*$/, '/');
  return sheets({
    version: 'v4',
    // google-auth-library's OAuth2Client; googleapis-common bundles an older copy of the same
    // class, and only calls its request() method.
    auth: options.auth as unknown as sheets_v4.Options['auth'],
    ...(rootUrl ? { rootUrl } : {}),
  });
}
