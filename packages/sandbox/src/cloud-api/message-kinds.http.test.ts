/*
 * The new Cloud API kinds through the real HTTP server, in both dialects that speak Meta's JSON.
 * Meta's pages for each kind are listed in message-kinds.test.ts; the ones this file leans on:
 * - authentication sends: https://developers.secure.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates/auth-otp-template-messages
 * - BSUID recipients: https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
 * - biz_opaque_callback_data: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * - typing indicators: https://developers.facebook.com/docs/whatsapp/cloud-api/typing-indicators
 */
import { describe, expect, it } from 'vitest';
import * as seed from '../seed-examples.js';
import { type Answer, call, type Received, useReceiver } from '../test-helpers.js';
import { useSandbox } from '../vitest.js';
import {
  authSend,
  authTemplate,
  base,
  carousel,
  customer,
  INTERACTIVE_EXAMPLES,
  interactive,
  urlCard,
} from './fixtures.js';

const sandbox = useSandbox();
const receiver = useReceiver();

type Dialect = 'meta' | 'kirem';
const DIALECTS: Dialect[] = ['meta', 'kirem'];

function send(dialect: Dialect, body: unknown): Promise<Answer> {
  return dialect === 'meta'
    ? call(`${sandbox.meta.baseUrl}/v23.0/${sandbox.meta.phoneNumberId}/messages`, {
        token: sandbox.meta.accessToken,
        json: body,
      })
    : call(`${sandbox.kirem.baseUrl}/v1/messages`, { token: sandbox.kirem.apiKey, json: body });
}

function markRead(dialect: Dialect, body: Record<string, unknown>): Promise<Answer> {
  return dialect === 'meta'
    ? send('meta', { ...body, status: 'read' })
    : call(`${sandbox.kirem.baseUrl}/v1/messages/read`, {
        token: sandbox.kirem.apiKey,
        json: body,
      });
}

/** The send response without its dialect's wrapper. */
const sent = (dialect: Dialect, answer: Answer) =>
  dialect === 'meta' ? answer.body : answer.body.data;
/** The Graph-style error: Meta's `error`, or what Kirem passes through in `errors`. */
const graphError = (dialect: Dialect, answer: Answer) =>
  dialect === 'meta' ? answer.body.error : answer.body.errors;
const okStatus = (dialect: Dialect) => (dialect === 'meta' ? 200 : 201);

async function createApproved(dialect: Dialect, template: Record<string, unknown>) {
  const created =
    dialect === 'meta'
      ? await call(`${sandbox.meta.baseUrl}/v23.0/${sandbox.meta.wabaId}/message_templates`, {
          token: sandbox.meta.accessToken,
          json: template,
        })
      : await call(`${sandbox.kirem.baseUrl}/v1/templates`, {
          token: sandbox.kirem.apiKey,
          json: template,
        });
  expect(created.status).toBe(200);
  await sandbox.setTemplateStatus(dialect, String(template.name), 'APPROVED');
}

describe.each(DIALECTS)('%s: the new interactive kinds over HTTP', (dialect) => {
  it.each(Object.entries(INTERACTIVE_EXAMPLES))('stores %s as sent', async (_name, content) => {
    const body = interactive(content);
    const answer = await send(dialect, body);
    expect(answer.status).toBe(okStatus(dialect));
    const id = sent(dialect, answer).messages[0].id;
    const stored = await sandbox.latest();
    expect(stored).toMatchObject({ id, provider: dialect, type: 'interactive', payload: body });
    const text = (content.body as { text?: string } | undefined)?.text;
    expect(stored?.text).toBe(text ?? `[${String(content.type)}]`);
  });

  it('refuses a carousel of one card, naming the field, and stores nothing', async () => {
    const answer = await send(dialect, interactive(carousel([urlCard(0)])));
    expect(answer.status).toBe(400);
    if (dialect === 'meta') {
      expect(answer.body.error).toMatchObject({
        code: 100,
        error_data: { details: 'interactive.action.cards: must have 2 to 10 cards' },
      });
    } else {
      expect(answer.body.errors).toEqual({ 'interactive.action.cards': 'must have 2 to 10 cards' });
    }
    expect(await sandbox.messages()).toEqual([]);
  });
});

