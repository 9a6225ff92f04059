import { kirem } from '@kabar/core/kirem';
import { meta } from '@kabar/core/meta';
import { useSandbox } from '@kabar/sandbox/vitest';
import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Hears,
  OnButton,
  WhatsAppHandlers,
  type WhatsAppMessageContext,
  WhatsAppModule,
  WhatsAppService,
} from './index.js';
import { createWhatsAppTestingApp, type WhatsAppTestingApp } from './testing.js';

const customer = '6281234567890';

// Production settings: the testing app must reach the sandbox with none of them.
const kiremModule = (extra: { webhookPath?: string } = { webhookPath: 'whatsapp/webhook' }) =>
  WhatsAppModule.forRoot({
    provider: kirem({ apiKey: 'kirem_live_not_for_tests' }),
    webhook: { provider: 'kirem', secret: 'kirem-production-secret' },
    ...extra,
  });

@WhatsAppHandlers()
class ShopBot {
  @Hears('harga')
  prices() {
    return 'Kaos Rp 75.000'; // replied by return value
  }

  @Hears('halo')
  greet({ reply, event }: WhatsAppMessageContext) {
    // replied through the context
    return reply.buttons(`Halo ${event.name ?? 'Kak'}!`, [
      { id: 'harga', title: 'Daftar harga' },
      { id: 'cs', title: 'Bicara dengan CS' },
    ]);
  }

  @OnButton('harga')
  async priceButton({ reply }: WhatsAppMessageContext) {
    await new Promise((resolve) => setTimeout(resolve, 30)); // a slow lookup: the reply waits
    await reply.text('Kaos Rp 75.000');
  }

  @Hears('jam')
  hours() {
    return ['Buka 08.00', 'Tutup 17.00'];
  }

  @Hears('terima kasih')
  thanks() {
    return undefined;
  }
}

@Module({ imports: [kiremModule()], providers: [ShopBot] })
class KiremShop {}

let whatsapp: WhatsAppTestingApp | undefined;
afterEach(async () => {
  await whatsapp?.close();
  whatsapp = undefined;
});

describe('createWhatsAppTestingApp', () => {
  it('answers a customer through a handler that returns its reply', async () => {
    whatsapp = await createWhatsAppTestingApp({ imports: [KiremShop] });
    const reply = await whatsapp.customer(customer).send('berapa harga?');
    expect(reply.text).toBe('Kaos Rp 75.000');
    expect(reply.messages).toHaveLength(1);
    expect(reply.messages[0]).toMatchObject({ provider: 'kirem', to: customer, type: 'text' });
    expect(reply.delivery.status).toBe(200);
  });

  it('answers through the context, and a tapped button waits for a slow handler', async () => {
    @Module({
      imports: [
        WhatsAppModule.forRootAsync({
          useFactory: async () => ({
            provider: meta({ accessToken: 'EAAG-production', phoneNumberId: '555' }),
            webhook: { provider: 'meta', secret: 'meta-production-app-secret' },
          }),
          webhookPath: '/hooks/meta',
        }),
      ],
      providers: [ShopBot],
    })
    class MetaShop {}
    whatsapp = await createWhatsAppTestingApp({ imports: [MetaShop] });
    const budi = whatsapp.customer('+62 812-3456-7890', { name: 'Budi' });
    expect(budi.phone).toBe(customer);

    const menu = await budi.send('halo');
    expect(menu.text).toBe('Halo Budi!');
    expect(menu.messages[0]).toMatchObject({ provider: 'meta', type: 'interactive' });
    expect(JSON.stringify(menu.messages[0]?.payload)).toContain('Daftar harga');

    const prices = await budi.tap('harga', 'Daftar harga');
    expect(prices.texts).toEqual(['Kaos Rp 75.000']);
  });

  it('gives every reply in order, and none when the app stays silent', async () => {
    whatsapp = await createWhatsAppTestingApp({ imports: [KiremShop] });
    const ani = whatsapp.customer(customer);
    expect((await ani.send('jam')).texts).toEqual(['Buka 08.00', 'Tutup 17.00']);
    const silent = await ani.send('terima kasih');
    expect(silent.text).toBeUndefined();
    expect(silent.messages).toEqual([]);
  });

  it('sends through the sandbox from WhatsAppService, and takes a builder with overrides', async () => {
    @Injectable()
    class Notifier {
      constructor(@Inject(WhatsAppService) readonly whatsapp: WhatsAppService) {}
    }
    const PRICE = Symbol('PRICE');
    @WhatsAppHandlers()
    class PriceBot {
      constructor(@Inject(PRICE) private readonly price: string) {}

      @Hears('harga')
      prices() {
        return `Kaos ${this.price}`;
      }
    }
    @Module({
      imports: [kiremModule()],
      providers: [Notifier, PriceBot, { provide: PRICE, useValue: 'Rp 75.000' }],
    })
    class AppModule {}
    whatsapp = await createWhatsAppTestingApp(
      Test.createTestingModule({ imports: [AppModule] })
        .overrideProvider(PRICE)
        .useValue('Rp 50.000'),
    );
    await whatsapp.get(Notifier).whatsapp.send({ to: customer, text: 'Pesanan dikirim' });
    expect(await whatsapp.sandbox.latest({ to: customer })).toMatchObject({
      provider: 'kirem',
      text: 'Pesanan dikirim',
    });
    expect((await whatsapp.customer(customer).send('harga')).text).toBe('Kaos Rp 50.000');
  });

  it('closes the app and the sandbox it started in one call', async () => {
    const started = await createWhatsAppTestingApp({ imports: [KiremShop] });
    const sandboxUrl = started.sandbox.url;
    await started.close();
    expect(started.app.getHttpServer().listening).toBe(false);
    await expect(fetch(`${sandboxUrl}/api/v1/info`)).rejects.toThrow();
    await started.close(); // twice is harmless
  });

  it('says why a customer cannot write to an app without a webhook endpoint', async () => {
    @Module({ imports: [kiremModule({})], providers: [ShopBot] })
    class NoEndpoint {}
    whatsapp = await createWhatsAppTestingApp({ imports: [NoEndpoint] });
    await expect(whatsapp.customer(customer).send('harga')).rejects.toThrow(/webhookPath/);
  });

  it('says what the endpoint answered when it refuses the webhook', async () => {
    whatsapp = await createWhatsAppTestingApp(
      { imports: [KiremShop] },
      { app: { rawBody: false, logger: false } },
    );
    await expect(whatsapp.customer(customer).send('harga')).rejects.toThrow(
      /answered 500.*raw_body_missing/,
    );
  });
});

describe('with a sandbox from useSandbox()', () => {
  const sandbox = useSandbox();

  it('uses it and leaves it running', async () => {
    whatsapp = await createWhatsAppTestingApp({ imports: [KiremShop] }, { sandbox });
    expect(whatsapp.sandbox).toBe(sandbox);
    expect((await whatsapp.customer(customer).send('harga')).text).toBe('Kaos Rp 75.000');
    await whatsapp.close();
    whatsapp = undefined;
    expect(await sandbox.messages({ to: customer, direction: 'outbound' })).toHaveLength(1);
  });
});
