import { createClient, KabarError, type OutgoingMessage, type Provider } from '@kabar/core';

/** The HTTP request a send would have made, credentials hidden. */
export interface DryRunRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The JSON body as the gateway would get it, or a form's fields. */
  body: unknown;
}

const REDACTED = '[redacted]';
const CREDENTIAL_HEADERS = /^(authorization|x-api-key|api-key|apikey|secretkey|token)$/i;

function hide(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets)
    if (secret.length >= 4) result = result.split(secret).join(REDACTED);
  return result;
}

async function bodyOf(init: RequestInit | undefined, secrets: readonly string[]): Promise<unknown> {
  const body = init?.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    const text = hide(body, secrets);
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (body instanceof FormData) {
    const fields: Record<string, string> = {};
    for (const [name, value] of body) {
      fields[name] = typeof value === 'string' ? hide(value, secrets) : `(file ${value.name})`;
    }
    return fields;
  }
  return '(binary body)';
}

/**
 * The request `message` would make on `provider`, made but not sent: validation, the
 * recipient's normalisation and the provider's own encoding run as for a real send, then the
 * request stops where it would leave. Rejects as a real send would for a message that cannot go.
 */
export async function dryRunSend(
  provider: Provider,
  message: OutgoingMessage,
): Promise<DryRunRequest> {
  const secrets = provider.secrets;
  let captured: DryRunRequest | undefined;
  const capture = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    for (const [name, value] of new Headers(init?.headers)) {
      headers[name] = CREDENTIAL_HEADERS.test(name) ? REDACTED : hide(value, secrets);
    }
    captured = {
      method: init?.method ?? 'GET',
      url: hide(String(input instanceof Request ? input.url : input), secrets),
      headers,
      body: await bodyOf(init, secrets),
    };
    throw new Error('dry run: not sent');
  };
  // A client per call: each captures its own request.
  const client = createClient({ provider, fetch: capture, retry: false, rateLimit: false });
  try {
    await client.send(message);
  } catch (error) {
    if (captured) return captured;
    throw error;
  }
  throw new KabarError('provider_error', 'dry run: the send made no request');
}
