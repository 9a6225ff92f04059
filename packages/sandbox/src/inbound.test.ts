import { beforeEach, describe, expect, it } from 'vitest';
import * as seed from './seed-examples.js';
import { call, expectedSignature, useReceiver } from './test-helpers.js';
import { useSandbox } from './vitest.js';

const sandbox = useSandbox();

const receiver = useReceiver();
beforeEach(async () => {
  await sandbox.setWebhook('meta', { url: `${receiver.url}/meta` });
  await sandbox.setWebhook('kirem', { url: `${receiver.url}/kirem`, secret: 'my_kirem_secret' });
});

const BUSINESS = '6281100001234';

describe('Meta inbound webhooks', () => {
  it('posts a text in the Cloud API envelope, signed over the escaped raw body', async () => {
    const text = 'Halo 👋 kopi ☕ di https://kabar.id/menu, café';
    const { message, deliveries } = await sandbox.inbound({
      provider: 'meta',
      from: '+62 812-3456-7890',
      name: 'Budi Śantoso',
      text,
    });

    const [request] = receiver.received;
    expect(request?.path).toBe('/meta');
    const raw = request?.raw.toString('utf8') ?? '';
    // Meta's serialisation: no raw non-ASCII byte, no bare '/', lowercase \u escapes.
    expect([...raw].every((char) => char.charCodeAt(0) < 0x80)).toBe(true);
    expect(raw).toContain(
      'Halo \\ud83d\\udc4b kopi \\u2615 di https:\\/\\/kabar.id\\/menu, caf\\u00e9',
    );
    expect(raw).toContain('"name":"Budi \\u015aantoso"');
    expect(request?.headers['x-hub-signature-256']).toBe(
      expectedSignature('meta_app_secret', request?.raw ?? Buffer.alloc(0)),
    );
    expect(request?.headers['content-type']).toBe('application/json');

    expect(request?.json).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: sandbox.meta.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: BUSINESS,
                  phone_number_id: sandbox.meta.phoneNumberId,
                },
                contacts: [{ profile: { name: 'Budi Śantoso' }, wa_id: '6281234567890' }],
                messages: [
                  {
                    from: '6281234567890',
                    id: message.id,
                    timestamp: expect.stringMatching(/^\d{10}$/),
                    type: 'text',
                    text: { body: text },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(message.id).toMatch(/^wamid\./);
    expect(deliveries).toEqual([
      expect.objectContaining({ provider: 'meta', kind: 'message', status: 200, attempt: 1 }),
    ]);
    expect(deliveries[0]?.body).toBe(raw);
  });

  it('matches the shape of the seed-examples Meta text, whose raw body and signature agree', async () => {
    await sandbox.inbound({ provider: 'meta', from: '6281234567890', name: 'Budi', text: 'x' });
    const sent = receiver.received[0]?.json;
    const example = seed.metaWebhookText;
    expect(Object.keys(sent)).toEqual(Object.keys(example));
    expect(Object.keys(sent.entry[0].changes[0].value)).toEqual(
      Object.keys(example.entry[0]?.changes[0]?.value ?? {}),
    );
    expect(Object.keys(sent.entry[0].changes[0].value.messages[0])).toEqual(
      Object.keys(example.entry[0]?.changes[0]?.value.messages[0] ?? {}),
    );
    expect(JSON.parse(seed.metaWebhookTextRawBody)).toEqual(example);
    expect(seed.metaWebhookTextSignature).toBe(
      expectedSignature('meta_app_secret', Buffer.from(seed.metaWebhookTextRawBody)),
    );
  });

  it('posts button and list replies as interactive messages with the replied-to context', async () => {
    await sandbox.inbound({
      provider: 'meta',
      from: '6281234567890',
      button: { id: 'btn_yes', title: 'Ya, bersedia' },
      replyTo: 'wamid.original',
    });
    await sandbox.inbound({
      provider: 'meta',
      from: '6281234567890',
      list: { id: 'menu_billing', title: 'Cek Tagihan', description: 'Rincian / bulan' },
    });
    const [button, list] = receiver.received.map(
      (request) => request.json.entry[0].changes[0].value.messages[0],
    );
    expect(button).toMatchObject({
      context: { from: BUSINESS, id: 'wamid.original' },
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'btn_yes', title: 'Ya, bersedia' } },
    });
    expect(list).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'list_reply',
        list_reply: { id: 'menu_billing', title: 'Cek Tagihan', description: 'Rincian / bulan' },
      },
    });
    expect(list.context).toBeUndefined();
    expect(receiver.received[1]?.raw.toString()).toContain('Rincian \\/ bulan');
  });

  it('stores inbound media so Meta media lookups and downloads work for its id', async () => {
    receiver.respond = (request) =>
      request.path === '/photo.jpg'
        ? { status: 200, body: 'jpeg-bytes' }
        : { status: 200, body: 'ok' };
    const { message } = await sandbox.inbound({
      provider: 'meta',
      from: '6281234567890',
      image: { link: `${receiver.url}/photo.jpg`, caption: 'Struk', mimeType: 'image/jpeg' },
    });
    const image = receiver.received.at(-1)?.json.entry[0].changes[0].value.messages[0].image;
    expect(image).toEqual({
      caption: 'Struk',
      mime_type: 'image/jpeg',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      id: expect.stringMatching(/^\d{16}$/),
    });
    expect(message).toMatchObject({ type: 'image', text: 'Struk' });

    const token = sandbox.meta.accessToken;
    const info = await call(`${sandbox.meta.baseUrl}/v21.0/${image.id}`, { token });
    expect(info.body).toMatchObject({ mime_type: 'image/jpeg', sha256: image.sha256 });
    const download = await fetch(info.body.url, { headers: { authorization: `Bearer ${token}` } });
    expect(await download.text()).toBe('jpeg-bytes');
  });

  it('posts locations and documents', async () => {
    await sandbox.inbound({
      provider: 'meta',
      from: '6281234567890',
      location: { latitude: -6.2, longitude: 106.8, name: 'Monas', address: 'Jakarta' },
    });
    await sandbox.inbound({
      provider: 'meta',
      from: '6281234567890',
      document: { filename: 'invoice.pdf' },
    });
    const [location, document] = receiver.received.map(
      (request) => request.json.entry[0].changes[0].value.messages[0],
    );
    expect(location).toMatchObject({
      type: 'location',
      location: { latitude: -6.2, longitude: 106.8, name: 'Monas', address: 'Jakarta' },
    });
    expect(document).toMatchObject({
      type: 'document',
      document: { filename: 'invoice.pdf', mime_type: 'application/pdf' },
    });
  });
});

