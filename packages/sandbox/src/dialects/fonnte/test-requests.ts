/** Test support: Fonnte requests sent the way its docs' samples and public clients send them. */
import { type Answer, call } from '../../test-helpers.js';
import { DOCS_TOKEN_PLACEHOLDER, type FonnteDocsRequest } from './docs-examples.js';

/** A field value as PHP's curl puts it in a form: true is '1', false is '', numbers as digits. */
export function phpFormValue(value: string | number | boolean): string {
  if (value === true) return '1';
  if (value === false) return '';
  return String(value);
}

/** How `fonnteCall` changes a documented request. */
export interface FonnteCallOptions {
  /** The token for `Authorization` (or the GET form's query); null sends none. */
  token: string | null;
  /** Fields to add or replace. */
  fields?: Record<string, string | number | boolean>;
  /** Fields to leave out. */
  omit?: string[];
  /** The uploaded `file` part, in place of the sample's file name. */
  file?: File;
  /** Send the fields as application/x-www-form-urlencoded, as most public clients do. */
  urlencoded?: boolean;
  /** An `Authorization` header to send exactly, e.g. with a `Bearer ` prefix. */
  authorization?: string;
}

/** Sends a documented request to the Fonnte gateway at `baseUrl`, with its token swapped in. */
export function fonnteCall(
  baseUrl: string,
  request: FonnteDocsRequest,
  options: FonnteCallOptions,
): Promise<Answer> {
  const fields: Record<string, string | number | boolean> = {
    ...request.fields,
    ...options.fields,
  };
  for (const name of options.omit ?? []) delete fields[name];
  const headers: Record<string, string> = {};
  const authorization = options.authorization ?? options.token;
  if (request.encoding !== 'query' && authorization !== null) {
    headers.authorization = authorization;
  }
  if (request.encoding === 'query') {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      if (name === 'token' && value === DOCS_TOKEN_PLACEHOLDER) {
        if (options.token !== null) query.set(name, options.token);
      } else {
        query.set(name, phpFormValue(value));
      }
    }
    return call(`${baseUrl}${request.path}?${query}`, { method: 'GET', headers });
  }
  if (request.encoding === 'json') {
    return call(`${baseUrl}${request.path}`, { json: fields, headers });
  }
  if (options.urlencoded) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) form.set(name, phpFormValue(value));
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return call(`${baseUrl}${request.path}`, { body: form.toString(), headers });
  }
  const entries = Object.entries(fields);
  const file = options.file ?? (request.file === undefined ? undefined : tinyJpeg(request.file));
  if (entries.length === 0 && file === undefined && request.encoding === 'none') {
    return call(`${baseUrl}${request.path}`, { method: request.method, headers });
  }
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, phpFormValue(value));
  if (file) form.append('file', file);
  return call(`${baseUrl}${request.path}`, { body: form, headers });
}

/** A few bytes named like a JPEG: Fonnte judges a file by its type, which the sandbox reads from the name. */
export function tinyJpeg(name = 'photo.jpg'): File {
  return new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0xff, 0xd9])], name, {
    type: 'image/jpeg',
  });
}
