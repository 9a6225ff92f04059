import { computeSignature } from '@kabar/core/webhooks';
import {
  kiremWebhookButtonReply,
  metaWebhookStatus,
  metaWebhookTextRawBody,
} from '@kabar/sandbox/seed-examples';
import { type IHookFunctions, NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { type WebhookCall, webhookContext } from '../../shared/test-context';
import { KabarWhatsAppTrigger } from './KabarWhatsAppTrigger.node';

const kirem = { gateway: 'kirem', apiKey: 'unused', webhookSecret: 'kirem_webhook_secret' };
const meta = {
  gateway: 'meta',
  accessToken: 'unused',
  phoneNumberId: '1',
  webhookSecret: 'meta_app_secret',
  verifyToken: 'token-rahasia',
};

const kiremText = JSON.stringify({
  event: 'messages.received',
  data: { from: '6281234567890', message_id: 'wamid.in-1', type: 'text', text: { body: 'harga' } },
});

async function deliver(call: WebhookCall) {
  const { context, answer } = webhookContext(call);
  const result = await new KabarWhatsAppTrigger().webhook.call(context);
  return { ...answer, items: result.workflowData?.[0]?.map((item) => item.json) };
}

const signed = (rawBody: string, secret: string, header = 'x-kirem-signature') => ({
  rawBody,
  headers: { [header]: computeSignature(rawBody, secret) },
});

describe('Kabar WhatsApp Trigger', () => {
  it('starts a run with one typed item per message, the text on top', async () => {
    const { status, items } = await deliver({
      credentials: kirem,
      ...signed(kiremText, 'kirem_webhook_secret'),
    });
    expect(status).toBe(200);
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'message',
        provider: 'kirem',
        from: '6281234567890',
        id: 'wamid.in-1',
        text: 'harga',
        content: { type: 'text', text: 'harga' },
      }),
    ]);
  });

  it('answers 401 to a bad or missing signature and starts no run', async () => {
    const forged = await deliver({ credentials: kirem, ...signed(kiremText, 'another-secret') });
    expect(forged).toMatchObject({
      status: 401,
      body: { error: 'invalid_signature' },
      items: undefined,
    });
    const unsigned = await deliver({ credentials: kirem, rawBody: kiremText });
    expect(unsigned).toMatchObject({ status: 401, items: undefined });
  });

  it('keeps button taps and statuses out of flows that did not ask for them', async () => {
    const tap = signed(JSON.stringify(kiremWebhookButtonReply), 'kirem_webhook_secret');
    const messagesOnly = await deliver({ credentials: kirem, ...tap, events: ['message'] });
    expect(messagesOnly).toMatchObject({
      status: 200,
      body: { received: 1, accepted: 0 },
      items: undefined,
    });
    const buttons = await deliver({ credentials: kirem, ...tap, events: ['button'] });
    expect(buttons.items).toEqual([
      expect.objectContaining({ buttonId: 'btn_yes', text: 'Ya, bersedia' }),
    ]);

    const status = signed(
      JSON.stringify(metaWebhookStatus),
      'meta_app_secret',
      'x-hub-signature-256',
    );
    expect((await deliver({ credentials: meta, ...status })).items).toBeUndefined();
    const statuses = await deliver({ credentials: meta, ...status, events: ['status'] });
    expect(statuses.items).toEqual([expect.objectContaining({ kind: 'status', provider: 'meta' })]);
  });

  it('checks Meta’s signature over the exact bytes Meta sent', async () => {
    const { status, items } = await deliver({
      credentials: meta,
      ...signed(metaWebhookTextRawBody, 'meta_app_secret', 'x-hub-signature-256'),
    });
    expect(status).toBe(200);
    expect(items?.[0]).toMatchObject({ kind: 'message', provider: 'meta' });
  });

  it('answers Meta’s subscription handshake with the challenge, and 403 to a wrong token', async () => {
    const query = {
      'hub.mode': 'subscribe',
      'hub.challenge': '1158201444',
      'hub.verify_token': 'token-rahasia',
    };
    expect(await deliver({ credentials: meta, name: 'setup', query })).toMatchObject({
      status: 200,
      body: '1158201444',
    });
    const wrong = await deliver({
      credentials: meta,
      name: 'setup',
      query: { ...query, 'hub.verify_token': 'x' },
    });
    expect(wrong.status).toBe(403);
  });

  it('answers 400 to a signed body that is not a webhook', async () => {
    const { status, body } = await deliver({
      credentials: kirem,
      ...signed('[1,2]', 'kirem_webhook_secret'),
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_payload' });
  });
});

describe('Kabar WhatsApp Trigger with a missing or short webhook secret', () => {
  const activate = (credentials: Record<string, string>) => {
    const trigger = new KabarWhatsAppTrigger();
    const context = {
      getCredentials: async () => credentials,
      getNode: () => ({ name: 'Kabar WhatsApp Trigger' }),
    } as unknown as IHookFunctions;
    return trigger.webhookMethods.default.create.call(context);
  };

  it('refuses to activate, naming the setting', async () => {
    for (const webhookSecret of ['', 'rahasia']) {
      const refused = activate({ ...kirem, webhookSecret });
      await expect(refused).rejects.toBeInstanceOf(NodeOperationError);
      await expect(activate({ ...kirem, webhookSecret })).rejects.toThrow(/Webhook Secret/);
    }
    await expect(activate(kirem)).resolves.toBe(true);
  });

  it('answers 500 to a webhook signed with that short key and starts no run', async () => {
    const answer = await deliver({
      credentials: { ...kirem, webhookSecret: 'rahasia' },
      ...signed(kiremText, 'rahasia'),
    });
    expect(answer).toMatchObject({
      status: 500,
      body: { error: 'misconfigured' },
      items: undefined,
    });
    expect(JSON.stringify(answer.body)).not.toContain('rahasia');
  });
});
