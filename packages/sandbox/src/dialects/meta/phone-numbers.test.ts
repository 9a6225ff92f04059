/**
 * Meta's `GET /{waba-id}/phone_numbers` (WhatsApp Business Management API, "Get all phone
 * numbers"): `{ data: [{ verified_name, display_phone_number, id, quality_rating, ... }],
 * paging: { cursors: { before, after }, next? } }`.
 * https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/phone_numbers
 * https://developers.facebook.com/docs/whatsapp/business-management-api/manage-phone-numbers
 */
import { describe, expect, it } from 'vitest';
import { call } from '../../test-helpers.js';
import { useSandbox } from '../../vitest.js';

const NUMBER_IDS = ['1234567890', '1234500002', '1234500003'];
const sandbox = useSandbox({ meta: { phoneNumberIds: NUMBER_IDS } });

const numbersUrl = (wabaId = sandbox.meta.wabaId) =>
  `${sandbox.meta.baseUrl}/${sandbox.meta.apiVersion}/${wabaId}/phone_numbers`;
const ids = (body: { data: { id: string }[] }) => body.data.map((number) => number.id);

describe('GET /{waba-id}/phone_numbers', () => {
  it("lists the account's numbers with Graph's default fields, the business number first", async () => {
    const answer = await call(numbersUrl(), { token: sandbox.meta.accessToken });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toHaveLength(3);
    expect(answer.body.data[0]).toEqual({
      id: '1234567890',
      display_phone_number: '+62 811-0000-1234',
      verified_name: 'Kabar Sandbox',
      quality_rating: 'GREEN',
      code_verification_status: 'VERIFIED',
    });
    expect(answer.body.data[2]).toMatchObject({
      id: '1234500003',
      display_phone_number: '+62 811-0000-1236',
    });
    expect(answer.body.paging).toEqual({
      cursors: { before: expect.any(String), after: expect.any(String) },
    });
  });

  it('pages with limit and an after cursor, linking the next page while more follow', async () => {
    const first = await call(`${numbersUrl()}?limit=2`, { token: sandbox.meta.accessToken });
    expect(ids(first.body)).toEqual(NUMBER_IDS.slice(0, 2));
    const next = await call(first.body.paging.next, { token: sandbox.meta.accessToken });
    expect(ids(next.body)).toEqual(NUMBER_IDS.slice(2));
    expect(next.body.paging.next).toBeUndefined();
    const bad = await call(`${numbersUrl()}?limit=0`, { token: sandbox.meta.accessToken });
    expect(bad.status).toBe(400);
    expect(bad.body.error.error_data.details).toBe('limit: must be a whole number from 1 to 1000');
  });

  it('answers an unknown WABA id with subcode 33 and a bad token with error 190', async () => {
    const unknown = await call(numbersUrl('555'), { token: sandbox.meta.accessToken });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 33 });
    const badToken = await call(numbersUrl(), { token: 'EAAG-not-valid' });
    expect(badToken.status).toBe(401);
    expect(badToken.body.error).toMatchObject({ type: 'OAuthException', code: 190 });
  });
});
