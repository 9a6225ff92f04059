import {
  type ErrorCode,
  type KabarError,
  UnsupportedFeatureError,
  ValidationError,
} from '../../errors.js';
import type { HttpRequest, HttpResponse } from '../../http.js';
import { errorForStatus } from '../../http-errors.js';
import type { PreparedMessage, TemplateContent, TemplateParameter } from '../../message.js';
import type { Feature, Provider, ProviderContext } from '../../provider.js';
import { redactText, redactValue } from '../../redact.js';
import type { BatchStatus, OtpRequest, OtpRequested } from '../../resources.js';
import { baseUrlFrom, isObject, requireOption } from '../shared.js';

/** What `qirim` takes. */
export interface QirimOptions {
  /** The project's API key (`qirim_…`). */
  apiKey: string;
  /** Default `https://qirim.qapuasmedia.tech/api/v1`. Point it at the sandbox in tests. */
  baseUrl?: string;
}

const NAME = 'qirim';

/** What Qirim can do: the `capabilities` of every `qirim()` provider. */
export const QIRIM_CAPABILITIES: ReadonlySet<Feature> = new Set<Feature>([
  'text',
  'image',
  'video',
  'audio',
  'document',
  'template',
  'template.vars',
  'batch',
  'batch.status',
  'otp',
  'health',
]);

/** The seed's error table, and whether waiting could ever make a repeat succeed. */
const QIRIM_ERRORS: Record<string, { code: ErrorCode; permanent: boolean }> = {
  unauthenticated: { code: 'unauthenticated', permanent: true },
  feature_disabled: { code: 'feature_disabled', permanent: true },
  invalid_phone: { code: 'invalid_phone', permanent: true },
  // A cooldown is for the user to wait out (the error carries retry_after), not for an
  // automatic retry that would hold an OTP request open for a minute.
  resend_cooldown: { code: 'resend_cooldown', permanent: true },
  daily_limit: { code: 'daily_limit', permanent: true },
  otp_expired: { code: 'otp_expired', permanent: true },
  otp_incorrect: { code: 'otp_incorrect', permanent: true },
  too_many_attempts: { code: 'too_many_attempts', permanent: true },
  validation_error: { code: 'validation', permanent: true },
};

function qirimError(response: HttpResponse, secrets: readonly string[]): KabarError {
  const body = isObject(response.body) ? response.body : {};
  const error = isObject(body.error)
    ? (redactValue(body.error, secrets) as Record<string, unknown>)
    : {};
  const providerCode = typeof error.code === 'string' ? error.code : undefined;
  const known = providerCode ? QIRIM_ERRORS[providerCode] : undefined;
  const { code: _code, message: _message, ...details } = error;
  return errorForStatus({
    status: response.status,
    headers: response.headers,
    provider: NAME,
    message:
      typeof error.message === 'string'
        ? error.message
        : typeof response.body === 'string'
          ? redactText(response.body.slice(0, 200), secrets)
          : 'request failed',
    code: known?.code ?? (response.status < 400 ? 'provider_error' : undefined),
    providerCode,
    retryAfter: typeof error.retry_after === 'number' ? error.retry_after : undefined,
    transient: known?.permanent ? 'permanent' : undefined,
    details: Object.keys(details).length > 0 ? details : undefined,
  });
}

function varText(param: TemplateParameter, name: string): string {
  if (typeof param === 'string' || typeof param === 'number') return String(param);
  if (param.type === 'text') return param.text;
  throw new UnsupportedFeatureError(NAME, `template parameter ${name} of type ${param.type}`);
}

function templateVars(template: TemplateContent): Record<string, string> {
  if (template.vars) return template.vars;
  const { params = [] } = template;
  // Positional parameters become variables 1, 2, ... of the stored template; named ones keep their names.
  const entries = Array.isArray(params)
    ? params.map((param, index) => [String(index + 1), param] as const)
    : Object.entries(params);
  return Object.fromEntries(entries.map(([name, param]) => [name, varText(param, name)]));
}

function notificationBody(prepared: PreparedMessage): Record<string, unknown> {
  const to = prepared.recipients.length > 1 ? prepared.recipients : prepared.to;
  switch (prepared.kind) {
    case 'text':
      return { to, type: 'text', text: prepared.content };
    case 'image':
    case 'video':
    case 'audio':
    case 'document': {
      const media = prepared.content;
      if (media.link === undefined) {
        throw new UnsupportedFeatureError(NAME, `${prepared.kind} by media id (send a link)`);
      }
      return {
        to,
        type: 'media',
        media_url: media.link,
        mediatype: prepared.kind,
        caption: media.caption,
      };
    }
    case 'template': {
      const template = prepared.content;
      // Qirim's stored templates take variables only: headers and buttons cannot be filled.
      if (template.components !== undefined && template.components.length > 0) {
        throw new UnsupportedFeatureError(NAME, 'template.components');
      }
      return { to, type: 'template', template: template.name, vars: templateVars(template) };
    }
    default:
      throw new UnsupportedFeatureError(NAME, prepared.kind);
  }
}

