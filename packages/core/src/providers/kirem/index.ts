import { KabarError } from '../../errors.js';
import type { HttpRequest, HttpResponse } from '../../http.js';
import { errorForStatus } from '../../http-errors.js';
import { uploadBlob } from '../../media.js';
import type { SendResult } from '../../message.js';
import type { Feature, Provider, ProviderContext, RateLimitDefault } from '../../provider.js';
import { redactText, redactValue } from '../../redact.js';
import type {
  BusinessProfile,
  LogPage,
  MessageLog,
  Template,
  WebhookLog,
} from '../../resources.js';
import { graphError, isGraphErrorObject } from '../graph/errors.js';
import { graphMessageBody, META_COMPATIBLE_FEATURES } from '../graph/message.js';
import {
  baseUrlFrom,
  failedStreamResponse,
  isObject,
  requireOption,
  withQuery,
} from '../shared.js';

/** What `kirem` takes. */
export interface KiremOptions {
  /** Your Kirem API key (`kirem_live_…`). */
  apiKey: string;
  /** Default `https://api.kirem.co`. Point it at the sandbox in tests. */
  baseUrl?: string;
  /** Send through this number (`/v1/:phone_number_id/messages`); otherwise Kirem's first active channel. */
  phoneNumberId?: string;
  /** The channel whose business profile `profile.get/update` read and change. */
  channelId?: string;
}

const NAME = 'kirem';

/** What Kirem can do: the `capabilities` of every `kirem()` provider. */
export const KIREM_CAPABILITIES: ReadonlySet<Feature> = new Set<Feature>([
  ...META_COMPATIBLE_FEATURES,
  'logs.messages',
  'logs.webhooks',
  'mcp',
]);

/** How fast `kirem()` sends unless the client is given its own `rateLimit`. */
export const KIREM_RATE_LIMIT: RateLimitDefault = { limit: 80, intervalMs: 1000 };

/** Kirem's error wrapper `{status, message, errors}`; `errors` may be a Meta error object. */
function kiremError(response: HttpResponse, secrets: readonly string[]): KabarError {
  const body = isObject(response.body) ? response.body : {};
  const errors = redactValue(body.errors, secrets);
  if (isGraphErrorObject(errors)) {
    return graphError(errors, response.status, response.headers, NAME);
  }
  const message =
    typeof body.message === 'string'
      ? redactText(body.message, secrets)
      : typeof response.body === 'string'
        ? redactText(response.body.slice(0, 200), secrets)
        : 'request failed';
  const idempotencyConflict = isObject(errors) && 'idempotency_key' in errors;
  return errorForStatus({
    status: response.status,
    headers: response.headers,
    provider: NAME,
    message,
    code: idempotencyConflict ? 'idempotency_conflict' : undefined,
    details: errors,
  });
}

function unexpected(what: string, body: unknown): KabarError {
  return new KabarError('provider_error', `${NAME}: unexpected ${what} response`, {
    provider: NAME,
    details: body,
  });
}

function toMessageLog(log: Record<string, unknown>): MessageLog {
  return {
    id: String(log.id),
    messageId: String(log.message_id ?? ''),
    recipient: String(log.recipient ?? ''),
    direction: String(log.direction ?? ''),
    type: String(log.type ?? ''),
    status: String(log.status ?? ''),
    errorMessage: typeof log.error_message === 'string' ? log.error_message : null,
    createdAt: String(log.created_at ?? ''),
  };
}

function toWebhookLog(log: Record<string, unknown>): WebhookLog {
  return {
    id: String(log.id),
    url: String(log.url ?? ''),
    event: typeof log.event === 'string' ? log.event : undefined,
    statusCode: Number(log.status_code),
    isSuccess: log.is_success === true,
    durationMs: Number(log.duration_ms),
    createdAt: String(log.created_at ?? ''),
  };
}

function toPage<T>(data: unknown, map: (log: Record<string, unknown>) => T): LogPage<T> {
  if (!isObject(data) || !Array.isArray(data.logs)) throw unexpected('log', data);
  return {
    total: Number(data.total),
    limit: Number(data.limit),
    offset: Number(data.offset),
    logs: data.logs.filter(isObject).map(map),
  };
}

/**
 * The Kirem gateway: Meta-Cloud-API-compatible sends plus templates, profile, logs and MCP. Kirem
 * deduplicates by the `Idempotency-Key` the client sends, so a send that timed out is retried
 * safely. Default rate limit: 80 messages a second per sending number.
 *
 * Throws `invalid_config` when `apiKey` is missing or `baseUrl` is not an http(s) URL.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { kirem } from '@kabar/core/kirem';
 *
 * const wa = createClient({
 *   provider: kirem({ apiKey: process.env.KIREM_API_KEY!, baseUrl: 'http://127.0.0.1:4010/kirem' }),
 * });
 * const sent = await wa.send({ to: '0812-3456-7890', text: 'Pesanan #1001 sudah dikirim' });
 * console.log(sent.id); // wamid.…
 * ```
 */
