const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * Today's date in Western Indonesia Time (UTC+7), e.g. '2026-06-26'. The emulated gateways are
 * Indonesian, so their daily quotas roll over at midnight in Jakarta, not at midnight UTC.
 */
export function wibDay(now = Date.now()): string {
  return new Date(now + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

/** '2024-01-01T10:00:00Z': ISO 8601 in UTC without milliseconds, as Kirimy writes timestamps. */
export function isoSeconds(time = Date.now()): string {
  return `${new Date(time).toISOString().slice(0, 19)}Z`;
}

/** Unix seconds as a string, the way Cloud API webhooks write `timestamp`. */
export function unixSeconds(ms = Date.now()): string {
  return String(Math.floor(ms / 1000));
}
