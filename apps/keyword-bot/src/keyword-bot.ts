/**
 * The keyword chatbot from Kirem's n8n guide (greeting, "Harga", "Bantuan", "Jam", and a
 * fallback), written with Kabar's bot router.
 */
import type { WhatsAppClient } from '@kabar/core';
import { createBot } from '@kabar/core/bot';

export const WELCOME = `Halo! 👋 Selamat datang di layanan kami. Berikut yang bisa saya bantu:
- Ketik *Harga* untuk info produk & harga
- Ketik *Bantuan* untuk bantuan pelanggan
- Ketik *Jam* untuk jam operasional`;

export const PRICES = `📋 Daftar Harga Produk Kami:
- Paket Basic: Rp 99.000/bulan
- Paket Pro: Rp 249.000/bulan
- Paket Enterprise: Rp 499.000/bulan

Kunjungi https://kirem.co.id/harga untuk detail lengkap!`;

export const HOURS =
  'Kami buka Senin–Jumat pukul 08.00–17.00 WIB, dan Sabtu pukul 08.00–12.00 WIB.';

export const FALLBACK =
  'Maaf, saya belum mengerti pesan Anda. Ketik *Bantuan* untuk melihat menu yang tersedia.';

export function createKeywordBot(client: WhatsAppClient) {
  return createBot({ client })
    .hears(['halo', 'hai'], (chat) => chat.reply.text(WELCOME))
    .hears('harga', (chat) => chat.reply.text(PRICES))
    .hears('bantuan', (chat) =>
      chat.reply.buttons('Pilih bantuan yang Anda butuhkan:', [
        { id: 'bantuan_tagihan', title: 'Tagihan' },
        { id: 'bantuan_teknis', title: 'Teknis' },
        { id: 'bantuan_cs', title: 'Bicara dengan CS' },
      ]),
    )
    .onButton(/^bantuan_/, (chat) =>
      chat.reply.text(`Tim kami akan menghubungi Anda soal: ${chat.text}. Terima kasih!`),
    )
    .hears('jam', (chat) => chat.reply.text(HOURS))
    .fallback((chat) => chat.reply.text(FALLBACK));
}
