export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

export type Logger = (level: Level, event: string, fields?: Record<string, unknown>) => void;

/**
 * One JSON line per event on stdout (stderr for warn/error). Callers pass only what is safe to
 * print: never the webhook secret, the admin token or the gateway API key.
 */
export function createLogger(
  minimum: keyof typeof ORDER = 'info',
  write: (line: string, level: Level) => void = (line, level) =>
    (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${line}\n`),
): Logger {
  return (level, event, fields = {}) => {
    if (ORDER[level] < ORDER[minimum]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }), level);
  };
}
