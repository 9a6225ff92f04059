import { invalidConfig, KabarError } from '../errors.js';
import type { HttpRequest, HttpResponse } from '../http.js';
import { errorForStatus } from '../http-errors.js';
import { uploadBlob } from '../media.js';
import type { Feature, Provider, ProviderContext } from '../provider.js';
import { redactText, redactValue } from '../redact.js';
import type { BusinessProfile, Template } from '../resources.js';
import { graphError, isGraphErrorObject } from './graph-errors.js';
import { graphMessageBody, META_COMPATIBLE_FEATURES } from './graph-message.js';
import { baseUrlFrom, failedStreamResponse, isObject, requireOption, withQuery } from './shared.js';

/** What `meta` takes. */
export interface MetaOptions {
  /** A system-user or temporary access token. */
  accessToken: string;
  /** The sending number's id in WhatsApp Manager. */
  phoneNumberId: string;
  /** WhatsApp Business Account id; template management throws `invalid_config` without it. */
  businessAccountId?: string;
  /** Graph API version. Default `v21.0`; pinned so a Meta release never changes behaviour silently. */
  apiVersion?: string;
  /** Default `https://graph.facebook.com`. Point it at the sandbox in tests. */
  baseUrl?: string;
  /**
   * Hosts (each with its subdomains) that may receive the access token when a media download
   * follows the URL Meta hands out, always over https. Default Meta's own: `fbsbx.com`,
   * `facebook.com`, `whatsapp.net`. The `baseUrl`'s own origin is always allowed.
   */
  mediaHosts?: readonly string[];
}

const NAME = 'meta';
const PROFILE_FIELDS = 'about,address,description,email,profile_picture_url,websites,vertical';

const CAPABILITIES: ReadonlySet<Feature> = new Set<Feature>(META_COMPATIBLE_FEATURES);
const META_MEDIA_HOSTS = ['fbsbx.com', 'facebook.com', 'whatsapp.net'];
// An endless or looping `paging.next` must not turn one call into thousands of requests.
const MAX_TEMPLATE_PAGES = 200;

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * Whether the access token may go to `url`: the configured base URL's origin, or https to one of
 * `hosts` or a subdomain of one. A media URL or a paging link comes from a response body, so a
 * compromised or misconfigured answer must not be able to collect the token.
 */