describe('Meta inbound webhooks from business-scoped user ids', () => {
  const BSUID = 'ID.1502576394655843';

  it('posts a sender known only by BSUID with user_id and from_user_id, and no phone number', async () => {
    const { message, deliveries } = await sandbox.inbound({
      provider: 'meta',
      userId: BSUID,
      username: 'budi',
      name: 'Budi',
      text: 'halo',
    });
    const [request] = receiver.received;
    expect(request?.headers['x-hub-signature-256']).toBe(
      expectedSignature('meta_app_secret', request?.raw ?? Buffer.alloc(0)),
    );
    expect(request?.json).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: sandbox.meta.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: BUSINESS,
                  phone_number_id: sandbox.meta.phoneNumberId,
                },
                contacts: [{ profile: { name: 'Budi', username: 'budi' }, user_id: BSUID }],
                messages: [
                  {
                    from_user_id: BSUID,
                    id: message.id,
                    timestamp: expect.stringMatching(/^\d{10}$/),
                    type: 'text',
                    text: { body: 'halo' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(deliveries).toEqual([expect.objectContaining({ kind: 'message', status: 200 })]);
    expect(message).toMatchObject({ direction: 'inbound', userId: BSUID, to: BUSINESS });
    expect(message.from).toBeUndefined();
    expect(await sandbox.messages({ userId: BSUID })).toEqual([
      expect.objectContaining({
        id: message.id,
        payload: request?.json.entry[0].changes[0].value.messages[0],
      }),
    ]);
  });

  it('sends both identifiers when the phone number is known too', async () => {
    await sandbox.inbound({
      provider: 'meta',
      from: '6281234567890',
      userId: BSUID,
      button: { id: 'btn_yes', title: 'Ya' },
      replyTo: 'wamid.original',
    });
    const value = receiver.received[0]?.json.entry[0].changes[0].value;
    expect(value.contacts).toEqual([
      { profile: { name: 'Sandbox Customer' }, wa_id: '6281234567890', user_id: BSUID },
    ]);
    expect(value.messages[0]).toEqual({
      context: { from: BUSINESS, id: 'wamid.original' },
      from: '6281234567890',
      from_user_id: BSUID,
      id: expect.stringMatching(/^wamid\./),
      timestamp: expect.stringMatching(/^\d{10}$/),
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'btn_yes', title: 'Ya' } },
    });
  });

  it('refuses malformed BSUIDs, BSUIDs outside Meta, and usernames without a BSUID', async () => {
    const post = (json: unknown) => call(`${sandbox.url}/api/v1/inbound`, { json });
    for (const userId of ['1502576394655843', 'id.150', 'ID.', 'ID.15-02', 42]) {
      const answer = await post({ provider: 'meta', userId, text: 'a' });
      expect(answer.status, String(userId)).toBe(400);
      expect(answer.body.error).toMatch(/^userId must be a business-scoped user id/);
    }
    expect((await post({ provider: 'kirem', userId: BSUID, text: 'a' })).body.error).toBe(
      'userId (a business-scoped user id) is for Meta only',
    );
    expect((await post({ provider: 'meta', text: 'a' })).body.error).toMatch(/^give from, userId/);
    const username = await post({
      provider: 'meta',
      from: '6281234567890',
      username: 'b',
      text: 'a',
    });
    expect(username.body.error).toMatch(/^username needs userId/);
    expect(receiver.received).toEqual([]);
  });
});