function checkOtpRequest(request: OtpRequest): void {
  const { codeLength, ttl } = request;
  if (
    codeLength !== undefined &&
    !(Number.isInteger(codeLength) && codeLength >= 4 && codeLength <= 8)
  ) {
    throw new ValidationError('codeLength', 'must be a whole number from 4 to 8');
  }
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 30 && ttl <= 1800)) {
    throw new ValidationError('ttl', 'must be a whole number of seconds from 30 to 1800');
  }
}

function toOtpRequested(data: Record<string, unknown>): OtpRequested {
  return {
    requestId: String(data.request_id),
    phone: String(data.phone),
    expiresIn: Number(data.expires_in),
    expiresAt: String(data.expires_at),
  };
}

/**
 * Qirim: queued notifications (text, media, stored templates, batches) and server-side OTP. A send
 * answers with a batch rather than a message: `SendResult.id` is the batch id, `batch` its counts,
 * and `wa.batches.get` its per-message status. Media goes by link only. No default rate limit.
 *
 * Throws `invalid_config` when `apiKey` is missing or `baseUrl` is not an http(s) URL.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { qirim } from '@kabar/core/qirim';
 *
 * const wa = createClient({
 *   provider: qirim({
 *     apiKey: process.env.QIRIM_API_KEY!,
 *     baseUrl: 'http://127.0.0.1:4010/qirim/api/v1',
 *   }),
 * });
 * const sent = await wa.send({
 *   to: ['0812-3456-7890', '0813-1234-5678'],
 *   template: { name: 'invoice', language: 'id', vars: { no: 'INV-1', total: 'Rp10.000' } },
 * });
 * const status = await wa.batches.get(sent.id); // { batchId, counts, messages }
 * ```
 */
export function qirim(options: QirimOptions): Provider {
  const apiKey = requireOption(NAME, 'apiKey', options?.apiKey);
  const baseUrl = baseUrlFrom(NAME, options.baseUrl, 'https://qirim.qapuasmedia.tech/api/v1');
  const secrets = [apiKey];

  async function call(
    context: ProviderContext,
    request: Omit<HttpRequest, 'url'> & { path: string },
  ): Promise<Record<string, unknown>> {
    const { path, ...rest } = request;
    const response = await context.request({
      ...rest,
      url: `${baseUrl}${path}`,
      headers: { 'x-api-key': apiKey },
    });
    const body = isObject(response.body) ? response.body : {};
    if (response.status >= 400 || body.success !== true || !isObject(body.data)) {
      throw qirimError(response, secrets);
    }
    return body.data;
  }

  async function otp(path: string, request: OtpRequest, context: ProviderContext) {
    checkOtpRequest(request);
    const data = await call(context, {
      method: 'POST',
      path,
      json: {
        phone: request.phone,
        purpose: request.purpose,
        code_length: request.codeLength,
        ttl: request.ttl,
      },
    });
    return toOtpRequested(data);
  }

  return {
    name: NAME,
    capabilities: QIRIM_CAPABILITIES,
    deduplicates: false,
    rateLimitKey: NAME,
    secrets,

    async send(prepared, context) {
      const data = await call(context, {
        method: 'POST',
        path: '/notifications/send',
        json: notificationBody(prepared),
      });
      const batch = {
        id: String(data.batch_id),
        accepted: Number(data.accepted),
        queued: Number(data.queued),
        rejected: Number(data.rejected),
      };
      return { id: batch.id, to: prepared.to, provider: NAME, batch, raw: data };
    },

    requestOtp: (request, context) => otp('/otp/request', request, context),
    resendOtp: (request, context) => otp('/otp/resend', request, context),

    async verifyOtp(check, context) {
      const data = await call(context, {
        method: 'POST',
        path: '/otp/verify',
        json: { phone: check.phone, code: check.code },
      });
      return { verified: data.verified === true, phone: String(data.phone) };
    },

    async batchStatus(batchId, context): Promise<BatchStatus> {
      const data = await call(context, {
        method: 'GET',
        path: `/notifications/${encodeURIComponent(batchId)}`,
      });
      const messages = Array.isArray(data.messages) ? data.messages.filter(isObject) : [];
      return {
        batchId: String(data.batch_id),
        counts: isObject(data.counts) ? (data.counts as Record<string, number>) : {},
        messages: messages.map((m) => ({
          to: String(m.to),
          status: String(m.status),
          messageId:
            typeof m.evolution_message_id === 'string' ? m.evolution_message_id : undefined,
        })),
      };
    },

    async health(context) {
      return call(context, { method: 'GET', path: '/health' });
    },
  };
}
