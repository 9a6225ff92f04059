import { describe, expect, it } from 'vitest';
import { call, expectedSignature, type Received, sleep, useReceiver } from '../../test-helpers.js';
import { eventually, useSandbox } from '../../vitest.js';
import { eventFacts, matches, routes } from './routing.js';

describe('routing rules', () => {
  const text = (body: string, from = '6281234567890') =>
    eventFacts('message', {
      event: 'messages.received',
      data: { from, message_id: 'wamid.x', timestamp: '1', type: 'text', text: { body } },
    });

  it('reads type, sender and text from messages, and only the customer from statuses', () => {
    expect(text('Halo')).toEqual({ type: 'text', from: '6281234567890', text: 'Halo' });
    const button = eventFacts('message', {
      event: 'messages.received',
      data: {
        from: '62811',
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'b', title: 'Ya, bersedia' } },
      },
    });
    expect(button).toEqual({ type: 'interactive', from: '62811', text: 'Ya, bersedia' });
    const image = eventFacts('message', {
      data: { from: '62811', type: 'image', image: { caption: 'Bukti transfer', id: '1' } },
    });
    expect(image.text).toBe('Bukti transfer');
    const status = eventFacts('status', {
      event: 'messages.status',
      data: { message_id: 'wamid.x', status: 'read', recipient: '6281234567890' },
    });
    expect(status).toEqual({ from: '6281234567890' });
    // A send addressed only by business-scoped user id has no number to route on.
    expect(eventFacts('status', { data: { recipient: 'ID.1502576394655843' } })).toEqual({});
  });

  it('matches keywords as whole words in any case, phrases included', () => {
    const promo = { keyword: 'promo' };
    expect(matches(promo, text('Ada PROMO hari ini?'))).toBe(true);
    expect(matches(promo, text('promo!'))).toBe(true);
    expect(matches(promo, text('Ada promosi?'))).toBe(false);
    expect(matches(promo, text('kodepromo'))).toBe(false);
    expect(matches({ keyword: 'cek  tagihan' }, text('Mau cek tagihan bulan ini'))).toBe(true);
    expect(matches({ keyword: 'café' }, text('di Café Kirem'))).toBe(true);
    expect(matches({ keyword: 'café' }, text('dua cafés'))).toBe(false);
    expect(matches({ keyword: 'c++' }, text('belajar C++ yuk'))).toBe(true);
  });

  it('tests regexes as written, and sender prefixes on digits only', () => {
    const order = { regex: '^ORDER-\\d+$' };
    expect(matches(order, text('ORDER-123'))).toBe(true);
    expect(matches(order, text('order-123'))).toBe(false);
    expect(matches(order, text('ORDER-12a'))).toBe(false);
    expect(matches({ from: '+62 812' }, text('x', '6281234567890'))).toBe(true);
    expect(matches({ from: '62813' }, text('x', '6281234567890'))).toBe(false);
  });

  it('needs every criterion of a rule, and any rule of a target', () => {
    const rule = { type: 'text', keyword: 'stok' };
    expect(matches(rule, text('cek stok'))).toBe(true);
    expect(matches(rule, { type: 'image', text: 'cek stok' })).toBe(false);
    expect(routes([{ keyword: 'stok' }, { keyword: 'harga' }], text('berapa harga?'))).toBe(true);
    expect(routes([{ keyword: 'stok' }, { keyword: 'harga' }], text('halo'))).toBe(false);
    expect(routes(undefined, {})).toBe(true);
    expect(routes([], {})).toBe(true);
  });
});

const sandbox = useSandbox();
const receiver = useReceiver(() => ({ status: 200, body: { ok: true } }));

const CUSTOMER = '6281234567890';
const at = (path: string) => `${receiver.url}${path}`;
/** The messages each consumer path received, as [path, text] pairs, in arrival order. */
const texts = (received: Received[]) =>
  received
    .filter((request) => request.json?.event === 'messages.received')
    .map((request) => [request.path, request.json.data.text?.body]);
const inboundText = (text: string, from = CUSTOMER) =>
  sandbox.inbound({ provider: 'kirem', from, text });

