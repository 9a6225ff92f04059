import { describe, expect, it } from 'vitest';
import * as seed from '../seed-examples.js';
import { call, expectedSignature, sleep, useReceiver } from '../test-helpers.js';
import { eventually, useSandbox } from '../vitest.js';
import { SERVICE_WINDOW_MS } from './service-window.js';

const customer = seed.sendText.to; // '6282360419136'

/**
 * Meta's 131047 as a failed status carries it. Code and details from Meta's error codes table,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 * ("131047 | More than 24 hours have passed since the recipient last replied to the sender
 * number. | Send the recipient a template message instead."), title "Re-engagement message"; the
 * entry's shape ({ code, title, message, error_data: { details }, href }) as in
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/errors
 * and the status webhook reference,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/
 */
const REENGAGEMENT = {
  code: 131047,
  title: 'Re-engagement message',
  message: 'Re-engagement message',
  error_data: {
    details:
      'More than 24 hours have passed since the recipient last replied to the sender number.',
  },
  href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
};
const STORED_ERROR = {
  code: 131047,
  title: 'Re-engagement message',
  message: 'Re-engagement message',
  details: REENGAGEMENT.error_data.details,
};

describe('the 24-hour customer service window, enforced', () => {
  const sandbox = useSandbox({ enforceWindow: true });
  const receiver = useReceiver();

  const sendMeta = (json: unknown = seed.sendText) =>
    call(`${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/messages`, {
      token: sandbox.meta.accessToken,
      json,
    });
  const sendKirem = (json: unknown = seed.sendText) =>
    call(`${sandbox.kirem.baseUrl}/v1/messages`, { token: sandbox.kirem.apiKey, json });
  // Meta status webhooks only (inbound messages are delivered too).
  const statusesOf = () =>
    receiver.received.flatMap((request) => request.json.entry[0].changes[0].value.statuses ?? []);

  it('accepts a free-form Meta message to a silent customer, then fails it with 131047', async () => {
    await sandbox.setWebhook('meta', { url: receiver.url, secret: 'app_secret' });
    const sent = await sendMeta();
    // Meta answers the send as a success: 200 with a wamid.
    expect(sent.status).toBe(200);
    const id = sent.body.messages[0].id;
    expect(id).toMatch(/^wamid\./);

    const stored = await sandbox.latest();
    expect(stored).toMatchObject({ id, status: 'failed', error: STORED_ERROR });

    const [request] = await receiver.waitFor(1);
    await sleep(60); // no 'sent', 'delivered' or 'read' follows
    expect(receiver.received).toHaveLength(1);
    expect(request?.json).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: sandbox.meta.wabaId,
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: '6281100001234',
                  phone_number_id: sandbox.meta.phoneNumberId,
                },
                statuses: [
                  {
                    id,
                    status: 'failed',
                    timestamp: expect.stringMatching(/^\d{10}$/),
                    recipient_id: customer,
                    errors: [REENGAGEMENT],
                  },
                ],
              },
              field: 'messages',
            },
          ],
        },
      ],
    });
    expect(request?.headers['x-hub-signature-256']).toBe(
      expectedSignature('app_secret', request?.raw ?? Buffer.alloc(0)),
    );
  });

  it('fails a free-form Kirem message the same way, with Kirem status events and logs', async () => {
    await sandbox.setWebhook('kirem', { url: receiver.url });
    const sent = await sendKirem();
    expect(sent.status).toBe(201);
    const id = sent.body.data.messages[0].id;
    expect(await sandbox.latest()).toMatchObject({ id, status: 'failed', error: STORED_ERROR });
    const [request] = await receiver.waitFor(1);
    expect(request?.json).toEqual({
      event: 'messages.status',
      data: {
        message_id: id,
        status: 'failed',
        recipient: customer,
        timestamp: expect.stringMatching(/^\d{10}$/),
        errors: [REENGAGEMENT],
      },
    });
    const logs = await call(`${sandbox.kirem.baseUrl}/v1/analytics/messages`, {
      token: sandbox.kirem.apiKey,
    });
    expect(logs.body.data.logs[0]).toMatchObject({
      message_id: id,
      status: 'failed',
      error_message: REENGAGEMENT.error_data.details,
    });
  });

  it('opens with an inbound message, closes 24 hours later and opens again at the next one', async () => {
    await sandbox.setWebhook('meta', { url: receiver.url });
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'Halo, pesanan saya?' });

    const inside = (await sendMeta()).body.messages[0].id;
    const delivered = await eventually(
      () => sandbox.messages({ direction: 'outbound' }),
      (messages) => messages.find((m) => m.id === inside)?.status === 'read',
    );
    expect(delivered.find((m) => m.id === inside)).toMatchObject({ status: 'read' });
    expect(delivered.find((m) => m.id === inside)?.error).toBeUndefined();

    // Just inside the window it still goes through; 1 ms past 24 hours it fails.
    const clock = await sandbox.advanceClock(SERVICE_WINDOW_MS - 60_000);
    expect(clock.offsetMs).toBe(SERVICE_WINDOW_MS - 60_000);
    const late = (await sendMeta()).body.messages[0].id;
    expect((await sandbox.messages()).find((m) => m.id === late)?.status).not.toBe('failed');

    await sandbox.advanceClock(60_000 + 1);
    const outside = (await sendMeta()).body.messages[0].id;
    expect((await sandbox.latest())?.id).toBe(outside);
    expect(await sandbox.latest()).toMatchObject({ status: 'failed', error: STORED_ERROR });
    await eventually(
      async () => statusesOf(),
      (statuses) => statuses.some((s) => s.id === outside),
    );
    expect(statusesOf().find((s) => s.id === outside)).toMatchObject({
      status: 'failed',
      errors: [REENGAGEMENT],
    });

    // The customer writes again: the window opens again.
    await sandbox.inbound({ provider: 'meta', from: customer, text: 'Masih ada?' });
    const again = (await sendMeta()).body.messages[0].id;
    expect((await sandbox.messages()).find((m) => m.id === again)?.status).not.toBe('failed');
  });

  it('keeps windows per customer, per provider and per business number', async () => {
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'via Kirem' });
    // Kirem's window says nothing about Meta's, nor about another customer.
    expect((await sendKirem()).status).toBe(201);
    expect((await sandbox.latest())?.status).not.toBe('failed');
    await sendMeta();
    expect((await sandbox.latest())?.status).toBe('failed');
    await sendKirem({ ...seed.sendText, to: '6281234567890' });
    expect((await sandbox.latest())?.status).toBe('failed');
  });

  it('keys a BSUID customer by user id', async () => {
    const userId = 'ID.1502576394655843';
    const toUser = {
      messaging_product: 'whatsapp',
      recipient: userId,
      type: 'text',
      text: { body: 'Hai' },
    };
    await sendMeta(toUser);
    expect((await sandbox.latest())?.status).toBe('failed');
    await sandbox.inbound({ provider: 'meta', userId, text: 'Halo' });
    await sendMeta(toUser);
    expect(await sandbox.latest()).toMatchObject({ userId, status: 'accepted' });
    // The number of a customer known only by BSUID has no window of its own.
    await sendMeta();
    expect((await sandbox.latest())?.status).toBe('failed');
  });

  it('always delivers templates, inside the window or not', async () => {
    await sandbox.setWebhook('meta', { url: receiver.url });
    const sent = await sendMeta(seed.sendOtpTemplate);
    expect(sent.status).toBe(200);
    const id = sent.body.messages[0].id;
    await receiver.waitFor(3);
    expect(statusesOf().map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    expect(await sandbox.latest()).toMatchObject({ id, type: 'template', status: 'read' });
  });

  it('fails reactions and every other non-template message outside the window', async () => {
    await sendMeta({
      messaging_product: 'whatsapp',
      to: customer,
      type: 'reaction',
      reaction: { message_id: 'wamid.customer', emoji: '👍' },
    });
    expect(await sandbox.latest()).toMatchObject({ type: 'reaction', status: 'failed' });
    await sendMeta({
      messaging_product: 'whatsapp',
      to: customer,
      type: 'image',
      image: { link: 'https://kabar.test/a.png' },
    });
    expect(await sandbox.latest()).toMatchObject({ type: 'image', status: 'failed' });
  });

  it('is switched off and on at run time, and reset() restores the option', async () => {
    expect(await sandbox.settings()).toEqual({ enforceWindow: true });
    expect(await sandbox.setEnforceWindow(false)).toEqual({ enforceWindow: false });
    await sendMeta();
    expect((await sandbox.latest())?.status).toBe('accepted');
    await sandbox.setEnforceWindow(true);
    await sendMeta();
    expect((await sandbox.latest())?.status).toBe('failed');

    await sandbox.setEnforceWindow(false);
    await sandbox.advanceClock(1000);
    await sandbox.reset();
    expect(await sandbox.settings()).toEqual({ enforceWindow: true });
    expect((await sandbox.clock()).offsetMs).toBe(0);
  });

  it('moves Meta timestamps and the block rule with the clock', async () => {
    await sandbox.setWebhook('meta', { url: receiver.url });
    await sandbox.advanceClock(SERVICE_WINDOW_MS * 2);
    const { message } = await sandbox.inbound({ provider: 'meta', from: customer, text: 'x' });
    expect(Date.parse(message.createdAt) - Date.now()).toBeGreaterThan(SERVICE_WINDOW_MS);
    const block = (user: string) =>
      call(`${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/block_users`, {
        token: sandbox.meta.accessToken,
        json: { messaging_product: 'whatsapp', block_users: [{ user }] },
      });
    expect((await block(customer)).status).toBe(200);
    await sandbox.advanceClock(SERVICE_WINDOW_MS + 1);
    expect((await block('6281234567890')).status).toBe(400);
    const [request] = await receiver.waitFor(1);
    const timestamp = Number(request?.json.entry[0].changes[0].value.messages[0].timestamp);
    expect(timestamp * 1000 - Date.now()).toBeGreaterThan(SERVICE_WINDOW_MS);
  });

  it('refuses bad settings and clock moves', async () => {
    const put = (json: unknown) => call(`${sandbox.url}/api/v1/settings`, { method: 'PUT', json });
    expect((await put({ enforceWindow: 'yes' })).body).toEqual({
      error: 'enforceWindow must be true or false',
    });
    expect((await put({ enforceWindows: true })).body).toEqual({
      error: 'unknown setting enforceWindows',
    });
    for (const advanceMs of [-1, 1.5, '10', undefined]) {
      const answer = await call(`${sandbox.url}/api/v1/clock`, { json: { advanceMs } });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('advanceMs must be a non-negative integer (milliseconds)');
    }
    await expect(sandbox.advanceClock(-5)).rejects.toThrow(/400/);
  });
});

describe('the 24-hour customer service window, not enforced (the default)', () => {
  const sandbox = useSandbox();

  it('delivers free-form messages to customers who never wrote', async () => {
    expect(await sandbox.settings()).toEqual({ enforceWindow: false });
    await sandbox.advanceClock(SERVICE_WINDOW_MS * 3);
    const sent = await call(
      `${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/messages`,
      { token: sandbox.meta.accessToken, json: seed.sendText },
    );
    expect(sent.status).toBe(200);
    const stored = await sandbox.latest();
    expect(stored?.status).toBe('accepted');
    expect(stored?.error).toBeUndefined();
  });

  it('can be turned on at run time, honouring customers who wrote before', async () => {
    await sandbox.inbound({ provider: 'kirem', from: customer, text: 'Halo' });
    await sandbox.setEnforceWindow(true);
    const send = (to: string) =>
      call(`${sandbox.kirem.baseUrl}/v1/messages`, {
        token: sandbox.kirem.apiKey,
        json: { ...seed.sendText, to },
      });
    await send(customer);
    expect((await sandbox.latest())?.status).toBe('accepted');
    await send('6281234567890');
    expect((await sandbox.latest())?.status).toBe('failed');
  });
});
