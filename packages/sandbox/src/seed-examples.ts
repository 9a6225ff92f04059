/**
 * Request bodies copied verbatim from Kirem's API documentation (shared/seeds/kirem-api.txt).
 * The sandbox's tests prove it accepts what Kirem's docs tell people to send; client tests
 * (`@kabar/sandbox/seed-examples`) prove a client produces exactly these bodies.
 */

export const sendText = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '6282360419136',
  type: 'text',
  text: { body: 'Halo dari Kirem!' },
};

export const sendFirstMessage = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '62812345678',
  type: 'text',
  text: { body: 'Halo! Ini adalah pesan uji coba pertama saya menggunakan Kirem API.' },
};

export const sendOtpTemplate = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '6282360419136',
  type: 'template',
  template: {
    name: 'otp_verification',
    language: { code: 'id' },
    components: [{ type: 'body', parameters: [{ type: 'text', text: '123456' }] }],
  },
};

export const sendPromoTemplate = {
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
};

export const sendImageById = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '62812345678',
  type: 'image',
  image: { id: '18471948194819', caption: 'Silakan lihat gambar brosur promo kami' },
};

export const sendImageByLink = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '62812345678',
  type: 'image',
  image: {
    link: 'https://kirem.id/assets/promo-poster.png',
    caption: 'Brosur Promo Akhir Tahun Kirem',
  },
};

export const sendVideoById = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '62812345678',
  type: 'video',
  video: { id: '18471948194820', caption: 'Silakan tonton video demo produk kami' },
};

export const sendVideoByLink = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '62812345678',
  type: 'video',
  video: {
    link: 'https://kirem.id/assets/demo-video.mp4',
    caption: 'Video Tutorial Penggunaan Kirem API',
  },
};

export const sendLocation = {
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
};

export const sendContacts = {
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
};

export const sendButtons = {
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
};

/** The n8n bot example gives only the interactive part; its titles carry emoji. */
export const n8nButtons = {
  type: 'interactive',
  interactive: {
    type: 'button',
    body: { text: 'Halo! Apa yang bisa saya bantu?' },
    action: {
      buttons: [
        { type: 'reply', reply: { id: 'harga', title: '💰 Harga' } },
        { type: 'reply', reply: { id: 'bantuan', title: '🆘 Bantuan' } },
      ],
    },
  },
};

export const sendList = {
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
};

export const readReceipt = {
  messaging_product: 'whatsapp',
  message_id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBcGAgQRFRMyFAA=',
};

export const idempotencyKey = 'e7b2a95c-9c2f-4b0d-9ea1-df3d686bc456';

export const sendInvoiceText = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '62812345678',
  type: 'text',
  text: { body: 'Halo Budi, tagihan Anda sebesar Rp 150.000 telah terbit.' },
};

export const createKonfirmasiPesanan = {
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
};

export const createPromoDiskonBaru = {
  name: 'promo_diskon_baru',
  category: 'MARKETING',
  language: 'id',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Promo Spesial!' },
    {
      type: 'BODY',
      text: 'Halo {{1}}, nikmati diskon khusus {{2}}% untuk semua produk. Gunakan kode: {{3}}.',
    },
    { type: 'FOOTER', text: 'Kirim STOP untuk berhenti berlangganan.' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Tertarik!' },
        { type: 'URL', text: 'Kunjungi Situs', url: 'https://kirem.co.id/promo' },
      ],
    },
  ],
};

export const createNotifPesananBaru = {
  name: 'notif_pesanan_baru',
  category: 'UTILITY',
  language: 'id',
  components: [
    {
      type: 'BODY',
      text: 'Halo {{1}}, terima kasih telah berbelanja di {{2}}!\n\nPesanan #{{3}} telah kami terima.\nTotal: Rp {{4}}\n\nKami akan segera memproses pesanan Anda.',
    },
  ],
};

export const updateProfile = {
  about: 'Solusi Komunikasi Bisnis Terpadu',
  address: 'Gedung Cyber 2, Lt. 17, Jakarta Selatan',
  description: 'Kirem menyediakan API WhatsApp handal untuk integrasi enterprise.',
  email: 'help@kirem.id',
  vertical: 'RETAIL',
  websites: ['https://kirem.id', 'https://kirem.id/blog'],
};

export const seededProfile = {
  about: 'Solusi Komunikasi Bisnis Terbaik',
  address: 'Gedung Cyber 2, Lt. 15, Jakarta Selatan',
  description: 'Kirem adalah platform WhatsApp Business API Developer Terpercaya.',
  email: 'support@kirem.co.id',
  vertical: 'RETAIL',
  websites: ['https://kirem.co.id', 'https://docs.kirem.co.id'],
  profile_picture_url: 'https://pps.whatsapp.net/v/t61.24694-24/...',
};

export const mcpToolsList = { jsonrpc: '2.0', method: 'tools/list', id: 1 };

export const mcpListConversations = {
  jsonrpc: '2.0',
  method: 'tools/call',
  params: { name: 'list_conversations', arguments: { status: 'open' } },
  id: 2,
};

export const mcpGetConversation = {
  jsonrpc: '2.0',
  method: 'tools/call',
  params: {
    name: 'get_conversation',
    arguments: { session_id: '8a3d12d4-1a9b-4bfa-a7b3-c123456789ab' },
  },
  id: 3,
};

export const mcpSendMessage = {
  jsonrpc: '2.0',
  method: 'tools/call',
  params: {
    name: 'send_message',
    arguments: {
      session_id: '8a3d12d4-1a9b-4bfa-a7b3-c123456789ab',
      text: 'Halo! Produk X saat ini ready stock. Ingin langsung kami buatkan pesanannya?',
    },
  },
  id: 4,
};