describe.each(DIALECTS)('%s: authentication templates over HTTP', (dialect) => {
  it('creates a copy-code template and delivers its code with the button parameter', async () => {
    await createApproved(dialect, authTemplate('kode_masuk'));
    const answer = await send(dialect, authSend('kode_masuk', '482913'));
    expect(answer.status).toBe(okStatus(dialect));
    expect(await sandbox.latest()).toMatchObject({
      type: 'template',
      text: '482913 is your verification code. For your security, do not share this code.',
      template: {
        name: 'kode_masuk',
        category: 'AUTHENTICATION',
        code: '482913',
        footer: 'This code expires in 10 minutes.',
        buttons: ['Copy code'],
      },
    });
  });

  it('refuses the send without the button parameter, as other template refusals', async () => {
    await createApproved(dialect, authTemplate('kode_masuk'));
    const answer = await send(dialect, authSend('kode_masuk', '482913', null));
    expect(answer.status).toBe(400);
    expect(graphError(dialect, answer)).toMatchObject({
      message: '(#131008) Required parameter is missing',
      type: 'OAuthException',
      code: 131008,
      error_data: {
        messaging_product: 'whatsapp',
        details: expect.stringContaining("sub_type: 'url'"),
      },
    });
    const tooLong = await send(dialect, authSend('kode_masuk', '1234567890123456'));
    expect(graphError(dialect, tooLong)).toMatchObject({ code: 131009 });
    expect(await sandbox.messages()).toEqual([]);
  });

  it('refuses an authentication template to a BSUID-only recipient with 131062', async () => {
    const { to: _to, ...noPhone } = seed.sendOtpTemplate;
    const answer = await send(dialect, { ...noPhone, recipient: 'ID.1502576394655843' });
    expect(answer.status).toBe(400);
    expect(graphError(dialect, answer)).toMatchObject({
      message: '(#131062) Business-scoped User ID recipients are not supported for this message',
      code: 131062,
    });
  });
});

describe.each(DIALECTS)('%s: business-scoped user id recipients', (dialect) => {
  const text = { type: 'text', text: { body: 'Halo dari BSUID' } };
  const { to: _to, ...noPhone } = base;

  it('answers input and user_id, and stores the message under that user id', async () => {
    const userId = 'US.ENT.13491208655302741918';
    const answer = await send(dialect, { ...noPhone, recipient: userId, ...text });
    expect(answer.status).toBe(okStatus(dialect));
    expect(sent(dialect, answer).contacts).toEqual([{ input: userId, user_id: userId }]);
    const [stored] = await sandbox.messages({ userId });
    expect(stored).toMatchObject({
      direction: 'outbound',
      to: '',
      userId,
      text: 'Halo dari BSUID',
    });
  });

  it('lets to win over recipient', async () => {
    const answer = await send(dialect, { ...base, recipient: 'US.13491208655302741918', ...text });
    expect(sent(dialect, answer).contacts).toEqual([{ input: customer, wa_id: customer }]);
    expect((await sandbox.latest())?.userId).toBeUndefined();
  });
});

describe.each(DIALECTS)('%s: status webhooks', (dialect) => {
  const statusesOf = (json: Received['json']) =>
    dialect === 'meta' ? json.entry[0].changes[0].value.statuses[0] : json.data;

  it('echo biz_opaque_callback_data on every status', async () => {
    await sandbox.setWebhook(dialect, { url: receiver.url });
    await send(dialect, {
      ...base,
      type: 'text',
      text: { body: 'Pesanan dikirim' },
      biz_opaque_callback_data: 'order=A-1;campaign=juli',
    });
    const received = await receiver.waitFor(3);
    expect(received.map((request) => statusesOf(request.json))).toEqual(
      ['sent', 'delivered', 'read'].map((status) =>
        expect.objectContaining({ status, biz_opaque_callback_data: 'order=A-1;campaign=juli' }),
      ),
    );
  });

  it('name a BSUID recipient by recipient_user_id', async () => {
    await sandbox.setWebhook(dialect, { url: receiver.url });
    const { to: _to, ...noPhone } = base;
    const userId = 'ID.1502576394655843';
    await send(dialect, { ...noPhone, recipient: userId, type: 'text', text: { body: 'x' } });
    const [first] = await receiver.waitFor(1);
    const status = statusesOf(first?.json);
    expect(status.recipient_user_id).toBe(userId);
    if (dialect === 'meta') expect(status).not.toHaveProperty('recipient_id');
    else expect(status.recipient).toBe(userId);
  });
});

describe.each(DIALECTS)('%s: typing indicators', (dialect) => {
  it('accept a read receipt with a text typing indicator and record it', async () => {
    const answer = await markRead(dialect, {
      ...seed.readReceipt,
      typing_indicator: { type: 'text' },
    });
    expect(answer.status).toBe(200);
    expect(await sandbox.reads(dialect)).toMatchObject([
      { messageId: seed.readReceipt.message_id, typing: true },
    ]);
    const wrong = await markRead(dialect, {
      ...seed.readReceipt,
      typing_indicator: { type: 'dots' },
    });
    expect(wrong.status).toBe(400);
  });
});
