/**
 * `numbers.list` on Meta against the sandbox over HTTP. Meta's WhatsApp Business Management API,
 * "Get all phone numbers": GET /{waba-id}/phone_numbers answers
 * `{ data: [{ id, display_phone_number, verified_name, quality_rating, ... }], paging }`, with
 * `paging.next` only while more pages follow.
 * https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/phone_numbers
 * https://developers.facebook.com/docs/whatsapp/business-management-api/manage-phone-numbers
 */
import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import type { RequestEvent } from '../../hooks.js';
import { failure, sandboxMetaOptions } from '../../test-helpers.js';
import { kirem } from '../kirem/index.js';
import { type MetaOptions, meta } from './index.js';

// More numbers than Meta's page of 25, so listing them takes two pages.
const NUMBER_IDS = Array.from({ length: 30 }, (_, i) => String(1234567890 + i));
const sandbox = useSandbox({ meta: { phoneNumberIds: NUMBER_IDS } });

function metaClient(extra: Partial<MetaOptions> = {}) {
  const requests: RequestEvent[] = [];
  const client = createClient({
    provider: meta({
      ...sandboxMetaOptions(sandbox),
      ...extra,
    }),
    retry: false,
    hooks: { onRequest: (event) => requests.push(event) },
  });
  return { client, requests };
}

describe('meta: numbers.list', () => {
  it('lists every number of the business account, following paging.next', async () => {
    const { client, requests } = metaClient();
    const numbers = await client.numbers.list();
    expect(numbers.map((number) => number.id)).toEqual(NUMBER_IDS);
    expect(numbers[0]).toEqual({
      id: '1234567890',
      displayNumber: '+62 811-0000-1234',
      verifiedName: 'Kabar Sandbox',
      qualityRating: 'GREEN',
    });
    expect(requests.map((request) => new URL(request.url).pathname)).toEqual([
      `/meta/${sandbox.meta.apiVersion}/${sandbox.meta.wabaId}/phone_numbers`,
      `/meta/${sandbox.meta.apiVersion}/${sandbox.meta.wabaId}/phone_numbers`,
    ]);
    expect(new URL(requests[1]?.url ?? '').searchParams.get('after')).not.toBeNull();
  });

  it('needs businessAccountId, and says so before any request', async () => {
    const { client, requests } = metaClient({ businessAccountId: undefined });
    const error = await failure(client.numbers.list());
    expect(error).toMatchObject({ code: 'invalid_config', provider: 'meta' });
    expect(error.message).toContain('businessAccountId');
    expect(requests).toEqual([]);
  });

  it("maps Meta's refusals: an unknown account, a bad token (never echoed)", async () => {
    const unknown = await failure(metaClient({ businessAccountId: '555' }).client.numbers.list());
    expect(unknown).toMatchObject({ code: 'not_found', providerCode: 100 });
    const token = 'EAAG-not-a-real-token';
    const badToken = await failure(metaClient({ accessToken: token }).client.numbers.list());
    expect(badToken).toMatchObject({ code: 'unauthenticated', status: 401, providerCode: 190 });
    expect(JSON.stringify([badToken.message, badToken.details])).not.toContain(token);
  });

  it('is not claimed by Kirem, whose documentation has no such endpoint', async () => {
    const client = createClient({
      provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
    });
    expect(client.supports('numbers.list')).toBe(false);
    expect(await failure(client.numbers.list())).toMatchObject({ code: 'unsupported_feature' });
  });
});
