import { gatewayNamed } from '@kabar/core/gateways';
import { computeSignature, parseWebhook, WEBHOOK_PROVIDERS } from '@kabar/core/webhooks';
import {
  kiremWebhookButtonReply,
  metaWebhookStatus,
  metaWebhookTextRawBody,
  waviroKeywordPayload,
  waviroNotifyPayload,
} from '@kabar/sandbox/seed-examples';
import {
  type IHookFunctions,
  type IHttpRequestOptions,
  type INodeParameters,
  NodeHelpers,
  NodeOperationError,
} from 'n8n-workflow';
import { beforeEach, describe, expect, it } from 'vitest';
import { type WebhookCall, webhookContext } from '../../shared/test-context';
import { filterOf, itemOf, KabarWhatsAppTrigger } from './KabarWhatsAppTrigger.node';
import { setupNotices } from './setup-notices';

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

interface TriggerCall extends WebhookCall {
  /** The trigger's Gateway; default: the credential's. */
  gateway?: string;
  /** The trigger's Answer Keyword Calls (Waviro). */
  keywordAnswer?: 'immediately' | 'lastNode';
  /** The node's parameters as saved in a workflow, used instead of the fields above. */
  saved?: INodeParameters;
}

/**
 * The trigger's parameters as n8n hands them to the node for a saved workflow, with n8n's own
 * code: a missing parameter gets its default, and one its display options hide is dropped.
 */
function resolved(saved: INodeParameters): INodeParameters {
  const { description } = new KabarWhatsAppTrigger();
  return (
    NodeHelpers.getNodeParameters(description.properties, saved, true, false, null, description) ??
    {}
  );
}

const parameterReader =
  (parameters: INodeParameters) =>
  (name: string, fallback?: unknown): unknown =>
    parameters[name] ?? fallback;

async function deliver(call: TriggerCall) {
  const { context, answer } = webhookContext(call);
  const parameters = resolved(
    call.saved ?? {
      gateway: call.gateway ?? String(call.credentials.gateway),
      events: call.events ?? ['message', 'button'],
      keywordAnswer: call.keywordAnswer ?? 'immediately',
      keywordReply: call.keywordReply ?? '',
    },
  );
  const result = await new KabarWhatsAppTrigger().webhook.call({
    ...context,
    getNodeParameter: parameterReader(parameters),
  } as typeof context);
  return {
    ...answer,
    items: result.workflowData?.[0]?.map((item) => item.json),
    /** False when the trigger left the answer to n8n (When Last Node Finishes). */
    answeredByTrigger: result.noWebhookResponse === true,
  };
}

/** Runs the trigger's activation check for a credential and the trigger's saved parameters. */
function activate(
  credentials: Record<string, string>,
  saved: INodeParameters = { gateway: credentials.gateway ?? '' },
) {
  return new KabarWhatsAppTrigger().webhookMethods.default.create.call({
    getCredentials: async () => credentials,
    getNodeParameter: parameterReader(resolved(saved)),
    getNode: () => ({ name: 'Kabar WhatsApp Trigger' }),
  } as unknown as IHookFunctions);
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

  it("gives Fonnte's read callback, named only by stateid, the send id of the first callback", async () => {
    const fonnte = { gateway: 'fonnte', token: 'unused', webhookSecret: 'fonnte_webhook_secret' };
    const callback = (payload: object) =>
      deliver({
        credentials: fonnte,
        rawBody: JSON.stringify(payload),
        query: { secret: fonnte.webhookSecret },
        events: ['status'],
        webhookId: 'fonnte-statuses',
      });
    const stateid = '3EB0C0FFEE0042';
    const sent = await callback({ device: '6281100001111', id: 80367170, stateid, status: 'sent' });
    const read = await callback({ device: '6281100001111', stateid, state: 'read' });
    expect([...(sent.items ?? []), ...(read.items ?? [])]).toEqual([
      expect.objectContaining({ kind: 'status', status: 'sent', messageId: '80367170' }),
      expect.objectContaining({ kind: 'status', status: 'read', messageId: '80367170' }),
    ]);
  });

  it('activates with a Waviro credential, and refuses gateways that send no webhooks', async () => {
    await expect(activate(waviroCredentials)).resolves.toBe(true);
    const qirim = activate({ ...waviroCredentials, gateway: 'qirim' }, { gateway: 'waviro' });
    await expect(qirim).rejects.toThrow(
      "The credential is for Qirim, but the trigger's Gateway is Waviro",
    );
    await expect(qirim).rejects.toMatchObject({
      description: 'Qirim sends no webhooks the trigger can check: choose a Waviro credential.',
    });
  });
});

