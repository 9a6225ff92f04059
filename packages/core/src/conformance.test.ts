/**
 * One suite, written once, run against every provider through the sandbox. Where a provider lacks
 * a feature, the case checks that the capability table says so: the send fails with
 * UnsupportedFeatureError before any request.
 */
import { useSandbox } from '@kabar/sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { authenticationTemplate } from './authentication-template.js';
import { createClient } from './client.js';
import { type KabarError, UnsupportedFeatureError } from './errors.js';
import { firstMissing, requiredFeatures } from './features.js';
import type { RetryEvent } from './hooks.js';
import type { OutgoingMessage } from './message.js';
import type { Provider } from './provider.js';
import { graphMessageBody } from './providers/graph/message.js';
import {
  createProvider,
  GATEWAY_NAMES,
  type GatewayName,
  gatewayNamed,
} from './providers/registry.js';
import { failure, transportUnderTest } from './test-helpers.js';
import { prepareMessage } from './validate.js';

const sandbox = useSandbox();

type ProviderName = GatewayName;

/** Each gateway, built against the sandbox; `wrongKey` swaps in a credential it rejects. */
function subject(name: ProviderName, wrongKey?: string): Provider {
  const gateway = gatewayNamed(name);
  // `sandbox.<gateway>` holds the settings under the registry's keys, as an integration has them.
  const settings: Record<string, unknown> = { ...sandbox[name] };
  const secret = gateway.credentials.find((field) => field.secret && field.required);
  if (wrongKey !== undefined && secret) settings[secret.key] = wrongKey;
  return createProvider(name, settings);
}

const to = '081234567890';
const GROUP = '120363000000000009';