describe('Kirem webhook routing', () => {
  it('forwards one inbound message to every consumer whose rules match, each signed with its secret', async () => {
    await sandbox.addKiremWebhookTarget({
      id: 'cs',
      url: at('/cs'),
      secret: 'cs-secret',
      rules: [{ type: 'text' }],
    });
    await sandbox.addKiremWebhookTarget({ id: 'crm', url: at('/crm'), rules: [{ from: '62812' }] });
    await sandbox.addKiremWebhookTarget({
      id: 'promo',
      url: at('/promo'),
      rules: [{ keyword: 'promo' }],
    });

    await inboundText('Halo, stok masih ada?');

    const received = await receiver.waitFor(2);
    expect(texts(received).sort()).toEqual([
      ['/crm', 'Halo, stok masih ada?'],
      ['/cs', 'Halo, stok masih ada?'],
    ]);
    const [cs, crm] = ['/cs', '/crm'].map((path) => received.find((r) => r.path === path));
    expect(cs?.raw.equals(crm?.raw ?? Buffer.alloc(0))).toBe(true);
    expect(cs?.headers['x-kirem-signature']).toBe(
      expectedSignature('cs-secret', cs?.raw ?? Buffer.alloc(0)),
    );
    // Without a secret of its own a target signs with Kirem's webhook secret.
    expect(crm?.headers['x-kirem-signature']).toBe(
      expectedSignature('kirem_webhook_secret', crm?.raw ?? Buffer.alloc(0)),
    );
    const log = await sandbox.deliveries({ provider: 'kirem' });
    expect(log.map((d) => [d.url, d.kind, d.status, d.attempt]).sort()).toEqual([
      [at('/crm'), 'message', 200, 1],
      [at('/cs'), 'message', 200, 1],
    ]);
  });

  it('gives a keyword target only the messages with that word', async () => {
    await sandbox.addKiremWebhookTarget({ url: at('/promo'), rules: [{ keyword: 'promo' }] });
    await inboundText('Ada PROMO hari ini?');
    await inboundText('Saya mau tanya promosi');
    await inboundText('promo ramadan masih berlaku?');
    await sleep(50);
    expect(texts(receiver.received)).toEqual([
      ['/promo', 'Ada PROMO hari ini?'],
      ['/promo', 'promo ramadan masih berlaku?'],
    ]);
    expect(await sandbox.deliveries()).toHaveLength(2);
  });

  it('routes by regex on the text and by sender prefix', async () => {
    await sandbox.addKiremWebhookTarget({ url: at('/orders'), rules: [{ regex: '^ORDER-\\d+$' }] });
    await sandbox.addKiremWebhookTarget({ url: at('/vip'), rules: [{ from: '+62 813' }] });
    await inboundText('ORDER-1042');
    await inboundText('order-1042');
    await inboundText('Halo', '6281399990000');
    await inboundText('Halo', '6281234567890');
    await sleep(50);
    expect(texts(receiver.received)).toEqual([
      ['/orders', 'ORDER-1042'],
      ['/vip', 'Halo'],
    ]);
    expect(receiver.received[1]?.json.data.from).toBe('6281399990000');
  });

  it('routes images and button replies by type, and a keyword reads the button title', async () => {
    await sandbox.addKiremWebhookTarget({ url: at('/media'), rules: [{ type: 'image' }] });
    await sandbox.addKiremWebhookTarget({
      url: at('/billing'),
      rules: [{ type: 'interactive', keyword: 'tagihan' }],
    });
    await sandbox.inbound({ provider: 'kirem', from: CUSTOMER, image: { caption: 'bukti' } });
    await sandbox.inbound({
      provider: 'kirem',
      from: CUSTOMER,
      button: { id: 'b1', title: 'Cek Tagihan' },
    });
    await sandbox.inbound({
      provider: 'kirem',
      from: CUSTOMER,
      button: { id: 'b2', title: 'Bantuan' },
    });
    await inboundText('tagihan saya');
    await sleep(50);
    expect(receiver.received.map((r) => [r.path, r.json.data.type])).toEqual([
      ['/media', 'image'],
      ['/billing', 'interactive'],
    ]);
    expect(receiver.received[1]?.json.data.interactive.button_reply.id).toBe('b1');
  });

  it('sends statuses to targets without rules and to sender rules, never to type or text rules', async () => {
    await sandbox.setWebhook('kirem', { url: at('/default') });
    await sandbox.addKiremWebhookTarget({ url: at('/all') });
    await sandbox.addKiremWebhookTarget({ url: at('/customer'), rules: [{ from: '62812' }] });
    await sandbox.addKiremWebhookTarget({ url: at('/other'), rules: [{ from: '62899' }] });
    await sandbox.addKiremWebhookTarget({ url: at('/texts'), rules: [{ type: 'text' }] });
    await sandbox.addKiremWebhookTarget({ url: at('/words'), rules: [{ keyword: 'halo' }] });
    const sent = await call(`${sandbox.kirem.baseUrl}/v1/messages`, {
      token: sandbox.kirem.apiKey,
      json: { messaging_product: 'whatsapp', to: CUSTOMER, type: 'text', text: { body: 'halo' } },
    });
    expect(sent.status).toBe(201);

    await receiver.waitFor(9);
    await sleep(50);
    const statuses = (path: string) =>
      receiver.received
        .filter((r) => r.path === path && r.json.event === 'messages.status')
        .map((r) => r.json.data.status);
    expect(statuses('/default')).toEqual(['sent', 'delivered', 'read']);
    expect(statuses('/all')).toEqual(['sent', 'delivered', 'read']);
    expect(statuses('/customer')).toEqual(['sent', 'delivered', 'read']);
    expect(receiver.received.map((r) => r.path).sort()).toEqual([
      ...Array(3).fill('/all'),
      ...Array(3).fill('/customer'),
      ...Array(3).fill('/default'),
    ]);
  });

  it('keeps the webhook URL as the default target that gets every event', async () => {
    await sandbox.setWebhook('kirem', { url: at('/default'), secret: 'own' });
    await sandbox.addKiremWebhookTarget({ url: at('/promo'), rules: [{ keyword: 'promo' }] });
    const { deliveries } = await inboundText('Halo');
    expect(deliveries).toEqual([expect.objectContaining({ url: at('/default'), status: 200 })]);
    await inboundText('info promo');
    await sleep(50);
    expect(texts(receiver.received).sort()).toEqual([
      ['/default', 'Halo'],
      ['/default', 'info promo'],
      ['/promo', 'info promo'],
    ]);
    const promo = receiver.received.find((r) => r.path === '/promo');
    // A target without a secret signs with the webhook's.
    expect(promo?.headers['x-kirem-signature']).toBe(
      expectedSignature('own', promo?.raw ?? Buffer.alloc(0)),
    );
  });

  it('gives targets the statuses of a send even without a webhook URL', async () => {
    await sandbox.addKiremWebhookTarget({ url: at('/all') });
    const sent = await call(`${sandbox.kirem.baseUrl}/v1/messages`, {
      token: sandbox.kirem.apiKey,
      json: { messaging_product: 'whatsapp', to: CUSTOMER, type: 'text', text: { body: 'hi' } },
    });
    expect(sent.status).toBe(201);
    await receiver.waitFor(3);
    expect(receiver.received.map((r) => r.json.data.status)).toEqual(['sent', 'delivered', 'read']);
    const id = sent.body.data.messages[0].id as string;
    const { deliveries } = await sandbox.setMessageStatus(id, 'failed');
    expect(deliveries).toEqual([
      expect.objectContaining({ url: at('/all'), kind: 'status', status: 200 }),
    ]);
  });

  it('reports every delivery an inbound message caused', async () => {
    await sandbox.setWebhook('kirem', { url: at('/default') });
    await sandbox.addKiremWebhookTarget({ url: at('/promo'), rules: [{ keyword: 'promo' }] });
    const { deliveries } = await inboundText('info promo');
    expect(deliveries.map((d) => [d.url, d.status])).toEqual([
      [at('/default'), 200],
      [at('/promo'), 200],
    ]);
  });
});