describe('Kirem inbound webhooks', () => {
  it("posts the seed's button_reply callback shape, signed with the project's webhook secret", async () => {
    const { message } = await sandbox.inbound({
      provider: 'kirem',
      from: '62812345678',
      button: { id: 'btn_yes', title: 'Ya, bersedia' },
    });
    const [request] = receiver.received;
    expect(request?.path).toBe('/kirem');
    expect(request?.headers['x-kirem-signature']).toBe(
      expectedSignature('my_kirem_secret', request?.raw ?? Buffer.alloc(0)),
    );
    expect(request?.json).toEqual({
      ...seed.kiremWebhookButtonReply,
      data: {
        ...seed.kiremWebhookButtonReply.data,
        message_id: message.id,
        timestamp: expect.stringMatching(/^\d{10}$/),
      },
    });
  });

  it('signs the raw UTF-8 text as sent, without Meta escaping', async () => {
    await sandbox.inbound({ provider: 'kirem', from: '62812345678', text: 'Terima kasih 🙏 a/b' });
    const [request] = receiver.received;
    expect(request?.raw.toString('utf8')).toContain('"text":{"body":"Terima kasih 🙏 a/b"}');
    expect(request?.headers['x-kirem-signature']).toBe(
      expectedSignature('my_kirem_secret', request?.raw ?? Buffer.alloc(0)),
    );
    expect(request?.json.data).toMatchObject({
      type: 'text',
      text: { body: 'Terima kasih 🙏 a/b' },
    });
  });

  it('posts list replies', async () => {
    await sandbox.inbound({
      provider: 'kirem',
      from: '62812345678',
      list: { id: 'menu_support', title: 'Hubungi Support' },
    });
    expect(receiver.received[0]?.json.data.interactive).toEqual({
      type: 'list_reply',
      list_reply: { id: 'menu_support', title: 'Hubungi Support' },
    });
  });
});

describe('POST /api/v1/inbound', () => {
  it('stores the inbound message beside the sent ones, filterable by direction and sender', async () => {
    await sandbox.inbound({ provider: 'kirem', from: '62812345678', text: 'Halo' });
    const inbound = await sandbox.messages({ direction: 'inbound', from: '+62 812 345 678' });
    expect(inbound).toEqual([
      expect.objectContaining({
        provider: 'kirem',
        direction: 'inbound',
        from: '62812345678',
        to: BUSINESS,
        type: 'text',
        text: 'Halo',
        status: 'received',
        payload: expect.objectContaining({ event: 'messages.received' }),
      }),
    ]);
    expect(await sandbox.messages({ direction: 'outbound' })).toEqual([]);
  });

  it('stores and answers without a delivery when the provider has no webhook', async () => {
    await sandbox.removeWebhook('meta');
    const answer = await sandbox.inbound({ provider: 'meta', from: '6281234567890', text: 'hi' });
    expect(answer.deliveries).toEqual([]);
    expect(receiver.received).toEqual([]);
    expect((await sandbox.latest())?.direction).toBe('inbound');
  });

  it('rejects bodies with no content, two contents, or a bad number', async () => {
    const post = (json: unknown) => call(`${sandbox.url}/api/v1/inbound`, { json });
    expect((await post({ provider: 'meta', from: '6281234567890' })).status).toBe(400);
    const two = await post({
      provider: 'meta',
      from: '6281234567890',
      text: 'a',
      button: { id: 'b', title: 'c' },
    });
    expect(two.body.error).toMatch(/exactly one of/);
    expect((await post({ provider: 'meta', from: 'budi', text: 'a' })).body.error).toMatch(/from/);
    expect((await post({ provider: 'kirimy', from: '6281234567890', text: 'a' })).status).toBe(400);
    const list = await post({
      provider: 'waviro',
      from: '6281234567890',
      list: { id: 'a', title: 'b' },
    });
    expect(list.status).toBe(400);
    expect(receiver.received).toEqual([]);
  });
});