/** One message per feature; each is sent to every provider. */
const SAMPLES: Record<string, OutgoingMessage> = {
  text: { to, text: 'Halo dari Kabar' },
  'image by link': { to, image: { link: 'https://toko.id/promo.jpg', caption: 'Promo' } },
  'image by media id': { to, image: { id: '18471948194819' } },
  'video by link': { to, video: { link: 'https://toko.id/demo.mp4' } },
  'audio by link': { to, audio: { link: 'https://toko.id/suara.ogg' } },
  'document by link': { to, document: { link: 'https://toko.id/faktur.pdf', filename: 'f.pdf' } },
  sticker: { to, sticker: { link: 'https://toko.id/stiker.webp' } },
  'template with positional params': {
    to,
    template: { name: 'otp_verification', language: 'id', params: ['123456'] },
  },
  'template with named vars': {
    to,
    template: { name: 'invoice', language: 'id', vars: { no: 'INV-1', total: 'Rp10.000' } },
  },
  buttons: {
    to,
    interactive: { type: 'buttons', body: 'Lanjut?', buttons: [{ id: 'ya', title: 'Ya' }] },
  },
  list: {
    to,
    interactive: {
      type: 'list',
      body: 'Menu',
      button: 'Pilih',
      sections: [{ rows: [{ id: 'a', title: 'Cek tagihan' }] }],
    },
  },
  location: { to, location: { latitude: -6.175392, longitude: 106.827153, name: 'Monas' } },
  contact: { to, contacts: [{ name: { formattedName: 'Kabar CS' }, phones: [{ phone: to }] }] },
  reaction: { to, reaction: { messageId: 'wamid.ABC', emoji: '👍' } },
  'reply to a message': { to, text: 'Balasan', replyTo: 'wamid.ABC' },
  'group recipient': { to: { group: GROUP }, text: 'Halo grup' },
  'several recipients': { to: [to, '081311112222'], text: 'Promo' },
  'notifyUrl acks': { to, text: 'Lacak', notifyUrl: 'https://toko.id/acks' },
  'scheduled for later': { to, text: 'Pengingat', sendAt: new Date(Date.now() + 3_600_000) },
  'callback data': { to, text: 'Tagihan', callbackData: 'invoice:INV-2026-0042' },
  'business-scoped user id': { to: { userId: 'ID.1502576394655843' }, text: 'Halo' },
  'buttons under an image': {
    to,
    interactive: {
      type: 'buttons',
      header: { image: { link: 'https://toko.id/promo.jpg' } },
      body: 'Ambil promo?',
      buttons: [{ id: 'ya', title: 'Ya' }],
    },
  },
  'CTA URL button': {
    to,
    interactive: {
      type: 'cta_url',
      header: 'Jadwal',
      body: 'Lihat jadwal kelas',
      footer: 'Kabar',
      button: { text: 'Buka jadwal', url: 'https://toko.id/jadwal' },
    },
  },
  'location request': { to, interactive: { type: 'location_request', body: 'Kirim lokasi Anda' } },
  carousel: {
    to,
    interactive: {
      type: 'carousel',
      body: 'Promo minggu ini',
      cards: [1, 2].map((i) => ({
        header: { image: { link: `https://toko.id/${i}.jpg` } },
        body: `Produk ${i}`,
        buttons: [{ id: `beli-${i}`, title: 'Beli' }],
      })),
    },
  },
  product: { to, interactive: { type: 'product', catalogId: 'cat-1', productId: 'sku-1' } },
  'product list': {
    to,
    interactive: {
      type: 'product_list',
      catalogId: 'cat-1',
      header: 'Koleksi',
      body: 'Pilih produk',
      sections: [{ title: 'Baju', productIds: ['sku-1', 'sku-2'] }],
    },
  },
  catalog: { to, interactive: { type: 'catalog', body: 'Lihat katalog kami' } },
  flow: {
    to,
    interactive: {
      type: 'flow',
      flowId: '1234567890',
      cta: 'Daftar',
      body: 'Isi formulir',
      action: { type: 'navigate', screen: 'WELCOME' },
    },
  },
  'template with named params, an offer expiry and a coupon': {
    to,
    template: {
      name: 'kupon_promo',
      language: 'id',
      params: { first_name: 'Budi' },
      components: [
        { type: 'limited_time_offer', expiresAt: 1_806_000_000_000 },
        { type: 'button', subType: 'copy_code', index: 0, couponCode: 'HEMAT25' },
      ],
    },
  },
  'authentication template with its OTP button': {
    to,
    template: {
      name: 'kode_masuk',
      language: 'id',
      params: ['482913'],
      components: [{ type: 'button', subType: 'otp', index: 0, code: '482913' }],
    },
  },
};

/** The Meta-compatible gateways, whose sandbox keeps the request body as sent. */
const GRAPH_DIALECTS: readonly ProviderName[] = ['kirem', 'meta'];

/** What a sandbox must hold before some samples can succeed. */
async function arrange(name: ProviderName): Promise<void> {
  if (name === 'waviro') await sandbox.addWaviroGroup({ id: GROUP, name: 'Reseller' });
  // Qirim sends templates it stores; positional params fill {{1}}, {{2}}, ...
  if (name === 'qirim') {
    await sandbox.addQirimTemplate({ name: 'otp_verification', body: 'Kode OTP: {{1}}' });
  }
  if (name === 'kirem' || name === 'meta') {
    const client = createClient({
      provider: subject(name),
      rateLimit: false,
      ...transportUnderTest(),
    });
    await client.templates.create(authenticationTemplate({ name: 'kode_masuk', language: 'id' }));
    await client.templates.create({
      name: 'kupon_promo',
      category: 'MARKETING',
      language: 'id',
      components: [
        {
          type: 'LIMITED_TIME_OFFER',
          limited_time_offer: { text: 'Promo kilat!', has_expiration: true },
        },
        { type: 'BODY', text: 'Halo {{first_name}}, kupon Anda berlaku sampai akhir bulan.' },
        { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'HEMAT25' }] },
      ],
    });
    for (const template of ['kode_masuk', 'kupon_promo']) {
      await sandbox.setTemplateStatus(name, template, 'APPROVED');
    }
  }
}

