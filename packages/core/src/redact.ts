const SECRET_HEADERS = new Set([
  'authorization',
  'x-api-key',
  'api-key',
  'apikey',
  'secretkey',
  'x-hub-signature-256',
]);

export const REDACTED = '[redacted]';

/** Replaces every occurrence of every secret in a string. */
export function redactText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    // Short values would blank out ordinary words; real keys are long.
    if (secret.length < 4) continue;
    result = result.split(secret).join(REDACTED);
    // A key can come back inside a URL (a query string quoted in an error), percent-encoded.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) result = result.split(encoded).join(REDACTED);
  }
  return result;
}

/** A copy of the headers with credentials hidden, safe for logs and hooks. */
export function redactHeaders(
  headers: Record<string, string>,
  secrets: readonly string[],
): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    safe[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : redactText(value, secrets);
  }
  return safe;
}

/** Deep copy of a JSON-like value with secrets hidden in every string. */
export function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactValue(item, secrets)]),
    );
  }
  return value;
}

/** A stand-in for a cause: the same name, message, code and chain, with secrets hidden. */
function redactCause(cause: unknown, secrets: readonly string[], depth: number): unknown {
  if (!(cause instanceof Error)) return redactValue(cause, secrets);
  const copy = new Error(redactText(cause.message, secrets));
  copy.name = cause.name;
  copy.stack = redactText(cause.stack ?? '', secrets);
  const code = (cause as { code?: unknown }).code;
  if (code !== undefined) Object.assign(copy, { code });
  if (cause.cause !== undefined && depth < 4) {
    copy.cause = redactCause(cause.cause, secrets, depth + 1);
  }
  return copy;
}

/**
 * Hides every secret in an error in place: message, stack, `details` and the whole `cause` chain,
 * so `message`, `String(error)`, `JSON.stringify(error)` and `util.inspect(error)` are all safe to
 * log. A gateway may echo a key anywhere (an error body quoting the request, a URL in a socket
 * error); the client runs every error through this before a caller or a hook sees it.
 */
export function redactError<E>(error: E, secrets: readonly string[]): E {
  if (!(error instanceof Error) || !secrets.some((secret) => secret.length >= 4)) return error;
  error.message = redactText(error.message, secrets);
  if (error.stack) error.stack = redactText(error.stack, secrets);
  if ('details' in error && error.details !== undefined) {
    Object.defineProperty(error, 'details', {
      value: redactValue(error.details, secrets),
      enumerable: true,
      writable: false,
    });
  }
  if (error.cause !== undefined) error.cause = redactCause(error.cause, secrets, 0);
  return error;
}
