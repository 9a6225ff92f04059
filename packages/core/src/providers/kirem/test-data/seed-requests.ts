import * as seed from '@kabar/sandbox/seed-examples';
import type { OutgoingMessage } from '../../../message.js';

/**
 * The Kirem seed's example requests (kept verbatim in `@kabar/sandbox/seed-examples`), each with
 * the neutral message that must produce exactly that JSON. If our translation drifts from the
 * seed, the contract tests fail.
 */
export interface SeedSendFixture {
  /** The seed section the request comes from. */
  source: string;
  message: OutgoingMessage;
  request: object;
  /** Templates the sandbox must have approved first. */
  approve?: string;
}

export const SEED_SEND_FIXTURES: SeedSendFixture[] = [
  {
    source: 'REST API Specification 1. Kirim Pesan Teks',
    message: { to: '6282360419136', text: 'Halo dari Kirem!' },
    request: seed.sendText,
  },
  {
    source: 'REST API Specification 2. Kirim Pesan Templat',
    message: {
      to: '6282360419136',
      template: { name: 'otp_verification', language: 'id', params: ['123456'] },
    },
    request: seed.sendOtpTemplate,
  },
  {
    source: 'send-template: Mengirim Pesan Templat (Template)',
    approve: 'promo_diskon_baru',
    message: {
      to: '62812345678',
      template: {
        name: 'promo_diskon_baru',
        language: 'id',
        components: [
          { type: 'header', parameters: ['Budi'] },
          { type: 'body', parameters: ['50', 'HEMAT50'] },
        ],
      },
    },
    request: seed.sendPromoTemplate,
  },
  {
    source: 'send-interactive: Quick Reply Buttons',
    message: {
      to: '62812345678',
      interactive: {
        type: 'buttons',
        header: 'Konfirmasi Pendaftaran',
        body: 'Apakah Anda bersedia melanjutkan pendaftaran?',
        footer: 'Layanan Pendaftaran Otomatis',
        buttons: [
          { id: 'btn_yes', title: 'Ya, bersedia' },
          { id: 'btn_no', title: 'Tidak, batalkan' },
        ],
      },
    },
    request: seed.sendButtons,
  },
  {
    source: 'send-interactive: List Messages',
    message: {
      to: '62812345678',
      interactive: {
        type: 'list',
        header: 'Pusat Layanan Kirem',
        body: 'Silakan pilih menu bantuan di bawah ini untuk memulai interaksi.',
        footer: 'Kirem Bot Service',
        button: 'Pilih Bantuan',
        sections: [
          {
            title: 'Layanan Umum',
            rows: [
              {
                id: 'menu_billing',
                title: 'Cek Tagihan',
                description: 'Melihat rincian tagihan bulanan Anda',
              },
              {
                id: 'menu_support',
                title: 'Hubungi Support',
                description: 'Hubungkan dengan tim developer support',
              },
            ],
          },
          {
            title: 'Layanan Teknis',
            rows: [
              {
                id: 'menu_webhook_test',
                title: 'Uji Webhook',
                description: 'Kirim payload testing ke server Anda',
              },
            ],
          },
        ],
      },
    },
    request: seed.sendList,
  },
  {
    source: 'send-image: Media ID',
    message: {
      to: '62812345678',
      image: { id: '18471948194819', caption: 'Silakan lihat gambar brosur promo kami' },
    },
    request: seed.sendImageById,
  },
  {
    source: 'send-image: Tautan URL',
    message: {
      to: '62812345678',
      image: {
        link: 'https://kirem.id/assets/promo-poster.png',
        caption: 'Brosur Promo Akhir Tahun Kirem',
      },
    },
    request: seed.sendImageByLink,
  },
  {
    source: 'send-video: Media ID',
    message: {
      to: '62812345678',
      video: { id: '18471948194820', caption: 'Silakan tonton video demo produk kami' },
    },
    request: seed.sendVideoById,
  },
  {
    source: 'send-video: Tautan URL',
    message: {
      to: '62812345678',
      video: {
        link: 'https://kirem.id/assets/demo-video.mp4',
        caption: 'Video Tutorial Penggunaan Kirem API',
      },
    },
    request: seed.sendVideoByLink,
  },
  {
    source: 'send-location',
    message: {
      to: '62812345678',
      location: {
        longitude: 106.827153,
        latitude: -6.175392,
        name: 'Monumen Nasional',
        address: 'Gambir, Kota Jakarta Pusat, DKI Jakarta',
      },
    },
    request: seed.sendLocation,
  },
  {
    source: 'send-contacts (vCard)',
    message: {
      to: '62812345678',
      contacts: [
        {
          addresses: [
            {
              street: 'Gedung Cyber 2, Lt. 15',
              city: 'Jakarta Selatan',
              state: 'DKI Jakarta',
              zip: '12950',
              country: 'Indonesia',
              type: 'WORK',
            },
          ],
          emails: [{ email: 'support@kirem.id', type: 'WORK' }],
          name: { formattedName: 'Kirem Support', firstName: 'Kirem', lastName: 'Support' },
          org: { company: 'Kirem Indonesia', department: 'Developer Support' },
          phones: [{ phone: '+62812345678', type: 'WORK', waId: '62812345678' }],
          urls: [{ url: 'https://kirem.id', type: 'WORK' }],
        },
      ],
    },
    request: seed.sendContacts,
  },
  {
    source: 'idempotency: cURL Request dengan Idempotency Key',
    message: {
      to: '62812345678',
      text: 'Halo Budi, tagihan Anda sebesar Rp 150.000 telah terbit.',
      idempotencyKey: seed.idempotencyKey,
    },
    request: seed.sendInvoiceText,
  },
];
