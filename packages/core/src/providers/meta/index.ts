import { invalidConfig, KabarError, ValidationError } from '../../errors.js';
import type { HttpRequest, HttpResponse } from '../../http.js';
import { errorForStatus } from '../../http-errors.js';
import { uploadBlob } from '../../media.js';
import type { Feature, Provider, ProviderContext, RateLimitDefault } from '../../provider.js';
import { redactText, redactValue } from '../../redact.js';
import type {
  BlockFailure,
  BlockResult,
  BusinessNumber,
  BusinessProfile,
  MediaInfo,
  Template,
  TemplateDetails,
  TemplateParameterFormat,
  UnblockResult,
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

/** What `meta` takes. */
export interface MetaOptions {
  /** A system-user or temporary access token. */
  accessToken: string;
  /** The sending number's id in WhatsApp Manager. */
  phoneNumberId: string;
  /**
   * WhatsApp Business Account id; template management and `numbers.list` throw `invalid_config`
   * without it.
   */
  businessAccountId?: string;
  /**
   * Your Meta app's id, for uploads through the Resumable Upload API; `profile.uploadPhoto`
   * throws `invalid_config` without it.
   */
  appId?: string;
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

/** What Meta's Cloud API can do: the `capabilities` of every `meta()` provider. */
export const META_CAPABILITIES: ReadonlySet<Feature> = new Set<Feature>([
  ...META_COMPATIBLE_FEATURES,
  // Meta's own API only: Kirem's seed has neither.
  'recipient.userId',
  'typingIndicator',
  // Meta's own API only: Kirem's seed documents none of these endpoints.
  'templates.get',
  'templates.edit',
  'media.info',
  'media.delete',
  'users.block',
  'profile.photo',
  'numbers.list',
]);

/** How fast `meta()` sends unless the client is given its own `rateLimit`. */
export const META_RATE_LIMIT: RateLimitDefault = { limit: 80, intervalMs: 1000 };
/** Everything `templates.get` asks Meta for. */
const TEMPLATE_FIELDS =
  'id,name,status,category,language,components,quality_score,rejected_reason,parameter_format';
const META_MEDIA_HOSTS = ['fbsbx.com', 'facebook.com', 'whatsapp.net'];
// An endless or looping `paging.next` must not turn one call into thousands of requests.
const MAX_PAGES = 200;

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

function pagingError(what: string, problem: string): KabarError {
  return new KabarError('provider_error', `${NAME}: ${what} stopped: Meta answered ${problem}`, {
    provider: NAME,
  });
}

function unexpected(what: string, body: unknown): KabarError {
  return new KabarError('provider_error', `${NAME}: unexpected ${what} response`, {
    provider: NAME,
    details: body,
  });
}

/** A template as `templates.get` returns it: Meta's fields, with the review facts renamed. */
function toTemplateDetails(raw: unknown): TemplateDetails {
  if (!isObject(raw) || typeof raw.id !== 'string' || typeof raw.name !== 'string') {
    throw unexpected('template', raw);
  }
  const {
    quality_score: quality,
    rejected_reason: rejectedReason,
    parameter_format: parameterFormat,
    ...rest
  } = raw;
  const details = { ...rest } as unknown as TemplateDetails;
  if (isObject(quality) && typeof quality.score === 'string') details.quality = quality.score;
  if (typeof rejectedReason === 'string') details.rejectedReason = rejectedReason;
  if (typeof parameterFormat === 'string') {
    details.parameterFormat = parameterFormat.toUpperCase() as TemplateParameterFormat;
  }
  return details;
}

/** One entry of Meta's `GET /{waba-id}/phone_numbers`, in the neutral shape. */
function toBusinessNumber(raw: unknown): BusinessNumber {
  if (
    !isObject(raw) ||
    typeof raw.id !== 'string' ||
    typeof raw.display_phone_number !== 'string'
  ) {
    throw unexpected('phone number', raw);
  }
  const number: BusinessNumber = { id: raw.id, displayNumber: raw.display_phone_number };
  if (typeof raw.verified_name === 'string') number.verifiedName = raw.verified_name;
  if (typeof raw.quality_rating === 'string') number.qualityRating = raw.quality_rating;
  return number;
}

/** The WhatsApp ids of Meta's `added_users` or `removed_users`. */
function blockedIds(users: unknown): string[] {
  if (!Array.isArray(users)) return [];
  return users
    .filter(isObject)
    .map((user) => String(user.wa_id ?? user.input ?? ''))
    .filter((id) => id !== '');
}

/** Meta's `failed_users`, each with its first error. */
function blockFailures(users: unknown): BlockFailure[] {
  if (!Array.isArray(users)) return [];
  return users.filter(isObject).map((user) => {
    const error = Array.isArray(user.errors) ? user.errors.find(isObject) : undefined;
    const message = typeof error?.message === 'string' ? error.message : 'failed';
    const details =
      isObject(error?.error_data) && typeof error.error_data.details === 'string'
        ? error.error_data.details
        : undefined;
    // Meta's own example writes the code as a string.
    const code = Number(error?.code);
    return {
      user: String(user.input ?? user.wa_id ?? ''),
      error: details === undefined ? message : `${message}: ${details}`,
      code: error?.code !== undefined && Number.isFinite(code) ? code : undefined,
    };
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
 *     businessAccountId: '9876543210', // for wa.templates and wa.numbers.list
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

  /** An edge of the business account; `invalid_config` saying what needs it without the id. */
  function accountPath(edge: string, purpose: string): string {
    if (!options.businessAccountId) {
      throw invalidConfig(NAME, 'businessAccountId', `is required to ${purpose}`);
    }
    return `/${encodeURIComponent(options.businessAccountId)}/${edge}`;
  }

  const templatesPath = () => accountPath('message_templates', 'manage templates');

  /**
   * Every `data` entry of a Graph list, following `paging.next` only on the base URL's own origin
   * and never twice or endlessly.
   */
  async function allPages(
    context: ProviderContext,
    first: string,
    what: string,
  ): Promise<unknown[]> {
    const entries: unknown[] = [];
    const seen = new Set<string>();
    let next: string | undefined = first;
    while (next) {
      if (seen.size >= MAX_PAGES) throw pagingError(what, `more than ${MAX_PAGES} pages`);
      seen.add(next);
      const body = await call(context, { method: 'GET', path: next });
      if (!Array.isArray(body.data)) throw unexpected(what, body);
      entries.push(...body.data);
      const paging = isObject(body.paging) ? body.paging : {};
      next = typeof paging.next === 'string' ? paging.next : undefined;
      if (next === undefined) break;
      if (parsedUrl(next)?.origin !== baseOrigin) {
        throw pagingError(what, 'a next page on another host');
      }
      if (seen.has(next)) throw pagingError(what, 'the same next page twice');
    }
    return entries;
  }

  /**
   * Blocks or unblocks numbers and hands back Meta's `block_users` lists. Meta answers a partial
   * failure with 400 and error 139100 beside the lists; that is a result, not an error.
   */
  async function blockRequest(
    method: 'POST' | 'DELETE',
    phones: string[],
    context: ProviderContext,
  ): Promise<Record<string, unknown>> {
    const response = await context.request({
      method,
      url: `${graphUrl}${numberPath}/block_users`,
      headers: auth,
      json: { messaging_product: 'whatsapp', block_users: phones.map((user) => ({ user })) },
    });
    const body = response.body;
    const partial = isObject(body) && isObject(body.error) && body.error.code === 139100;
    if (isObject(body) && isObject(body.block_users) && (response.status < 400 || partial)) {
      return body.block_users;
    }
    if (response.status >= 400) throw metaError(response, secrets);
    throw unexpected('block_users', body);
  }

  return {
    name: NAME,
    capabilities: META_CAPABILITIES,
    // The Cloud API has no idempotency key: a timed-out send is never retried automatically.
    deduplicates: false,
    defaultRateLimit: META_RATE_LIMIT,
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

    async markAsRead(messageId, context, { typing }) {
      await call(context, {
        method: 'POST',
        path: `${numberPath}/messages`,
        json: {
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: messageId,
          typing_indicator: typing ? { type: 'text' } : undefined,
        },
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

    async mediaInfo(mediaId, context): Promise<MediaInfo> {
      const body = await call(context, { method: 'GET', path: `/${encodeURIComponent(mediaId)}` });
      if (typeof body.url !== 'string') throw unexpected('media', body);
      return {
        id: typeof body.id === 'string' ? body.id : mediaId,
        url: body.url,
        mimeType: String(body.mime_type ?? 'application/octet-stream'),
        sha256: String(body.sha256 ?? ''),
        // Meta's own example writes the size as a string.
        fileSize: Number(body.file_size),
      };
    },

    async deleteMedia(mediaId, context) {
      await call(context, { method: 'DELETE', path: `/${encodeURIComponent(mediaId)}` });
    },

    async listTemplates(filter, context) {
      const first = withQuery(templatesPath(), { status: filter.status });
      return (await allPages(context, first, 'template list')) as Template[];
    },

    async getTemplate(idOrName, lookup, context) {
      if (/^\d+$/.test(idOrName)) {
        const body = await call(context, {
          method: 'GET',
          path: withQuery(`/${encodeURIComponent(idOrName)}`, { fields: TEMPLATE_FIELDS }),
        });
        return toTemplateDetails(body);
      }
      const first = withQuery(templatesPath(), { name: idOrName, fields: TEMPLATE_FIELDS });
      // Meta's name filter may match more than the exact name; keep only the template asked for.
      const found = (await allPages(context, first, 'template lookup')).filter(
        (template) =>
          isObject(template) &&
          template.name === idOrName &&
          (lookup.language === undefined || template.language === lookup.language),
      );
      if (found.length === 0) {
        const language = lookup.language === undefined ? '' : ` in language ${lookup.language}`;
        throw new KabarError('not_found', `${NAME}: no template named ${idOrName}${language}`, {
          provider: NAME,
        });
      }
      if (found.length > 1) {
        const languages = found.map((template) => (template as { language?: unknown }).language);
        throw new ValidationError(
          'language',
          `is required: template ${idOrName} exists in ${languages.join(', ')}`,
        );
      }
      return toTemplateDetails(found[0]);
    },

    async editTemplate(id, edit, context) {
      await call(context, { method: 'POST', path: `/${encodeURIComponent(id)}`, json: edit });
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

    async uploadProfilePhoto(photo, context) {
      if (!options.appId) {
        throw invalidConfig(NAME, 'appId', 'is required to upload a profile photo');
      }
      // 1. A Resumable Upload API session on the app.
      const session = await call(context, {
        method: 'POST',
        path: withQuery(`/${encodeURIComponent(options.appId)}/uploads`, {
          file_name: photo.filename ?? 'profile',
          file_length: photo.file.size,
          file_type: photo.mimeType,
        }),
      });
      // The id is `upload:…` and may carry its own `?sig=…`, so it goes into the URL as it is.
      if (typeof session.id !== 'string' || !/^upload:[^/\s#]+$/.test(session.id)) {
        throw unexpected('upload session', session);
      }
      // 2. The bytes from offset 0, with the `OAuth` scheme Meta documents for this step.
      const uploaded = await call(context, {
        method: 'POST',
        path: `/${session.id}`,
        headers: { authorization: `OAuth ${accessToken}`, file_offset: '0' },
        body: photo.file,
      });
      if (typeof uploaded.h !== 'string' || uploaded.h === '') throw unexpected('upload', uploaded);
      // 3. The file handle becomes the profile picture.
      await call(context, {
        method: 'POST',
        path: `${numberPath}/whatsapp_business_profile`,
        json: { messaging_product: 'whatsapp', profile_picture_handle: uploaded.h },
      });
    },

    async blockUsers(phones, context): Promise<BlockResult> {
      const lists = await blockRequest('POST', phones, context);
      return { blocked: blockedIds(lists.added_users), failed: blockFailures(lists.failed_users) };
    },

    async unblockUsers(phones, context): Promise<UnblockResult> {
      const lists = await blockRequest('DELETE', phones, context);
      return {
        unblocked: blockedIds(lists.removed_users),
        failed: blockFailures(lists.failed_users),
      };
    },

    async listNumbers(context) {
      const path = accountPath('phone_numbers', "list the account's phone numbers");
      return (await allPages(context, path, 'phone number list')).map(toBusinessNumber);
    },

    async listBlockedUsers(context) {
      const entries = await allPages(context, `${numberPath}/block_users`, 'blocked user list');
      // The reference lists `{ wa_id }` entries; the older guide nests them in `block_users`.
      return entries
        .filter(isObject)
        .flatMap((entry) =>
          blockedIds(Array.isArray(entry.block_users) ? entry.block_users : [entry]),
        );
    },
  };
}
