import { computeSignature, parseWebhook } from '@kabar/core/webhooks';
import {
  kiremWebhookButtonReply,
  metaWebhookStatus,
  metaWebhookTextRawBody,
  waviroKeywordPayload,
  waviroNotifyPayload,
} from '@kabar/sandbox/seed-examples';
import { type IHookFunctions, NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { type WebhookCall, webhookContext } from '../../shared/test-context';
import { filterOf, itemOf, KabarWhatsAppTrigger } from './KabarWhatsAppTrigger.node';

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
    expect(messagesOnly).toMatchObject({ status: 200, body: { received: 1 }, items: undefined });
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

const waviroCredentials = {
  gateway: 'waviro',
  botUrl: 'http://127.0.0.1:9/waviro',
  secretKey: 'unused',
  webhookSecret: 'kunci-webhook-penawaran',
};
const keywordCall = (webhookkey = waviroCredentials.webhookSecret) =>
  JSON.stringify({ ...waviroKeywordPayload, webhookkey });

describe('Kabar WhatsApp Trigger with Waviro keyword calls', () => {
  it('answers the call with the Keyword Reply and starts a run with the keyword and its data', async () => {
    const answer = await deliver({
      credentials: waviroCredentials,
      rawBody: keywordCall(),
      keywordReply: 'Terima kasih, penawaran segera kami kirim.',
    });
    expect(answer).toMatchObject({
      status: 200,
      body: {
        success: true,
        message: {
          reply: [{ type: 'message', content: 'Terima kasih, penawaran segera kami kirim.' }],
        },
      },
    });
    expect(answer.items).toEqual([
      expect.objectContaining({
        kind: 'message',
        provider: 'waviro',
        from: waviroKeywordPayload.from,
        text: 'penawaran#',
        content: { type: 'keyword', keyword: 'penawaran#', data: waviroKeywordPayload.data },
      }),
    ]);
  });

  it('answers with no reply when none is set, and each call starts a run (they carry no id)', async () => {
    const call = { credentials: waviroCredentials, rawBody: keywordCall(), webhookId: 'waviro-1' };
    const first = await deliver(call);
    expect(first).toMatchObject({ status: 200, body: { success: true, message: { reply: [] } } });
    expect((await deliver(call)).items).toHaveLength(1);
  });

  it('answers 401 to a call with another webhook key and starts no run', async () => {
    const answer = await deliver({
      credentials: waviroCredentials,
      rawBody: keywordCall('kunci-yang-lain-sekali'),
    });
    expect(answer).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
    expect(answer.items).toBeUndefined();
  });

  it('takes Waviro’s delivery acks as status updates', async () => {
    const answer = await deliver({
      credentials: waviroCredentials,
      rawBody: JSON.stringify(waviroNotifyPayload),
      events: ['status'],
    });
    expect(answer.items).toEqual([
      expect.objectContaining({
        kind: 'status',
        provider: 'waviro',
        messageId: waviroNotifyPayload.msgid,
        status: 'read',
      }),
    ]);
  });

  it('activates with a Waviro credential, and refuses gateways that send no webhooks', async () => {
    const activate = (credentials: Record<string, string>) =>
      new KabarWhatsAppTrigger().webhookMethods.default.create.call({
        getCredentials: async () => credentials,
        getNode: () => ({ name: 'Kabar WhatsApp Trigger' }),
      } as unknown as IHookFunctions);
    await expect(activate(waviroCredentials)).resolves.toBe(true);
    await expect(activate({ ...waviroCredentials, gateway: 'qirim' })).rejects.toThrow(
      /use one of meta, kirem, waviro, fonnte, wablas/,
    );
  });
});

describe('Kabar WhatsApp Trigger and redeliveries', () => {
  it('answers a replay 200 again without starting a second run', async () => {
    const call = {
      credentials: kirem,
      ...signed(kiremText, 'kirem_webhook_secret'),
      webhookId: 'replayed',
    };
    const first = await deliver(call);
    const again = await deliver(call);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.items).toHaveLength(1);
    expect(again.items).toBeUndefined();
    // Another trigger (another URL) that gets the same delivery still runs.
    expect((await deliver({ ...call, webhookId: 'another-trigger' })).items).toHaveLength(1);
  });

  it('logs a bad signature’s cause once, not once a request', async () => {
    const call = {
      credentials: kirem,
      ...signed(kiremText, 'another-secret'),
      webhookId: 'forged-twice',
    };
    const first = await deliver(call);
    const again = await deliver(call);
    expect([first.status, again.status]).toEqual([401, 401]);
    expect([first.logs, again.logs]).toEqual([[expect.stringMatching(/signature/)], []]);
  });
});

