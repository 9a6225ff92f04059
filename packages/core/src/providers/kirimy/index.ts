import {
  type ErrorCode,
  invalidConfig,
  type KabarError,
  UnsupportedFeatureError,
} from '../../errors.js';
import type { HttpResponse } from '../../http.js';
import { errorForStatus } from '../../http-errors.js';
import type { SendResult } from '../../message.js';
import type { Feature, Provider, RateLimitDefault } from '../../provider.js';
import { redactText } from '../../redact.js';
import { baseUrlFrom, isObject, requireOption } from '../shared.js';

/** What `kirimy` takes: `apiKey`, and `sessionId` or `sessionIds`. */
export interface KirimyOptions {
  /** The `api-key` from the Kirimy dashboard. */
  apiKey: string;
  /** The WhatsApp session that sends. Required unless `sessionIds` is given. */
  sessionId?: string;
  /**
   * Several sessions, tried in order: when one is inactive, unknown or out of its daily quota, the
   * message goes through the next (the seed's "fallback session" advice).
   */
  sessionIds?: string[];
  /** Default `https://api-client.kirimy.id/v1`. Point it at the sandbox in tests. */
  baseUrl?: string;
}

const NAME = 'kirimy';

/** What Kirimy can do: the `capabilities` of every `kirimy()` provider. */
export const KIRIMY_CAPABILITIES: ReadonlySet<Feature> = new Set<Feature>(['text']);

/** How fast `kirimy()` sends unless the client is given its own `rateLimit`. */
export const KIRIMY_RATE_LIMIT: RateLimitDefault = { limit: 100, intervalMs: 60_000 };

const CODE_BY_KIRIMY_ERROR: Record<string, ErrorCode> = {
  INVALID_API_KEY: 'unauthenticated',
  SESSION_NOT_FOUND: 'session_inactive',
  SESSION_INACTIVE: 'session_inactive',
  INVALID_PHONE_NUMBER: 'invalid_phone',
  MESSAGE_EMPTY: 'validation',
  QUOTA_EXCEEDED: 'quota_exceeded',
};

/** These say the session could not send at all, so another session may. */
const SESSION_FAILURES = new Set(['SESSION_NOT_FOUND', 'SESSION_INACTIVE', 'QUOTA_EXCEEDED']);

function kirimyError(response: HttpResponse, secrets: readonly string[]): KabarError {
  const body = isObject(response.body) ? response.body : {};
  const providerCode = typeof body.error_code === 'string' ? body.error_code : undefined;
  const message =
    typeof body.message === 'string'
      ? redactText(body.message, secrets)
      : (providerCode ?? 'request failed');
  return errorForStatus({
    status: response.status,
    headers: response.headers,
    provider: NAME,
    message,
    code:
      (providerCode ? CODE_BY_KIRIMY_ERROR[providerCode] : undefined) ??
      (response.status < 400 ? 'provider_error' : undefined),
    providerCode,
    // Everything Kirimy names is final for this request; only a bare 429 (the per-minute
    // limit) is worth waiting out. A spent daily quota is not.
    transient: providerCode && providerCode in CODE_BY_KIRIMY_ERROR ? 'permanent' : undefined,
    details: providerCode ? { error_code: providerCode } : undefined,
  });
}

/**
 * Kirimy: text messages through a WhatsApp session, sent as multipart form data. With
 * `sessionIds`, a session that is inactive, unknown or out of its daily quota is passed over for
 * the next. Default rate limit: 100 messages a minute.
 *
 * Throws `invalid_config` when `apiKey` is missing, there is neither a `sessionId` nor a non-empty
 * `sessionIds`, or `baseUrl` is not an http(s) URL.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { kirimy } from '@kabar/core/kirimy';
 *
 * const wa = createClient({
 *   provider: kirimy({
 *     apiKey: process.env.KIRIMY_API_KEY!,
 *     sessionIds: ['sessioncontoh', 'cadangan'], // the second sends when the first cannot
 *     baseUrl: 'http://127.0.0.1:4010/kirimy/v1',
 *   }),
 * });
 * await wa.send({ to: '0812-3456-7890', text: 'Pembayaran Anda sudah kami terima.' });
 * ```
 */
export function kirimy(options: KirimyOptions): Provider {
  const apiKey = requireOption(NAME, 'apiKey', options?.apiKey);
  const baseUrl = baseUrlFrom(NAME, options.baseUrl, 'https://api-client.kirimy.id/v1');
  const sessionIds = options.sessionIds ?? (options.sessionId ? [options.sessionId] : []);
  if (sessionIds.length === 0 || sessionIds.some((id) => typeof id !== 'string' || id === '')) {
    throw invalidConfig(NAME, 'sessionId', 'is required (or a non-empty sessionIds list)');
  }
  const secrets = [apiKey];

  return {
    name: NAME,
    capabilities: KIRIMY_CAPABILITIES,
    deduplicates: false,
    defaultRateLimit: KIRIMY_RATE_LIMIT,
    rateLimitKey: `${NAME}:${sessionIds.join(',')}`,
    secrets,

    async send(prepared, context): Promise<SendResult> {
      if (prepared.kind !== 'text') throw new UnsupportedFeatureError(NAME, prepared.kind);
      const text = prepared.content;
      let lastSessionFailure: KabarError | undefined;
      for (const sessionId of sessionIds) {
        const form = new FormData();
        form.append('session_id', sessionId);
        form.append('receive', prepared.to);
        form.append('message', text);
        const response = await context.request({
          method: 'POST',
          url: `${baseUrl}/send-message`,
          headers: { 'api-key': apiKey },
          form,
        });
        const body = isObject(response.body) ? response.body : {};
        if (response.status < 300 && body.success === true && isObject(body.data)) {
          return {
            id: String(body.data.message_id),
            to: String(body.data.receive ?? prepared.to),
            provider: NAME,
            raw: body,
          };
        }
        const error = kirimyError(response, secrets);
        // Only a session that plainly refused may be passed over; anything else could mean the
        // message went out, and trying another session would send it twice.
        if (!SESSION_FAILURES.has(String(error.providerCode))) throw error;
        lastSessionFailure = error;
      }
      throw lastSessionFailure as KabarError;
    },
  };
}
