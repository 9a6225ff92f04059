import type { GatewayRequest } from '../../gateway.js';
import { isRecord, parseJson, readMultipart } from '../../http.js';

/** The request's fields, however they were encoded, or why they could not be read. */
export type FonnteFields =
  | {
      ok: true;
      /** Each field as text, the way Fonnte's form handling sees every value. */
      text: Map<string, string>;
      /** The multipart part named `file`, when one was uploaded. */
      file?: File;
      /** The fields as received (JSON values keep their types), for the stored message. */
      payload: Record<string, unknown>;
    }
  | { ok: false; reason: string };

/**
 * Reads a Fonnte request's fields from the query (GET /send), a multipart form (the docs' PHP and
 * JavaScript samples), a URL-encoded form (most public clients) or JSON (the docs' Node.js
 * tutorial). The query's `token` is a credential, not a field, so it is left out.
 */
export async function readFonnteFields(req: GatewayRequest): Promise<FonnteFields> {
  if (req.method === 'GET') {
    return fromEntries([...req.query].filter(([name]) => name !== 'token'));
  }
  const contentType = req.headers['content-type']?.toLowerCase() ?? '';
  if (contentType.startsWith('multipart/form-data')) {
    const form = await readMultipart(req.body, req.headers['content-type']);
    if (!form.ok) return { ok: false, reason: `request body ${form.reason}` };
    const strings: [string, string][] = [];
    let file: File | undefined;
    for (const [name, value] of form.fields) {
      if (typeof value === 'string') strings.push([name, value]);
      else if (name === 'file') file = value;
    }
    const fields = fromEntries(strings);
    if (!fields.ok || !file) return fields;
    return { ...fields, file };
  }
  if (req.body.length === 0) return fromEntries([]);
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return fromEntries([...new URLSearchParams(req.body.toString('utf8'))]);
  }
  const parsed = parseJson(req.body);
  if (parsed.ok && isRecord(parsed.value)) return fromJson(parsed.value);
  // Without a content type a body is most likely a form an HTTP tool sent bare.
  if (!contentType.startsWith('application/json') && !parsed.ok) {
    return fromEntries([...new URLSearchParams(req.body.toString('utf8'))]);
  }
  return { ok: false, reason: 'request body is not a JSON object' };
}

/** The last value of a repeated field wins, as in PHP's form handling. */
function fromEntries(entries: [string, string][]): FonnteFields {
  const text = new Map(entries);
  return { ok: true, text, payload: Object.fromEntries(text) };
}

function fromJson(body: Record<string, unknown>): FonnteFields {
  const text = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) {
    // JSON clients send numbers and booleans where forms send their text ("schedule": 0).
    if (typeof value === 'string') text.set(name, value);
    else if (typeof value === 'number' || typeof value === 'boolean') text.set(name, String(value));
  }
  return { ok: true, text, payload: body };
}