describe('Kabar WhatsApp Trigger answering keyword calls When Last Node Finishes', () => {
  const lastNode = { credentials: waviroCredentials, keywordAnswer: 'lastNode' as const };

  it('leaves the answer to n8n and starts the run with the keyword and its data', async () => {
    const answer = await deliver({ ...lastNode, rawBody: keywordCall() });
    // Nothing written yet: n8n answers with the last node's first item once the run finishes.
    expect(answer).toMatchObject({ status: 0, body: undefined, answeredByTrigger: false });
    expect(answer.items).toEqual([
      expect.objectContaining({
        from: waviroKeywordPayload.from,
        text: 'penawaran#',
        content: { type: 'keyword', keyword: 'penawaran#', data: waviroKeywordPayload.data },
      }),
    ]);
  });

  it('still answers a wrong webhook key (401), an ack and a filtered-out call itself', async () => {
    const forged = await deliver({ ...lastNode, rawBody: keywordCall('kunci-yang-lain-sekali') });
    expect(forged).toMatchObject({ status: 401, answeredByTrigger: true, items: undefined });

    const ack = await deliver({
      ...lastNode,
      rawBody: JSON.stringify(waviroNotifyPayload),
      events: ['status'],
    });
    expect(ack).toMatchObject({ status: 200, answeredByTrigger: true });
    expect(ack.items).toHaveLength(1);

    const filtered = await deliver({ ...lastNode, rawBody: keywordCall(), events: ['status'] });
    expect(filtered).toMatchObject({
      status: 200,
      body: { success: true, message: { reply: [] } },
      answeredByTrigger: true,
      items: undefined,
    });
  });
});

describe('Kabar WhatsApp Trigger and its Gateway setting', () => {
  it('refuses to activate with a credential for another gateway, saying how to fix it', async () => {
    const refused = activate(kirem, { gateway: 'meta' });
    await expect(refused).rejects.toBeInstanceOf(NodeOperationError);
    await expect(refused).rejects.toThrow(
      "The credential is for Kirem, but the trigger's Gateway is Meta Cloud API",
    );
    await expect(refused).rejects.toMatchObject({
      description:
        'Choose a Meta Cloud API credential, or set Gateway to Kirem or From Credential.',
    });
    await expect(activate(meta, { gateway: 'meta' })).resolves.toBe(true);
  });

  it('answers 500 to a webhook for a trigger whose credential is for another gateway', async () => {
    const answer = await deliver({
      credentials: kirem,
      gateway: 'meta',
      ...signed(kiremText, 'kirem_webhook_secret'),
    });
    expect(answer).toMatchObject({
      status: 500,
      body: { error: 'misconfigured' },
      items: undefined,
    });
  });

  it('shows one setup notice per gateway, naming what proves its requests', () => {
    const shownFor = setupNotices.map((notice) => notice.displayOptions?.show?.gateway);
    expect(shownFor.sort()).toEqual(
      ['credential', ...WEBHOOK_PROVIDERS].map((gateway) => [gateway]).sort(),
    );
    for (const gateway of WEBHOOK_PROVIDERS) {
      const text = setupNotices.find((notice) =>
        notice.displayOptions?.show?.gateway?.includes(gateway),
      )?.displayName;
      // The header, body field or query parameter core's registry checks for this gateway.
      const auth = gatewayNamed(gateway).webhook?.auth;
      const proof =
        auth?.scheme === 'hmac-sha256'
          ? auth.header
          : auth?.scheme === 'body-key'
            ? auth.field
            : `?${auth?.queryParam}=`;
      expect(text?.toLowerCase()).toContain(proof.toLowerCase());
      expect(text).toContain("credential's Webhook Secret");
    }
    const metaNotice = setupNotices.find((notice) => notice.name === 'metaSetup');
    expect(metaNotice?.displayName).toContain("credential's Verify Token");
  });
});

