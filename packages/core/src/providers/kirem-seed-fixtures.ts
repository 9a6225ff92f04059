import type { OutgoingMessage } from '../message.js';

/**
 * Example requests copied verbatim from the Kirem seed (shared/seeds/kirem-api.txt), each with the
 * neutral message that must produce exactly that JSON. If our translation drifts from the seed,
 * the contract tests fail.
 */
export interface SeedSendFixture {
  /** The seed section the request comes from. */
  source: string;
  message: OutgoingMessage;
  request: Record<string, unknown>;
  /** Templates the sandbox must have approved first. */
  approve?: string;
}

export const SEED_SEND_FIXTURES: SeedSendFixture[] = [
  {
    source: 'REST API Specification 1. Kirim Pesan Teks',
    message: { to: '6282360419136', text: 'Halo dari Kirem!' },
    request: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6282360419136',
      type: 'text',
      text: { body: 'Halo dari Kirem!' },
    },
  },
  {
    source: 'REST API Specification 2. Kirim Pesan Templat',
    message: {
      to: '6282360419136',
      template: { name: 'otp_verification', language: 'id', params: ['123456'] },
    },
    request: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6282360419136',
      type: 'template',
      template: {
        name: 'otp_verification',
        language: { code: 'id' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: '123456' }] }],
      },
    },
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
    request: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '62812345678',
      type: 'template',
      template: {
        name: 'promo_diskon_baru',
        language: { code: 'id' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: 'Budi' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: '50' },
              { type: 'text', text: 'HEMAT50' },
            ],
          },
        ],
      },
    },
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
    request: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '62812345678',
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'text', text: 'Konfirmasi Pendaftaran' },
        body: { text: 'Apakah Anda bersedia melanjutkan pendaftaran?' },
        footer: { text: 'Layanan Pendaftaran Otomatis' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'btn_yes', title: 'Ya, bersedia' } },
            { type: 'reply', reply: { id: 'btn_no', title: 'Tidak, batalkan' } },
          ],
        },
      },
    },
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
    request: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '62812345678',
      type: 'interactive',
      interactive: {
        type: 'list',
        header: { type: 'text', text: 'Pusat Layanan Kirem' },
        body: { text: 'Silakan pilih menu bantuan di bawah ini untuk memulai interaksi.' },
        footer: { text: 'Kirem Bot Service' },
        action: {
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
    },
  },
  {
    source: 'send-image: Media ID',
    message: {
      to: '62812345678',
      image: { id: '18471948194819', caption: 'Silakan lihat gambar brosur promo kami' },
    },
    request: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '62812345678',
      type: 'image',
      image: { id: '18471948194819', caption: 'Silakan lihat gambar brosur promo kami' },
    },
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
    request: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '62812345678',
      type: 'image',
      image: {
        link: 'https://kirem.id/assets/promo-poster.png',
        caption: 'Brosur Promo Akhir Tahun Kirem',
      },
    },
  },
  {
    source: 'send-video: Media ID',
    message: {
      to: '62812345678',
      video: { id: '18471948194820', caption: 'Silakan tonton video demo produk kami' },
    },
    request: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '62812345678',
      type: 'video',
      video: { id: '18471948194820', caption: 'Silakan tonton video demo produk kami' },
    },
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
    request: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '62812345678',
      type: 'video',
      video: {
        link: 'https://kirem.id/assets/demo-video.mp4',
        caption: 'Video Tutorial Penggunaan Kirem API',
      },
    },
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
    request: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '62812345678',
      type: 'location',
      location: {
        longitude: 106.827153,
        latitude: -6.175392,
        name: 'Monumen Nasional',
        address: 'Gambir, Kota Jakarta Pusat, DKI Jakarta',
      },
    },
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
    request: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '62812345678',
      type: 'contacts',
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
          name: { formatted_name: 'Kirem Support', first_name: 'Kirem', last_name: 'Support' },
          org: { company: 'Kirem Indonesia', department: 'Developer Support' },
          phones: [{ phone: '+62812345678', type: 'WORK', wa_id: '62812345678' }],
          urls: [{ url: 'https://kirem.id', type: 'WORK' }],
        },
      ],
    },
  },
  {
    source: 'idempotency: cURL Request dengan Idempotency Key',
    message: {
      to: '62812345678',
      text: 'Halo Budi, tagihan Anda sebesar Rp 150.000 telah terbit.',
      idempotencyKey: 'e7b2a95c-9c2f-4b0d-9ea1-df3d686bc456',
    },
    request: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '62812345678',
      type: 'text',
      text: { body: 'Halo Budi, tagihan Anda sebesar Rp 150.000 telah terbit.' },
    },
  },
];

/** The seed's create-template example (create-template: POST /v1/templates). */
export const SEED_TEMPLATE_DEFINITION = {
  name: 'konfirmasi_pesanan',
  category: 'UTILITY',
  language: 'id',
  components: [
    {
      type: 'BODY',
      text: 'Halo {{1}}, pesanan Anda #{{2}} telah dikonfirmasi. Estimasi pengiriman: {{3}} hari kerja.',
    },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Lacak Pesanan' },
        { type: 'URL', text: 'Lihat Status', url: 'https://kirem.co.id/pesanan/{{2}}' },
      ],
    },
  ],
} as const;

/** The seed's profile update example (manage-profile: POST /v1/profile). */
export const SEED_PROFILE_UPDATE = {
  about: 'Solusi Komunikasi Bisnis Terpadu',
  address: 'Gedung Cyber 2, Lt. 17, Jakarta Selatan',
  description: 'Kirem menyediakan API WhatsApp handal untuk integrasi enterprise.',
  email: 'help@kirem.id',
  vertical: 'RETAIL',
  websites: ['https://kirem.id', 'https://kirem.id/blog'],
};