describe('Kirem webhook targets through the control API', () => {
  it('adds, lists, replaces in place and removes targets', async () => {
    expect(await sandbox.kiremWebhookTargets()).toEqual([]);
    const generated = await sandbox.addKiremWebhookTarget({ url: at('/a') });
    expect(generated).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), url: at('/a') });
    await sandbox.addKiremWebhookTarget({
      id: 'orders',
      url: at('/b'),
      rules: [{ keyword: 'order' }],
    });
    await expect(sandbox.addKiremWebhookTarget({ id: 'orders', url: at('/c') })).rejects.toThrow(
      /409/,
    );

    const replaced = await sandbox.setKiremWebhookTarget('orders', {
      url: at('/orders'),
      secret: 's',
      rules: [],
    });
    expect(replaced).toEqual({ id: 'orders', url: at('/orders'), secret: 's' });
    await sandbox.setKiremWebhookTarget('late', { url: at('/late') });
    expect((await sandbox.kiremWebhookTargets()).map((t) => t.id)).toEqual([
      generated.id,
      'orders',
      'late',
    ]);

    await sandbox.removeKiremWebhookTarget(generated.id);
    await expect(sandbox.removeKiremWebhookTarget(generated.id)).rejects.toThrow(/404/);
    expect((await sandbox.kiremWebhookTargets()).map((t) => t.id)).toEqual(['orders', 'late']);
  });

  it('answers PUT with 201 for a new target and 200 for a replaced one', async () => {
    const put = (json: unknown) =>
      call(`${sandbox.url}/api/v1/kirem/webhook-targets/t1`, { method: 'PUT', json });
    expect((await put({ url: at('/1') })).status).toBe(201);
    const again = await put({ id: 't1', url: at('/2') });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: 't1', url: at('/2') });
    expect((await put({ id: 't2', url: at('/2') })).status).toBe(400);
  });

  it('refuses invalid targets and rules with a reason', async () => {
    const post = async (json: unknown) => {
      const answer = await call(`${sandbox.url}/api/v1/kirem/webhook-targets`, { json });
      return [answer.status, answer.body.error];
    };
    expect(await post({ url: 'ftp://x' })).toEqual([400, expect.stringMatching(/url/)]);
    expect(await post({ id: 'a/b', url: at('/') })).toEqual([400, expect.stringMatching(/^id/)]);
    expect(await post({ url: at('/'), rules: {} })).toEqual([400, 'rules must be an array']);
    expect(await post({ url: at('/'), rules: [{}] })).toEqual([
      400,
      expect.stringMatching(/^rules\[0\] must name at least one/),
    ]);
    expect(await post({ url: at('/'), rules: [{ keywords: 'x' }] })).toEqual([
      400,
      expect.stringMatching(/unknown field 'keywords'/),
    ]);
    expect(await post({ url: at('/'), rules: [{ type: 'sticker' }] })).toEqual([
      400,
      expect.stringMatching(/type must be one of text, interactive/),
    ]);
    expect(await post({ url: at('/'), rules: [{ from: 'budi' }] })).toEqual([
      400,
      expect.stringMatching(/from must be a number/),
    ]);
    expect(await post({ url: at('/'), rules: [{ regex: '(' }] })).toEqual([
      400,
      expect.stringMatching(/regex is invalid/),
    ]);
    expect(await sandbox.kiremWebhookTargets()).toEqual([]);
  });

  it('reset removes the targets', async () => {
    await sandbox.addKiremWebhookTarget({ url: at('/a') });
    await sandbox.reset();
    expect(await sandbox.kiremWebhookTargets()).toEqual([]);
    await inboundText('Halo');
    await sleep(50);
    expect(receiver.received).toEqual([]);
  });

  it('logs routed deliveries in Kirem’s own webhook log too', async () => {
    await sandbox.addKiremWebhookTarget({ url: at('/a') });
    await sandbox.addKiremWebhookTarget({ url: at('/b') });
    await inboundText('Halo');
    const logs = await eventually(
      async () =>
        (
          await call(`${sandbox.kirem.baseUrl}/v1/analytics/webhooks`, {
            token: sandbox.kirem.apiKey,
          })
        ).body.data.logs as { url: string }[],
      (entries) => entries.length === 2,
    );
    expect(logs.map((log) => log.url).sort()).toEqual([at('/a'), at('/b')]);
  });
});
