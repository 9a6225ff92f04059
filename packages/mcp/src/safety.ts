import { type CountryCode, KabarError, normalizePhone, type RequestLimiter } from '@kabar/core';

/** Calls allowed per window. */
export interface RateWindow {
  /** Calls allowed in one window. */
  limit: number;
  /** The window's length in milliseconds. */
  windowMs: number;
}

/** The guards every tool that writes to WhatsApp passes through. */
export interface SafetyOptions {
  /**
   * Who may receive messages: numbers (`6281234567890`) or prefixes (`628` for every Indonesian
   * mobile), digits only, or `'*'` for anyone. Empty (the default) refuses every send, so an
   * agent cannot message strangers before you decide who it may reach.
   */
  allow: readonly string[];
  /** Sends validate and answer with the request they would make, and nothing goes out. */
  dryRun?: boolean;
  /** Writes per MCP session (one desktop client, one HTTP session). Default 30 a minute. */
  perSession?: RateWindow;
  /** Writes across every session of this server. Default 120 a minute. */
  global?: RateWindow;
  /** Counts the writes; `memoryRequestLimiter()` from `@kabar/core` unless given (Redis for many instances). */
  limiter: RequestLimiter;
  /** Where numbers without a country code are from. Default `ID`. */
  defaultRegion?: CountryCode;
}

const MINUTE = 60_000;
export const DEFAULT_PER_SESSION: RateWindow = { limit: 30, windowMs: MINUTE };
export const DEFAULT_GLOBAL: RateWindow = { limit: 120, windowMs: MINUTE };

/** A refusal the model should read: what was refused and why, as the tool's error text. */
export class Refusal extends Error {
  override readonly name = 'Refusal';
}

/**
 * The recipient as digits, once the allowlist admits it. Throws `Refusal` naming the allowlist
 * when it does not, and core's `invalid_phone` for a number that is not one.
 */
export function admitRecipient(to: string, safety: SafetyOptions): string {
  const number = normalizePhone(to, { defaultRegion: safety.defaultRegion ?? 'ID' });
  if (safety.allow.includes('*')) return number;
  if (safety.allow.some((entry) => number.startsWith(entry))) return number;
  throw new Refusal(
    safety.allow.length === 0
      ? `refused: no recipient is allowed yet. Set KABAR_MCP_ALLOW to the numbers or prefixes this server may message (e.g. 628 for Indonesian mobiles, * for anyone)`
      : `refused: ${number} is not on the allowlist (${safety.allow.join(', ')})`,
  );
}

/** The allowlist entries as digits, checked: `'*'` or at least two digits each. */
export function allowlistOf(entries: readonly string[]): string[] {
  return entries.map((entry) => {
    const trimmed = entry.trim();
    if (trimmed === '*') return trimmed;
    const digits = trimmed.replace(/[\s+\-()]/g, '');
    if (!/^\d{2,15}$/.test(digits)) {
      throw new KabarError(
        'invalid_config',
        `allowlist entry ${JSON.stringify(entry)}: use a number or prefix in international form (6281234567890, 628) or *`,
      );
    }
    return digits;
  });
}

/**
 * Counts one write against the global and the session's window. Throws `Refusal` with the wait
 * when either is spent; the global window is counted first, so one session cannot starve the
 * others by spending it on refused calls.
 */
export async function countWrite(safety: SafetyOptions, sessionId: string): Promise<void> {
  const windows: [string, RateWindow][] = [
    ['kabar-mcp:global', safety.global ?? DEFAULT_GLOBAL],
    [`kabar-mcp:session:${sessionId}`, safety.perSession ?? DEFAULT_PER_SESSION],
  ];
  for (const [key, window] of windows) {
    const result = await safety.limiter.hit(key, window.limit, window.windowMs);
    if (!result.allowed) {
      const scope = key.endsWith('global') ? 'this server' : 'this session';
      throw new Refusal(
        `refused: ${scope} may make ${window.limit} sends per ${window.windowMs / 1000} s; try again in ${Math.ceil(result.retryAfterMs / 1000)} s`,
      );
    }
  }
}
