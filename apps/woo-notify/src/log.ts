import { maskPhonesIn } from '@kabar/core';

/** A log line's severity. */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

/** Writes one event with its fields. */
export type Logger = (level: Level, event: string, fields?: Record<string, unknown>) => void;

function masked(value: unknown): unknown {
  if (typeof value === 'string') return maskPhonesIn(value);
  if (Array.isArray(value)) return value.map(masked);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, masked(inner)]));
  }
  return value;
}

/**
 * One JSON line per event on stdout (stderr for warn/error). Callers pass only what is safe to
 * print: never the webhook secret, the admin token or the gateway API key, and phone numbers
 * through `maskPhone`. As a second line of defence every string field (error messages quote
 * numbers) is passed through `maskPhonesIn`.
 */
export function createLogger(
  minimum: keyof typeof ORDER = 'info',
  write: (line: string, level: Level) => void = (line, level) =>
    (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${line}\n`),
): Logger {
  return (level, event, fields = {}) => {
    if (ORDER[level] < ORDER[minimum]) return;
    const line = { time: new Date().toISOString(), level, event, ...(masked(fields) as object) };
    write(JSON.stringify(line), level);
  };
}

/** A logger that adds `fields` (a request id, say) to every line it writes. */
export function withFields(log: Logger, fields: Record<string, unknown>): Logger {
  return (level, event, more = {}) => log(level, event, { ...fields, ...more });
}
