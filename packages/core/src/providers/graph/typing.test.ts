/**
 * The typing indicator rides on the read receipt of the message being answered (Meta only):
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/typing-indicators
 */
import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../client.js';
import { failure } from '../../test-helpers.js';
import { kirem } from '../kirem/index.js';
import { meta } from '../meta/index.js';

const sandbox = useSandbox();
const messageId = 'wamid.HBgNNjI4MTIzNDU2Nzg5MBcGAgQRFRMyFAA=';

describe('markAsRead with typing', () => {
  it('sends Meta the read receipt with a typing indicator', async () => {
    const wa = createClient({
      provider: meta({
        accessToken: sandbox.meta.accessToken,
        phoneNumberId: sandbox.meta.phoneNumberId,
        baseUrl: sandbox.meta.baseUrl,
      }),
    });
    await wa.markAsRead(messageId, { typing: true });
    await wa.markAsRead(messageId);
    const [typing, plain] = await sandbox.reads('meta');
    expect(typing).toMatchObject({ messageId, typing: true });
    expect(plain).toMatchObject({ messageId });
    expect(plain?.typing).toBeFalsy();
  });

  it('is refused on Kirem, whose API has no typing indicator, before any request', async () => {
    let requests = 0;
    const wa = createClient({
      provider: kirem({ apiKey: sandbox.kirem.apiKey, baseUrl: sandbox.kirem.baseUrl }),
      fetch: (input, init) => {
        requests += 1;
        return fetch(input, init);
      },
    });
    const error = await failure(wa.markAsRead(messageId, { typing: true }));
    expect(error).toMatchObject({ code: 'unsupported_feature', provider: 'kirem' });
    expect(requests).toBe(0);
  });
});