export function kirem(options: KiremOptions): Provider {
  const apiKey = requireOption(NAME, 'apiKey', options?.apiKey);
  const baseUrl = baseUrlFrom(NAME, options.baseUrl, 'https://api.kirem.co');
  const secrets = [apiKey];
  const auth = { authorization: `Bearer ${apiKey}` };
  let rpcId = 0;

  async function call(
    context: ProviderContext,
    request: Omit<HttpRequest, 'url'> & { path: string },
  ): Promise<unknown> {
    const { path, ...rest } = request;
    const response = await context.request({
      ...rest,
      url: `${baseUrl}${path}`,
      headers: { ...auth, ...rest.headers },
    });
    if (response.status >= 400) throw kiremError(response, secrets);
    if (!isObject(response.body)) throw unexpected(request.path, response.body);
    return response.body.data;
  }

  const channelQuery = (channelId: string | undefined) => ({
    channel_id: channelId ?? options.channelId,
  });

  return {
    name: NAME,
    capabilities: KIREM_CAPABILITIES,
    deduplicates: true,
    defaultRateLimit: KIREM_RATE_LIMIT,
    rateLimitKey: `${NAME}:${options.phoneNumberId ?? 'default'}`,
    secrets,

    async send(prepared, context): Promise<SendResult> {
      const path = options.phoneNumberId
        ? `/v1/${encodeURIComponent(options.phoneNumberId)}/messages`
        : '/v1/messages';
      const data = await call(context, {
        method: 'POST',
        path,
        headers: { 'idempotency-key': context.idempotencyKey },
        json: graphMessageBody(prepared),
      });
      const id = isObject(data) && Array.isArray(data.messages) ? data.messages[0]?.id : undefined;
      if (typeof id !== 'string') throw unexpected('send', data);
      const waId =
        isObject(data) && Array.isArray(data.contacts) ? data.contacts[0]?.wa_id : undefined;
      return {
        id,
        to: typeof waId === 'string' ? waId : prepared.to,
        provider: NAME,
        idempotencyKey: context.idempotencyKey,
        raw: data,
      };
    },

    async markAsRead(messageId, context) {
      await call(context, {
        method: 'POST',
        path: '/v1/messages/read',
        json: { messaging_product: 'whatsapp', message_id: messageId },
      });
    },

    async uploadMedia(upload, context) {
      const form = new FormData();
      form.append('file', uploadBlob(upload), upload.filename ?? 'file');
      form.append('messaging_product', 'whatsapp');
      const data = await call(context, { method: 'POST', path: '/v1/media', form });
      if (!isObject(data) || typeof data.id !== 'string') throw unexpected('media upload', data);
      return { id: data.id };
    },

    async downloadMedia(mediaId, context) {
      const response = await context.stream({
        method: 'GET',
        url: `${baseUrl}/v1/media/${encodeURIComponent(mediaId)}/download`,
        headers: auth,
      });
      if (response.status >= 400 || !response.body) {
        throw kiremError(await failedStreamResponse(response), secrets);
      }
      const length = response.headers.get('content-length');
      return {
        body: response.body,
        contentType: response.headers.get('content-type') ?? 'application/octet-stream',
        contentLength: length === null ? undefined : Number(length),
      };
    },

    async listTemplates(filter, context) {
      const data = await call(context, {
        method: 'GET',
        path: withQuery('/v1/templates', { status: filter.status }),
      });
      if (!Array.isArray(data)) throw unexpected('templates', data);
      return data as Template[];
    },

    async createTemplate(definition, context) {
      const data = await call(context, { method: 'POST', path: '/v1/templates', json: definition });
      if (!isObject(data) || typeof data.id !== 'string') throw unexpected('template', data);
      return { id: data.id, status: String(data.status), category: String(data.category) };
    },

    async deleteTemplate(name, context) {
      await call(context, { method: 'DELETE', path: `/v1/templates/${encodeURIComponent(name)}` });
    },

    async getProfile(profileOptions, context): Promise<BusinessProfile> {
      const data = await call(context, {
        method: 'GET',
        path: withQuery('/v1/profile', channelQuery(profileOptions.channelId)),
      });
      if (!isObject(data)) throw unexpected('profile', data);
      const { profile_picture_url: profilePictureUrl, ...rest } = data;
      return { ...(rest as BusinessProfile), profilePictureUrl: profilePictureUrl as string };
    },

    async updateProfile(update, profileOptions, context) {
      await call(context, {
        method: 'POST',
        path: withQuery('/v1/profile', channelQuery(profileOptions.channelId)),
        json: update,
      });
    },

    async messageLogs(filter, context) {
      const data = await call(context, {
        method: 'GET',
        path: withQuery('/v1/analytics/messages', { ...filter }),
      });
      return toPage(data, toMessageLog);
    },

    async webhookLogs(filter, context) {
      const data = await call(context, {
        method: 'GET',
        path: withQuery('/v1/analytics/webhooks', {
          is_success: filter.isSuccess,
          limit: filter.limit,
          offset: filter.offset,
        }),
      });
      return toPage(data, toWebhookLog);
    },

    async mcp(method, params, context) {
      rpcId += 1;
      const response = await context.request({
        method: 'POST',
        url: `${baseUrl}/v1/mcp`,
        headers: auth,
        json: { jsonrpc: '2.0', id: rpcId, method, params },
      });
      if (response.status >= 400) throw kiremError(response, secrets);
      const body = response.body;
      if (!isObject(body)) throw unexpected('MCP', body);
      if (isObject(body.error)) {
        const rpcCode = Number(body.error.code);
        throw new KabarError(
          rpcCode === -32602 && /not found/i.test(String(body.error.message))
            ? 'not_found'
            : rpcCode === -32602 || rpcCode === -32600
              ? 'validation'
              : 'provider_error',
          `${NAME}: MCP ${method} failed: ${redactText(String(body.error.message), secrets)}`,
          { provider: NAME, providerCode: rpcCode, details: redactValue(body.error, secrets) },
        );
      }
      return body.result;
    },
  };
}
