import type { StatusEvent } from '@kabar/core/webhooks';
import { Hears, OnButton, OnWhatsAppStatus, type WhatsAppMessageContext } from '@kabar/nestjs';
import { Injectable, Logger } from '@nestjs/common';

export const PRICES = 'Kaos polos Rp 75.000, kemeja Rp 150.000. Ketik "pesan" untuk memesan.';

/** The shop's chatbot: customers write in, the handlers answer through WhatsAppService's client. */
@Injectable()
export class ShopBot {
  private readonly logger = new Logger(ShopBot.name);

  @Hears(['halo', 'hai'])
  greet({ reply, event }: WhatsAppMessageContext) {
    const name = event.name ?? 'Kak';
    return reply.buttons(`Halo ${name}! Ada yang bisa kami bantu?`, [
      { id: 'harga', title: 'Daftar harga' },
      { id: 'cs', title: 'Bicara dengan CS' },
    ]);
  }

  @Hears('harga')
  @OnButton('harga')
  prices({ reply }: WhatsAppMessageContext) {
    return reply.text(PRICES);
  }

  @OnButton(/^lacak:(.+)$/)
  track({ reply, match }: WhatsAppMessageContext) {
    return reply.text(`Pesanan #${match?.[1]} sedang dalam perjalanan.`);
  }

  @OnWhatsAppStatus('failed')
  undelivered(event: StatusEvent) {
    this.logger.warn(`message ${event.messageId} was not delivered: ${event.error?.title ?? '?'}`);
  }
}
