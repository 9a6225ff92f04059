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
    if (secret.length >= 4) result = result.split(secret).join(REDACTED);
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
