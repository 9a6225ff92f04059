import { describe, expect, it } from 'vitest';
import * as seed from '../seed-examples.js';
import { call, expectedSignature, sleep, useReceiver } from '../test-helpers.js';
import { useSandbox } from '../vitest.js';

const sandbox = useSandbox();

const receiver = useReceiver();

const sendKirem = () =>
  call(`${sandbox.kirem.baseUrl}/v1/messages`, {
    token: sandbox.kirem.apiKey,
    json: seed.sendText,
  });
const sendMeta = () =>
  call(`${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/messages`, {
    token: sandbox.meta.accessToken,
    json: seed.sendText,
  });

describe('status webhooks', () => {
  it('posts Meta statuses sent, delivered and read in order, and the stored status follows', async () => {
    await sandbox.setWebhook('meta', { url: receiver.url, secret: 'app_secret' });
    const id = (await sendMeta()).body.messages[0].id;
    const received = await receiver.waitFor(3);

    const statuses = received.map((request) => request.json.entry[0].changes[0].value.statuses[0]);
    expect(statuses).toEqual(
      ['sent', 'delivered', 'read'].map((status) => ({
        id,
        status,
        timestamp: expect.stringMatching(/^\d{10}$/),
        recipient_id: '6282360419136',
      })),
    );
    expect(Object.keys(received[1]?.json.entry[0].changes[0].value)).toEqual(
      Object.keys(seed.metaWebhookStatus.entry[0]?.changes[0]?.value ?? {}),
    );
    for (const request of received) {
      expect(request.headers['x-hub-signature-256']).toBe(
        expectedSignature('app_secret', request.raw),
      );
    }
    expect((await sandbox.latest())?.status).toBe('read');
    const log = await sandbox.deliveries({ provider: 'meta' });
    expect(log.map((delivery) => delivery.kind)).toEqual(['status', 'status', 'status']);
  });

  it('posts Kirem messages.status events and shows the status in Kirem message logs', async () => {
    await sandbox.setWebhook('kirem', { url: receiver.url });
    const id = (await sendKirem()).body.data.messages[0].id;
    const received = await receiver.waitFor(3);
    expect(received.map((request) => request.json)).toEqual(
      ['sent', 'delivered', 'read'].map((status) => ({
        event: 'messages.status',
        data: {
          message_id: id,
          status,
          recipient: '6282360419136',
          timestamp: expect.stringMatching(/^\d{10}$/),
        },
      })),
    );
    expect(received[0]?.headers['x-kirem-signature']).toBe(
      expectedSignature('kirem_webhook_secret', received[0]?.raw ?? Buffer.alloc(0)),
    );
    const logs = await call(`${sandbox.kirem.baseUrl}/v1/analytics/messages`, {
      token: sandbox.kirem.apiKey,
    });
    expect(logs.body.data.logs[0]).toMatchObject({ message_id: id, status: 'read' });
    const hooks = await call(`${sandbox.kirem.baseUrl}/v1/analytics/webhooks`, {
      token: sandbox.kirem.apiKey,
    });
    expect(hooks.body.data.logs).toHaveLength(3);
    expect(hooks.body.data.logs[0]).toMatchObject({
      url: receiver.url,
      event: 'messages.status',
      status_code: 200,
      is_success: true,
    });
  });

  it('leaves a message accepted when the provider has no webhook', async () => {
    await sendMeta();
    await sleep(60);
    expect((await sandbox.latest())?.status).toBe('accepted');
    expect(await sandbox.deliveries()).toEqual([]);
  });

  it('forces a failed status with Meta errors and stops the automatic progression', async () => {
    await sandbox.setWebhook('meta', { url: receiver.url });
    const id = (await sendMeta()).body.messages[0].id;
    const forced = await sandbox.setMessageStatus(id, 'failed', {
      code: 131047,
      title: 'Re-engagement message',
    });
    expect(forced.message).toMatchObject({
      status: 'failed',
      error: { code: 131047, title: 'Re-engagement message' },
    });
    expect(forced.deliveries).toHaveLength(1);
    await sleep(80);

    const statuses = receiver.received.map(
      (request) => request.json.entry[0].changes[0].value.statuses[0],
    );
    // 'sent' may already be on its way when the force arrives; nothing follows 'failed'.
    expect(statuses.map((status) => status.status)).not.toContain('read');
    expect(statuses.at(-1)).toMatchObject({
      status: 'failed',
      id,
      errors: [{ code: 131047, title: 'Re-engagement message' }],
    });
    expect((await sandbox.latest())?.status).toBe('failed');
  });

  it('uses a default failure reason and posts Kirem errors', async () => {
    await sandbox.setWebhook('kirem', { url: receiver.url });
    const id = (await sendKirem()).body.data.messages[0].id;
    await sandbox.setMessageStatus(id, 'failed');
    await sleep(60);
    // On a busy machine the automatic 'sent' can beat the forced status; only 'failed' matters here.
    const statuses = receiver.received.map((request) => request.json.data);
    expect(statuses.filter((data) => data.status !== 'sent')).toEqual([
      expect.objectContaining({
        status: 'failed',
        errors: [{ code: 131026, title: 'Message undeliverable' }],
      }),
    ]);
  });

  it('forces played on a Meta voice message after it was read', async () => {
    await sandbox.setWebhook('meta', { url: receiver.url, secret: 'app_secret' });
    const voice = {
      messaging_product: 'whatsapp',
      to: '6281234567890',
      type: 'audio',
      audio: { link: 'https://kabar.test/voice.ogg' },
    };
    const sent = await call(
      `${sandbox.meta.baseUrl}/v21.0/${sandbox.meta.phoneNumberId}/messages`,
      { token: sandbox.meta.accessToken, json: voice },
    );
    const id = sent.body.messages[0].id;
    await receiver.waitFor(3); // sent, delivered, read

    const played = await sandbox.setMessageStatus(id, 'played');
    expect(played.message).toMatchObject({ id, type: 'audio', status: 'played' });
    const [request] = await receiver.waitFor(4).then((all) => all.slice(3));
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
                    status: 'played',
                    timestamp: expect.stringMatching(/^\d{10}$/),
                    recipient_id: '6281234567890',
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
    expect(played.deliveries).toEqual([
      expect.objectContaining({ kind: 'status', status: 200, body: request?.raw.toString() }),
    ]);
    expect((await sandbox.latest())?.status).toBe('played');
  });

  it('posts played as a Kirem messages.status event', async () => {
    await sandbox.setWebhook('kirem', { url: receiver.url });
    const sent = await call(`${sandbox.kirem.baseUrl}/v1/messages`, {
      token: sandbox.kirem.apiKey,
      json: {
        messaging_product: 'whatsapp',
        to: '62812345678',
        type: 'audio',
        audio: { link: 'https://kabar.test/voice.ogg' },
      },
    });
    const id = sent.body.data.messages[0].id;
    await sandbox.setMessageStatus(id, 'played');
    await sleep(60);
    expect(receiver.received.map((request) => request.json.data)).toContainEqual({
      message_id: id,
      status: 'played',
      recipient: '62812345678',
      timestamp: expect.stringMatching(/^\d{10}$/),
    });
  });

  it('refuses played on messages that are not Kirem or Meta audio', async () => {
    const status = (messageId: string) =>
      call(`${sandbox.url}/api/v1/messages/${messageId}/status`, { json: { status: 'played' } });
    const text = (await sendMeta()).body.messages[0].id;
    expect(await status(text)).toMatchObject({
      status: 400,
      body: { error: "status 'played' is for audio (voice) messages only" },
    });
    const waviro = await call(`${sandbox.waviro.botUrl}/api/sendmedia`, {
      headers: { secretkey: sandbox.waviro.secretKey },
      json: { nohp: '6281234567890', mediaurl: 'https://kabar.test/voice.ogg' },
    });
    expect(waviro.status).toBe(200);
    const [voice] = await sandbox.messages({ provider: 'waviro' });
    expect(voice?.type).toBe('audio');
    expect((await status(voice?.id ?? '')).body.error).toMatch(/Kirem and Meta messages only/);
    expect(receiver.received).toEqual([]);
  });

  it('refuses unknown statuses, unknown messages and inbound messages', async () => {
    const id = (await sendMeta()).body.messages[0].id;
    const status = (messageId: string, json: unknown) =>
      call(`${sandbox.url}/api/v1/messages/${messageId}/status`, { json });
    expect((await status(id, { status: 'sent' })).status).toBe(400);
    expect((await status(id, { status: 'sent' })).body.error).toBe(
      'status must be one of failed, delivered, read, played',
    );
    expect((await status(id, { status: 'read', error: { code: 1, title: 'x' } })).status).toBe(400);
    expect((await status('wamid.nope', { status: 'read' })).status).toBe(404);
    const inbound = await sandbox.inbound({ provider: 'meta', from: '6281234567890', text: 'a' });
    expect((await status(inbound.message.id, { status: 'read' })).status).toBe(400);
  });
});