function tokenMayGoTo(url: URL | undefined, baseOrigin: string, hosts: readonly string[]): boolean {
  if (!url) return false;
  if (url.origin === baseOrigin) return true;
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
  const host = url.hostname.toLowerCase();
  return hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

function metaError(response: HttpResponse, secrets: readonly string[]): KabarError {
  const body = redactValue(response.body, secrets);
  if (isObject(body) && isGraphErrorObject(body.error)) {
    return graphError(body.error, response.status, response.headers, NAME);
  }
  return errorForStatus({
    status: response.status,
    headers: response.headers,
    provider: NAME,
    message: typeof body === 'string' ? redactText(body.slice(0, 200), secrets) : 'request failed',
    details: body,
  });
}

function pagingError(problem: string): KabarError {
  return new KabarError(
    'provider_error',
    `${NAME}: template list stopped: Meta answered ${problem}`,
    {
      provider: NAME,
    },
  );
}

function unexpected(what: string, body: unknown): KabarError {
  return new KabarError('provider_error', `${NAME}: unexpected ${what} response`, {
    provider: NAME,
    details: body,
  });
}

/**
 * Meta's WhatsApp Cloud API (Graph API), spoken directly. The Cloud API has no idempotency key, so
 * a send that may have reached Meta (a timeout, a 5xx) is not retried but thrown with
 * `maybeAccepted: true`. Default rate limit: 80 messages a second per sending number.
 *
 * Throws `invalid_config` when `accessToken` or `phoneNumberId` is missing, `apiVersion` does not
 * look like `v21.0`, or `baseUrl` is not an http(s) URL.
 *
 * @example
 * ```ts
 * import { createClient } from '@kabar/core';
 * import { meta } from '@kabar/core/meta';
 *
 * const wa = createClient({
 *   provider: meta({
 *     accessToken: process.env.WA_TOKEN!,
 *     phoneNumberId: '1234567890',
 *     businessAccountId: '9876543210', // for wa.templates
 *     baseUrl: 'http://127.0.0.1:4010/meta', // omit for graph.facebook.com
 *   }),
 * });
 * await wa.send({
 *   to: '0812-3456-7890',
 *   template: { name: 'otp_verification', language: 'id', params: ['482913'] },
 * });
 * ```
 */
export function meta(options: MetaOptions): Provider {
  const accessToken = requireOption(NAME, 'accessToken', options?.accessToken);
  const phoneNumberId = requireOption(NAME, 'phoneNumberId', options.phoneNumberId);
  const apiVersion = options.apiVersion ?? 'v21.0';
  if (!/^v\d+\.\d+$/.test(apiVersion)) {
    throw invalidConfig(NAME, 'apiVersion', 'must look like "v21.0"');
  }
  const baseUrl = baseUrlFrom(NAME, options.baseUrl, 'https://graph.facebook.com');
  const baseOrigin = new URL(baseUrl).origin;
  const graphUrl = `${baseUrl}/${apiVersion}`;
  const mediaHosts = (options.mediaHosts ?? META_MEDIA_HOSTS).map((host) => host.toLowerCase());
  const secrets = [accessToken];
  const auth = { authorization: `Bearer ${accessToken}` };
  const numberPath = `/${encodeURIComponent(phoneNumberId)}`;

  async function call(
    context: ProviderContext,
    request: Omit<HttpRequest, 'url'> & { path: string },
  ): Promise<Record<string, unknown>> {
    const { path, ...rest } = request;
    const response = await context.request({
      ...rest,
      url: path.startsWith('http') ? path : `${graphUrl}${path}`,
      headers: { ...auth, ...rest.headers },
    });
    if (response.status >= 400) throw metaError(response, secrets);
    if (!isObject(response.body)) throw unexpected(request.path, response.body);
    return response.body;
  }

  function templatesPath(): string {
    if (!options.businessAccountId) {
      throw invalidConfig(NAME, 'businessAccountId', 'is required to manage templates');
    }
    return `/${encodeURIComponent(options.businessAccountId)}/message_templates`;
  }

  return {
    name: NAME,
    capabilities: CAPABILITIES,
    // The Cloud API has no idempotency key: a timed-out send is never retried automatically.
    deduplicates: false,
    defaultRateLimit: { limit: 80, intervalMs: 1000 },
    rateLimitKey: `${NAME}:${phoneNumberId}`,
    secrets,

    async send(prepared, context) {
      const body = await call(context, {
        method: 'POST',
        path: `${numberPath}/messages`,
        json: graphMessageBody(prepared),
      });
      const id = Array.isArray(body.messages) ? body.messages[0]?.id : undefined;
      if (typeof id !== 'string') throw unexpected('send', body);
      const waId = Array.isArray(body.contacts) ? body.contacts[0]?.wa_id : undefined;
      return { id, to: typeof waId === 'string' ? waId : prepared.to, provider: NAME, raw: body };
    },

    async markAsRead(messageId, context) {
      await call(context, {
        method: 'POST',
        path: `${numberPath}/messages`,
        json: { messaging_product: 'whatsapp', status: 'read', message_id: messageId },
      });
    },

    async uploadMedia(upload, context) {
      const form = new FormData();
      form.append('file', uploadBlob(upload), upload.filename ?? 'file');
      form.append('type', upload.mimeType);
      form.append('messaging_product', 'whatsapp');
      const body = await call(context, { method: 'POST', path: `${numberPath}/media`, form });
      if (typeof body.id !== 'string') throw unexpected('media upload', body);
      return { id: body.id };
    },

    async downloadMedia(mediaId, context) {
      // Meta answers the media id with a short-lived URL that needs the same token.
      const info = await call(context, { method: 'GET', path: `/${encodeURIComponent(mediaId)}` });
      if (typeof info.url !== 'string') throw unexpected('media', info);
      const mediaUrl = parsedUrl(info.url);
      if (!tokenMayGoTo(mediaUrl, baseOrigin, mediaHosts)) {
        throw new KabarError(
          'media_error',
          `${NAME}: the media URL points at ${mediaUrl ? `${mediaUrl.protocol}//${mediaUrl.host}` : 'an invalid address'}, not Meta over https; the access token is not sent there (allow a host with mediaHosts)`,
          { provider: NAME },
        );
      }
      const response = await context.stream({ method: 'GET', url: info.url, headers: auth });
      if (response.status >= 400 || !response.body) {
        throw metaError(await failedStreamResponse(response), secrets);
      }
      const length = response.headers.get('content-length');
      return {
        body: response.body,
        contentType:
          response.headers.get('content-type') ??
          (typeof info.mime_type === 'string' ? info.mime_type : 'application/octet-stream'),
        contentLength: length === null ? undefined : Number(length),
      };
    },

    async listTemplates(filter, context) {
      const templates: Template[] = [];
      const seen = new Set<string>();
      let next: string | undefined = withQuery(templatesPath(), { status: filter.status });
      while (next) {
        if (seen.size >= MAX_TEMPLATE_PAGES) {
          throw pagingError(`more than ${MAX_TEMPLATE_PAGES} pages of templates`);
        }
        seen.add(next);
        const body = await call(context, { method: 'GET', path: next });
        if (!Array.isArray(body.data)) throw unexpected('templates', body);
        templates.push(...(body.data as Template[]));
        const paging = isObject(body.paging) ? body.paging : {};
        next = typeof paging.next === 'string' ? paging.next : undefined;
        if (next === undefined) break;
        if (parsedUrl(next)?.origin !== baseOrigin) {
          throw pagingError('a next page on another host');
        }
        if (seen.has(next)) throw pagingError('the same next page twice');
      }
      return templates;
    },

    async createTemplate(definition, context) {
      const body = await call(context, { method: 'POST', path: templatesPath(), json: definition });
      if (typeof body.id !== 'string') throw unexpected('template', body);
      return { id: body.id, status: String(body.status), category: String(body.category) };
    },

    async deleteTemplate(name, context) {
      await call(context, { method: 'DELETE', path: withQuery(templatesPath(), { name }) });
    },

    async getProfile(_profileOptions, context): Promise<BusinessProfile> {
      const body = await call(context, {
        method: 'GET',
        path: withQuery(`${numberPath}/whatsapp_business_profile`, { fields: PROFILE_FIELDS }),
      });
      const profile = Array.isArray(body.data) ? body.data[0] : undefined;
      if (!isObject(profile)) throw unexpected('profile', body);
      const { profile_picture_url: profilePictureUrl, messaging_product: _, ...rest } = profile;
      return { ...(rest as BusinessProfile), profilePictureUrl: profilePictureUrl as string };
    },

    async updateProfile(update, _profileOptions, context) {
      await call(context, {
        method: 'POST',
        path: `${numberPath}/whatsapp_business_profile`,
        json: { messaging_product: 'whatsapp', ...update },
      });
    },
  };
}