describe('Kabar WhatsApp Trigger saved before it had a Gateway setting', () => {
  const metaMessage = signed(metaWebhookTextRawBody, 'meta_app_secret', 'x-hub-signature-256');

  it('activates with a Meta or Waviro credential and takes that gateway’s webhooks', async () => {
    await expect(activate(meta, {})).resolves.toBe(true);
    await expect(activate(waviroCredentials, {})).resolves.toBe(true);
    const answer = await deliver({ credentials: meta, saved: {}, ...metaMessage });
    expect(answer.status).toBe(200);
    expect(answer.items).toEqual([expect.objectContaining({ kind: 'message', provider: 'meta' })]);
  });

  it('keeps a Waviro trigger’s Keyword Reply', async () => {
    const answer = await deliver({
      credentials: waviroCredentials,
      saved: { keywordReply: 'Terima kasih, penawaran segera kami kirim.' },
      rawBody: keywordCall(),
    });
    expect(answer.body).toEqual({
      success: true,
      message: {
        reply: [{ type: 'message', content: 'Terima kasih, penawaran segera kami kirim.' }],
      },
    });
  });

  it('still refuses a credential for a gateway that sends no webhooks', async () => {
    const refused = activate({ ...kirem, gateway: 'qirim' }, {});
    await expect(refused).rejects.toThrow(
      'The credential is for Qirim, which sends no webhooks the trigger can check',
    );
    await expect(refused).rejects.toMatchObject({
      description: expect.stringMatching(/^Choose a credential for .*Meta Cloud API.*Waviro\.$/),
    });
  });

  it('shows the general setup notice, not a gateway’s, for a new or saved trigger', () => {
    const shown = Object.keys(resolved({})).filter((name) => name.endsWith('Setup'));
    expect(shown).toEqual(['credentialSetup']);
    expect(Object.keys(resolved({ gateway: 'meta' })).filter((n) => n.endsWith('Setup'))).toEqual([
      'metaSetup',
    ]);
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

describe('Kabar WhatsApp Trigger and Send and Wait reply buttons', () => {
  // Stands in for n8n's HTTP client and its own waiting webhooks (the e2e suite posts for real):
  // records what the trigger asks for and answers `status`.
  const posted: IHttpRequestOptions[] = [];
  let status = 200;
  const httpRequest = async (options: IHttpRequestOptions) => {
    posted.push(options);
    return { statusCode: status, headers: {}, body: '' };
  };
  const origin = 'https://n8n.toko.example';
  beforeEach(() => {
    posted.length = 0;
    status = 200;
  });

  const tap = (id: string, base = '') => {
    const body = JSON.stringify({
      event: 'messages.received',
      data: {
        from: '6281234567890',
        message_id: `wamid.tap-${Math.random()}`,
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id, title: 'Ya, kirim' } },
      },
    });
    return deliver({
      credentials: kirem,
      ...signed(body, 'kirem_webhook_secret'),
      webhookUrl: `${origin}${base}/webhook/trigger-1/webhook`,
      httpRequest,
    });
  };

  it('posts the answer to the resume URL on its own n8n, and starts no run', async () => {
    const answered = await tap('kabar-wait:/webhook-waiting/42/node-1?signature=abc123#kirim');
    expect(answered).toMatchObject({ status: 200, items: undefined });
    expect(posted).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: `${origin}/webhook-waiting/42/node-1?signature=abc123`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'answer=kirim',
      }),
    ]);

    // n8n served under a path: the waiting webhooks are under the same one.
    await tap('kabar-wait:/n8n/webhook-waiting/43/node-1?signature=def#a%20b&c', '/n8n');
    expect(posted[1]).toMatchObject({
      url: `${origin}/n8n/webhook-waiting/43/node-1?signature=def`,
      body: new URLSearchParams({ answer: 'a%20b&c' }).toString(),
    });
  });

  it('refuses a button id that points outside its waiting webhooks, and starts no run', async () => {
    const crafted = [
      'kabar-wait:/rest/workflows?signature=x#kirim',
      'kabar-wait:/webhook-waiting/../rest/login#kirim',
      'kabar-wait://evil.example/webhook-waiting/42/node-1#kirim',
      'kabar-wait:http://evil.example/webhook-waiting/42/node-1#kirim',
    ];
    for (const id of crafted) {
      const answered = await tap(id);
      expect(answered).toMatchObject({ status: 200, items: undefined });
      expect(answered.logs).toEqual([
        'Kabar WhatsApp Trigger: ignored a Send and Wait button whose path is not under /webhook-waiting/',
      ]);
    }
    expect(posted).toEqual([]);
  });

  it('logs an answer for an execution that no longer waits, and still answers 200', async () => {
    status = 404;
    const answered = await tap('kabar-wait:/webhook-waiting/41/node-1?signature=abc123#kirim');
    expect(answered).toMatchObject({ status: 200, items: undefined });
    expect(answered.logs).toEqual([
      'Kabar WhatsApp Trigger: a Send and Wait answer came for an execution that no longer waits (/webhook-waiting/41/node-1 answered 404)',
    ]);
  });

  it('passes other button taps on as before', async () => {
    const answered = await tap('btn_yes');
    expect(answered.items).toEqual([expect.objectContaining({ buttonId: 'btn_yes' })]);
    expect(posted).toEqual([]);
  });
});
