import { type ErrorCode, invalidConfig, KabarError, UnsupportedFeatureError } from '../errors.js';
import { firstMissing, requiredFeatures } from '../features.js';
import type { Feature, Provider } from '../provider.js';

// Refusals that say nothing about the message itself, so another gateway may well take it.
const GATEWAY_REFUSALS = new Set<ErrorCode>([
  'rate_limited',
  'quota_exceeded',
  'session_inactive',
  'unauthenticated',
  'forbidden',
  'feature_disabled',
]);

/**
 * True when the gateway certainly did not take the message: it could not be reached, or it said
 * no for reasons of its own. A timeout or a 5xx after the request went out is not such a case:
 * the message may be on its way, and a second gateway would deliver it twice.
 */
export function clearlyNotAccepted(error: unknown): boolean {
  if (!KabarError.isInstance(error) || error.maybeAccepted) return false;
  return error.isRetryable || GATEWAY_REFUSALS.has(error.code);
}

/**
 * A provider made of providers: each message goes through the first that supports it, and on to
 * the next only when a gateway clearly did not accept it (see `clearlyNotAccepted`).
 * `SendResult.provider` names the gateway that sent it. Only sending fails over; other calls belong
 * to a specific gateway. The rate limit is the first provider's, and the client retries a send
 * that may have been accepted only when every provider deduplicates.
 *
 * Throws `invalid_config` for fewer than two providers. A send none of them supports fails with
 * `unsupported_feature`; when every able gateway refuses, the last refusal is thrown.
 *
 * @example
 * ```ts
 * import { createClient, failover } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 * import { kirimy } from '@kabar/core/kirimy';
 *
 * const wa = createClient({
 *   provider: failover([
 *     kirem({ apiKey: process.env.KIREM_API_KEY!, baseUrl: 'http://127.0.0.1:4010/kirem' }),
 *     kirimy({
 *       apiKey: process.env.KIRIMY_API_KEY!,
 *       sessionId: 'sessioncontoh',
 *       baseUrl: 'http://127.0.0.1:4010/kirimy/v1',
 *     }),
 *   ]),
 * });
 * const sent = await wa.send({ to: '0812-3456-7890', text: 'Kode promo: HEMAT10' });
 * console.log(sent.provider); // 'kirem', or 'kirimy' when Kirem clearly refused
 * ```
 */
export function failover(providers: Provider[]): Provider {
  if (!Array.isArray(providers) || providers.length < 2) {
    throw invalidConfig('failover', 'providers', 'needs at least two providers');
  }
  const capabilities = new Set<Feature>();
  for (const provider of providers) {
    for (const feature of provider.capabilities) capabilities.add(feature);
  }
  const [primary] = providers as [Provider, ...Provider[]];
  const name = `failover(${providers.map((p) => p.name).join(',')})`;

  return {
    name,
    capabilities,
    // A retry may reach any of them, so it is only safe when every one deduplicates.
    deduplicates: providers.every((p) => p.deduplicates),
    defaultRateLimit: primary.defaultRateLimit,
    rateLimitKey: providers.map((p) => p.rateLimitKey).join('|'),
    secrets: providers.flatMap((p) => p.secrets),

    async send(prepared, context) {
      const needed = requiredFeatures(prepared);
      const able = providers.filter((p) => firstMissing(p.capabilities, needed) === undefined);
      if (able.length === 0) {
        throw new UnsupportedFeatureError(name, needed.join(' + '));
      }
      let lastRefusal: unknown;
      for (const provider of able) {
        try {
          return await provider.send(prepared, context);
        } catch (error) {
          if (!clearlyNotAccepted(error)) throw error;
          lastRefusal = error;
        }
      }
      throw lastRefusal;
    },
  };
}