const metaChange = (field: string, value: object) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '9876543210', time: 1767225660, changes: [{ field, value }] }],
  });
const metadata = { display_phone_number: '6281100001234', phone_number_id: '1234567890' };
const newKinds = {
  played: metaChange('messages', {
    messaging_product: 'whatsapp',
    metadata,
    statuses: [
      {
        id: 'wamid.voice-1',
        status: 'played',
        timestamp: '1767225660',
        recipient_id: '6281234567890',
      },
    ],
  }),
  template: metaChange('message_template_status_update', {
    event: 'APPROVED',
    message_template_id: 1234,
    message_template_name: 'promo_diskon',
    message_template_language: 'id',
    reason: 'NONE',
  }),
  account: metaChange('account_update', {
    event: 'VERIFIED_ACCOUNT',
    phone_number: '6281100001234',
  }),
  echo: metaChange('smb_message_echoes', {
    messaging_product: 'whatsapp',
    metadata,
    message_echoes: [
      {
        from: '6281100001234',
        to: '6281234567890',
        id: 'wamid.echo-1',
        timestamp: '1767225660',
        type: 'text',
        text: { body: 'Halo dari aplikasi' },
      },
    ],
  }),
  preference: metaChange('user_preferences', {
    messaging_product: 'whatsapp',
    metadata,
    user_preferences: [
      {
        wa_id: '6281234567890',
        category: 'marketing_messages',
        value: 'stop',
        timestamp: 1767225660,
      },
    ],
  }),
  unknown: metaChange('some_future_field', { x: 1 }),
};

describe('Kabar WhatsApp Trigger and the other event kinds', () => {
  const metaSigned = (rawBody: string) => signed(rawBody, 'meta_app_secret', 'x-hub-signature-256');

  it('sorts every kind under one filter', () => {
    const kinds = Object.fromEntries(
      Object.entries(newKinds).map(([name, body]) => [
        name,
        parseWebhook(body).map((event) => `${event.kind}:${filterOf(event)}`),
      ]),
    );
    expect(kinds).toEqual({
      played: ['status:status'],
      template: ['template_status:account'],
      account: ['account_update:account'],
      echo: ['echo:other'],
      preference: ['user_preference:other'],
      unknown: ['unknown:other'],
    });
  });

  it('starts no run for template, account and other events unless their filter is chosen', async () => {
    for (const body of [newKinds.template, newKinds.echo, newKinds.preference, newKinds.unknown]) {
      const answer = await deliver({ credentials: meta, ...metaSigned(body) });
      expect(answer).toMatchObject({ status: 200, body: { received: 1 }, items: undefined });
    }
    const account = await deliver({
      credentials: meta,
      ...metaSigned(newKinds.template),
      events: ['account'],
    });
    expect(account.items).toEqual([
      expect.objectContaining({ kind: 'template_status', event: 'APPROVED', name: 'promo_diskon' }),
    ]);
    const other = await deliver({
      credentials: meta,
      ...metaSigned(newKinds.echo),
      events: ['other'],
    });
    expect(other.items).toEqual([
      expect.objectContaining({ kind: 'echo', to: '6281234567890', text: 'Halo dari aplikasi' }),
    ]);
  });

  it('passes a voice message’s played status to status flows', async () => {
    const answer = await deliver({
      credentials: meta,
      ...metaSigned(newKinds.played),
      events: ['status'],
    });
    expect(answer.items).toEqual([
      expect.objectContaining({
        kind: 'status',
        status: 'played',
        messageId: 'wamid.voice-1',
        errors: [],
        timestamp: '2026-01-01T00:01:00.000Z',
      }),
    ]);
  });

  it('makes items plain JSON: dates as ISO strings, the text on top', () => {
    const [preference] = parseWebhook(newKinds.preference);
    expect(preference && itemOf(preference)).toMatchObject({
      kind: 'user_preference',
      value: 'stop',
      timestamp: '2026-01-01T00:01:00.000Z',
    });
    const [keyword] = parseWebhook(keywordCall(), {
      waviroWebhookKey: waviroCredentials.webhookSecret,
    });
    expect(keyword && itemOf(keyword)).toMatchObject({ text: 'penawaran#' });
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