function countingClient(provider: Provider, retries: RetryEvent[] = []) {
  const counter = { requests: 0 };
  const client = createClient({
    ...transportUnderTest(),
    provider,
    rateLimit: false,
    retry: { initialDelayMs: 5 },
    hooks: { onRetry: (e) => retries.push(e) },
    fetch: (input, init) => {
      counter.requests += 1;
      return fetch(input, init);
    },
  });
  return { client, counter };
}

describe.each([...GATEWAY_NAMES])('%s', (name) => {
  const make = (wrongKey?: string) => subject(name, wrongKey);

  it.each(Object.entries(SAMPLES))(
    '%s: sent, or refused before the network as the table says',
    async (_label, message) => {
      await arrange(name);
      const provider = make();
      const { client, counter } = countingClient(provider);
      const missing = firstMissing(
        provider.capabilities,
        requiredFeatures(prepareMessage(message)),
      );
      if (missing) {
        const error = await failure(client.send(message));
        expect(UnsupportedFeatureError.isInstance(error)).toBe(true);
        expect(error.provider).toBe(name);
        expect(counter.requests).toBe(0);
        return;
      }
      let result: Awaited<ReturnType<typeof client.send>>;
      try {
        result = await client.send(message);
      } catch (error) {
        // A provider may find out only from the message itself that it cannot send it (media by id
        // on a link-only gateway, a file type the gateway refuses, a reply id of another gateway's
        // form); it must still say so before any request.
        expect(
          UnsupportedFeatureError.isInstance(error) || (error as KabarError).code === 'validation',
        ).toBe(true);
        expect(counter.requests).toBe(0);
        return;
      }
      expect(result.provider).toBe(name);
      expect(result.id).toBeTruthy();
      const stored = await sandbox.messages({ provider: name });
      expect(stored.length).toBeGreaterThan(0);
      if (GRAPH_DIALECTS.includes(name)) {
        // The round trip: the gateway kept exactly the body the provider built.
        const body = JSON.parse(JSON.stringify(graphMessageBody(prepareMessage(message))));
        expect(stored.at(-1)?.payload).toEqual(body);
      }
    },
  );

  it('rejects a bad phone number before the network, echoing it', async () => {
    const { client, counter } = countingClient(make());
    const error = await failure(client.send({ to: '0812-34', text: 'x' }));
    expect(error.code).toBe('invalid_phone');
    expect(error.message).toContain('0812-34');
    expect(counter.requests).toBe(0);
  });

  it('reports a rejected credential as unauthenticated, without retrying or leaking it', async () => {
    const retries: RetryEvent[] = [];
    const { client } = countingClient(make('wrong-credential-7f3a9c'), retries);
    const error = await failure(client.send({ to, text: 'x' }));
    expect(error.code).toBe('unauthenticated');
    expect(retries).toHaveLength(0);
    expect(JSON.stringify([error.message, error.details])).not.toContain('wrong-credential-7f3a9c');
  });

  it('rides out a gateway that is down, then up: delivered exactly once', async () => {
    await sandbox.fault({ provider: name, status: 503, retryAfter: 0, times: 2 });
    const retries: RetryEvent[] = [];
    const { client } = countingClient(make(), retries);
    await client.send({ to, text: 'setelah gangguan' });
    expect(retries).toHaveLength(2);
    expect(await sandbox.messages({ provider: name })).toHaveLength(1);
  });

  it('waits out a 429 and then delivers exactly once', async () => {
    await sandbox.fault({ provider: name, status: 429, retryAfter: 0, times: 1 });
    const retries: RetryEvent[] = [];
    const { client } = countingClient(make(), retries);
    await client.send({ to, text: 'setelah 429' });
    expect(retries.map((r) => r.error.code)).toEqual(['rate_limited']);
    expect(await sandbox.messages({ provider: name })).toHaveLength(1);
  });
});
