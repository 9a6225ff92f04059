/**
 * Requests and responses copied verbatim from the gateways' own documentation (shared/seeds/*.txt):
 * Kirem's first, then Kirimy's, Qirim's and Waviro's, each prefixed with the gateway's name.
 * The sandbox's tests prove it accepts what the docs tell people to send; client tests
 * (`@kabar/sandbox/seed-examples`) prove a client produces exactly these bodies. The docs' own
 * placeholders (`62xxxxxxxxxxx`, `{{...}}`) are kept, so replace them before sending.
 *
 * @example
 * ```ts
 * import * as seed from '@kabar/sandbox/seed-examples';
 * import { useSandbox } from '@kabar/sandbox/vitest';
 * import { expect, it } from 'vitest';
 *
 * const sandbox = useSandbox();
 *
 * it('accepts the documented text message', async () => {
 *   // Your Kirem client stands here; it should send exactly this body.
 *   await fetch(`${sandbox.kirem.baseUrl}/v1/messages`, {
 *     method: 'POST',
 *     headers: {
 *       authorization: `Bearer ${sandbox.kirem.apiKey}`,
 *       'content-type': 'application/json',
 *     },
 *     body: JSON.stringify(seed.sendText),
 *   });
 *   expect((await sandbox.latest())?.payload).toEqual(seed.sendText);
 * });
 * ```
 *
 * @packageDocumentation
 */

/** Kirem: a text message, the body of `POST /v1/messages`, from Kirem's docs. */
export const sendText = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '6282360419136',
  type: 'text',
  text: { body: 'Halo dari Kirem!' },
};

/** Kirem: the quickstart's first text message (`POST /v1/messages`), from Kirem's docs. */
export const sendFirstMessage = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '62812345678',
  type: 'text',
  text: { body: 'Halo! Ini adalah pesan uji coba pertama saya menggunakan Kirem API.' },
};

/**
 * Kirem: the `otp_verification` template with the code as its body parameter (`POST /v1/messages`),
 * from Kirem's docs.
 */
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

/**
 * Kirem: the `promo_diskon_baru` template with header and body parameters (`POST /v1/messages`),
 * from Kirem's docs.
 */
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

/**
 * Kirem: an image by uploaded media id, with a caption (`POST /v1/messages`), from Kirem's docs.
 */
export const sendImageById = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '62812345678',
  type: 'image',
  image: { id: '18471948194819', caption: 'Silakan lihat gambar brosur promo kami' },
};

/** Kirem: an image by URL, with a caption (`POST /v1/messages`), from Kirem's docs. */
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

/** Kirem: a video by uploaded media id, with a caption (`POST /v1/messages`), from Kirem's docs. */
export const sendVideoById = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '62812345678',
  type: 'video',
  video: { id: '18471948194820', caption: 'Silakan tonton video demo produk kami' },
};

/** Kirem: a video by URL, with a caption (`POST /v1/messages`), from Kirem's docs. */
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

/** Kirem: a location pin (`POST /v1/messages`), from Kirem's docs. */
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

/** Kirem: a contact card (`POST /v1/messages`), from Kirem's docs. */
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

/**
 * Kirem: an interactive message with two reply buttons (`POST /v1/messages`), from Kirem's docs.
 */
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

/** Kirem: an interactive list with two sections (`POST /v1/messages`), from Kirem's docs. */
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

/** Kirem: the body of `POST /v1/messages/read`, marking a message read, from Kirem's docs. */
export const readReceipt = {
  messaging_product: 'whatsapp',
  message_id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBcGAgQRFRMyFAA=',
};

/** Kirem: an `Idempotency-Key` header value, from Kirem's docs. */
export const idempotencyKey = 'e7b2a95c-9c2f-4b0d-9ea1-df3d686bc456';

/** Kirem: an invoice text message (`POST /v1/messages`), from Kirem's docs. */
export const sendInvoiceText = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '62812345678',
  type: 'text',
  text: { body: 'Halo Budi, tagihan Anda sebesar Rp 150.000 telah terbit.' },
};

/**
 * Kirem: `POST /v1/templates` creating the UTILITY template `konfirmasi_pesanan`, from Kirem's
 * docs.
 */
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

/**
 * Kirem: `POST /v1/templates` creating the MARKETING template `promo_diskon_baru`, from Kirem's
 * docs.
 */
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

/**
 * Kirem: `POST /v1/templates` creating the UTILITY template `notif_pesanan_baru`, from Kirem's
 * docs.
 */
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

/** Kirem: the body of `POST /v1/profile`, updating the business profile, from Kirem's docs. */
export const updateProfile = {
  about: 'Solusi Komunikasi Bisnis Terpadu',
  address: 'Gedung Cyber 2, Lt. 17, Jakarta Selatan',
  description: 'Kirem menyediakan API WhatsApp handal untuk integrasi enterprise.',
  email: 'help@kirem.id',
  vertical: 'RETAIL',
  websites: ['https://kirem.id', 'https://kirem.id/blog'],
};

/**
 * Kirem: the business profile `GET /v1/profile` answers with (its `data`), from Kirem's docs; the
 * sandbox starts with it.
 */
export const seededProfile = {
  about: 'Solusi Komunikasi Bisnis Terbaik',
  address: 'Gedung Cyber 2, Lt. 15, Jakarta Selatan',
  description: 'Kirem adalah platform WhatsApp Business API Developer Terpercaya.',
  email: 'support@kirem.co.id',
  vertical: 'RETAIL',
  websites: ['https://kirem.co.id', 'https://docs.kirem.co.id'],
  profile_picture_url: 'https://pps.whatsapp.net/v/t61.24694-24/...',
};

/** Kirem: the JSON-RPC `tools/list` call to `POST /v1/mcp`, from Kirem's docs. */
export const mcpToolsList = { jsonrpc: '2.0', method: 'tools/list', id: 1 };

/**
 * Kirem: `POST /v1/mcp` calling the `list_conversations` tool for open conversations, from Kirem's
 * docs.
 */
export const mcpListConversations = {
  jsonrpc: '2.0',
  method: 'tools/call',
  params: { name: 'list_conversations', arguments: { status: 'open' } },
  id: 2,
};

/**
 * Kirem: `POST /v1/mcp` calling the `get_conversation` tool, from Kirem's docs; the sandbox seeds
 * this conversation.
 */
export const mcpGetConversation = {
  jsonrpc: '2.0',
  method: 'tools/call',
  params: {
    name: 'get_conversation',
    arguments: { session_id: '8a3d12d4-1a9b-4bfa-a7b3-c123456789ab' },
  },
  id: 3,
};

/** Kirem: `POST /v1/mcp` calling the `send_message` tool, from Kirem's docs. */
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

// Kirimy (shared/seeds/kirimy-api.txt)

/** The multipart form fields of the example request. */
export const kirimySendMessage = {
  session_id: 'sessioncontoh',
  receive: '62xxxxxxxxxxx',
  message: 'hallo, ini dikirim dari kirimy api',
};

/**
 * Kirimy: the example `api-key` header value from Kirimy's docs; the sandbox refuses it unless it
 * is in `kirimy.apiKeys`.
 */
export const kirimyExampleApiKey =
  'b22d5cc2a561ce890269f782d3321858bf5f6e8d26418cbd903e801d7f08fee2';

/** Kirimy: the success answer to `POST /send-message`, from Kirimy's docs. */
export const kirimySendSuccess = {
  success: true,
  message: 'Message sent successfully',
  data: {
    message_id: 'MESSAGE_ID_HERE',
    session_id: 'sessioncontoh',
    receive: '62xxxxxxxxxxx',
    timestamp: '2024-01-01T10:00:00Z',
  },
};

/**
 * Kirimy: the error body format (`success: false`, `message`, `error_code`), from Kirimy's docs.
 */
export const kirimyErrorResponse = {
  success: false,
  message: 'Error message description',
  error_code: 'ERROR_CODE',
};

/** The error codes table, code to description. */
export const kirimyErrorCodes = {
  INVALID_API_KEY: 'API key tidak valid atau sudah expired',
  SESSION_NOT_FOUND: 'Session ID tidak ditemukan',
  SESSION_INACTIVE: 'Session tidak dalam kondisi aktif',
  INVALID_PHONE_NUMBER: 'Format nomor WhatsApp tidak valid',
  MESSAGE_EMPTY: 'Pesan tidak boleh kosong',
  QUOTA_EXCEEDED: 'Kuota pengiriman API telah habis',
};

// Qirim (shared/seeds/qirim-api.txt)

/** Qirim: the body of `POST /otp/request`, from Qirim's docs. */
export const qirimOtpRequest = { phone: '08123456789', purpose: 'login' };

/** Qirim: the answer to `POST /otp/request`, from Qirim's docs. */
export const qirimOtpRequestResponse = {
  success: true,
  data: {
    request_id: 'e683e653-7e51-4635-bee5-9298ad5578be',
    phone: '628123456789',
    expires_in: 300,
    expires_at: '2026-06-26T10:31:01+00:00',
  },
};

/** Qirim: the body of `POST /otp/verify`, from Qirim's docs. */
export const qirimOtpVerify = { phone: '08123456789', code: '123456' };

/** Qirim: the answer to a successful `POST /otp/verify`, from Qirim's docs. */
export const qirimOtpVerifyResponse = {
  success: true,
  data: { verified: true, phone: '628123456789' },
};

/** Qirim: a text notification, the body of `POST /notifications/send`, from Qirim's docs. */
export const qirimSendText = { to: '08123456789', type: 'text', text: 'Halo 👋' };

/** Qirim: a media notification by URL (`POST /notifications/send`), from Qirim's docs. */
export const qirimSendMedia = {
  to: '0812...',
  type: 'media',
  media_url: 'https://...jpg',
  mediatype: 'image',
  caption: 'Promo',
};

/**
 * Qirim: a stored template sent to two numbers with its `vars` (`POST /notifications/send`), from
 * Qirim's docs.
 */
export const qirimSendTemplate = {
  to: ['0812...', '0813...'],
  type: 'template',
  template: 'invoice',
  vars: { no: 'INV-1', total: 'Rp10.000' },
};

/**
 * Qirim: the answer to `POST /notifications/send`, with the batch id and counts, from Qirim's docs.
 */
export const qirimSendResponse = {
  success: true,
  data: { batch_id: '7de1...', accepted: 1, queued: 1, rejected: 0 },
};

/** Qirim: the answer to `GET /notifications/:batch_id`, from Qirim's docs. */
export const qirimBatchStatusResponse = {
  success: true,
  data: {
    batch_id: '7de1...',
    counts: { sent: 1 },
    messages: [{ to: '628...', status: 'sent', evolution_message_id: '3EB0...' }],
  },
};

/** The error table: HTTP status, code and meaning. */
export const qirimErrorCodes = [
  { status: 401, code: 'unauthenticated', meaning: 'API key salah / hilang' },
  { status: 403, code: 'feature_disabled', meaning: 'Fitur (otp/notif) belum aktif untuk key ini' },
  { status: 422, code: 'invalid_phone', meaning: 'Nomor tidak valid' },
  { status: 429, code: 'resend_cooldown', meaning: 'Terlalu cepat minta ulang (ada retry_after)' },
  { status: 429, code: 'daily_limit', meaning: 'Batas OTP harian per nomor tercapai' },
  { status: 422, code: 'otp_expired', meaning: 'Kode kadaluarsa / belum diminta' },
  { status: 422, code: 'otp_incorrect', meaning: 'Kode salah (ada attempts_remaining)' },
  { status: 429, code: 'too_many_attempts', meaning: 'Salah terlalu sering → minta kode baru' },
  { status: 422, code: 'validation_error', meaning: 'Body tidak valid (ada fields)' },
];

// Waviro (shared/seeds/waviro-api.txt). The docs page obfuscated the `from`/`to` chat ids as
// '[email protected]' (an email-protection artefact); they are '<number>@c.us' or '<group>@g.us'.

/** Waviro: the body of `POST /api/sendwa` (a text to a number), from Waviro's docs. */
export const waviroSendText = {
  nohp: '628123xxxxxx',
  pesan: 'Test kirim text',
  notifyurl: 'https://yourdomain/your_notify_url',
};

/** Waviro: the answer to `POST /api/sendwa`, from Waviro's docs. */
export const waviroSendTextResponse = {
  success: true,
  message: {
    id: '3EB02B7BEAD27AFA278E',
    status: 0,
    type: 'text',
    timestamp: 1678849330,
    from: '[email protected]',
    to: '[email protected]',
  },
};

/**
 * Waviro: the body of `POST /api/sendmedia` (a file by URL, with a caption), from Waviro's docs.
 */
export const waviroSendMedia = {
  nohp: '628123xxxxxx',
  pesan: 'Test kirim text',
  notifyurl: 'https://yourdomain/your_notify_url',
  mediaurl: 'https://yourdomain/yourmedia.pdf',
};

/** Waviro: the answer to `POST /api/sendmedia`, from Waviro's docs. */
export const waviroSendMediaResponse = {
  success: true,
  message: {
    id: '3EB0A66BA470D58E12C1',
    status: 0,
    type: 'image',
    timestamp: 1678852941,
    from: '[email protected]',
    to: '[email protected]',
  },
};

/** Waviro: the body of `POST /api/sendlocation`, from Waviro's docs. */
export const waviroSendLocation = {
  nohp: '628123xxxxxx',
  latitude: '0.525960',
  longitude: '101.426866',
  pesan: 'Kantor Pusat',
  notifyurl: 'https://yourdomain/your_notify_url',
};

/** Waviro: the answer to `POST /api/sendlocation`, from Waviro's docs. */
export const waviroSendLocationResponse = {
  success: true,
  message: {
    id: '3EB08F8CEA28CD2EDD18',
    status: 0,
    type: 'chat',
    timestamp: 1678869569,
    from: '[email protected]',
    to: '[email protected]',
  },
};

/** Waviro: the body of `POST /api/sendcontact`, from Waviro's docs. */
export const waviroSendContact = {
  nohp: '628123xxxxxx',
  notifyurl: 'https://yourdomain/your_notify_url',
  contact: { name: 'Test', numbers: ['628124xxxxxx', '628125xxxxxx', '628126xxxxxx'] },
};

/** Waviro: the answer to `POST /api/sendcontact`, from Waviro's docs. */
export const waviroSendContactResponse = {
  success: true,
  message: {
    id: '3EB08F8CEA28CD2EDD18',
    status: 0,
    type: 'vcard',
    timestamp: 1678869569,
    from: '[email protected]',
    to: '[email protected]',
  },
};

/** Waviro: the body of `POST /api/sendwatogroup` (a text to a group), from Waviro's docs. */
export const waviroSendTextToGroup = {
  groupid: '120363xxxxxxxxxxx',
  pesan: 'Test kirim text',
  notifyurl: 'https://yourdomain/your_notify_url',
};

/** Waviro: the answer to `POST /api/sendwatogroup`, from Waviro's docs. */
export const waviroSendTextToGroupResponse = {
  success: true,
  message: {
    id: '3EB0AE9AE7A8C0845C53',
    status: 0,
    type: 'chat',
    timestamp: 1678862008,
    from: '[email protected]',
    to: '[email protected]',
  },
};

/** Waviro: the body of `POST /api/sendmediatogroup`, from Waviro's docs. */
export const waviroSendMediaToGroup = {
  groupid: '120363xxxxxxxxxxx',
  pesan: 'Test kirim text',
  notifyurl: 'https://yourdomain/your_notify_url',
  mediaurl: 'https://yourdomain/yourmedia.pdf',
};

/** Waviro: the body of `POST /api/sendlocationtogroup`, from Waviro's docs. */
export const waviroSendLocationToGroup = {
  groupid: '120363xxxxxxxxxxx',
  latitude: '0.525960',
  longitude: '101.426866',
  pesan: 'Kantor Pusat',
  notifyurl: 'https://yourdomain/your_notify_url',
};

/** Waviro: the body of `POST /api/sendcontacttogroup`, from Waviro's docs. */
export const waviroSendContactToGroup = {
  groupid: '120363xxxxxxxxxxx',
  notifyurl: 'https://yourdomain/your_notify_url',
  contact: { name: 'Test', numbers: ['628124xxxxxx', '628125xxxxxx', '628126xxxxxx'] },
};

/** Waviro: the answer to `POST /api/groups`, listing the bot's groups, from Waviro's docs. */
export const waviroGroupsResponse = {
  success: true,
  message: [
    { groupid: '120363xxxxxxxxxxx', groupname: 'test', grouplastchat: 1678975656 },
    { groupid: '120364xxxxxxxxxxx', groupname: 'test 2', grouplastchat: 1678975657 },
  ],
};

/** Waviro: the answer to `POST /api/getqr` while the bot is logged in, from Waviro's docs. */
export const waviroQrAuthenticatedResponse = {
  success: true,
  message: {
    isAuthenticated: true,
    number: '6283xxxxxxxxx',
    name: '6283xxxxxxxxx',
    qrcode: '',
  },
};

/**
 * Waviro: the answer to `POST /api/getqr` while the bot is logged out, with the QR code to scan,
 * from Waviro's docs.
 */
export const waviroQrResponse = {
  success: true,
  message: { isAuthenticated: false, qrcode: '2@cuTD5E9F,0S3s8oo08PKOx8PPvlO0/HxOG8jPxEk=' },
};

/** Waviro: the body of `POST /api/checknumber`, from Waviro's docs. */
export const waviroCheckNumber = { nohp: '628123xxxxxx' };

/** Waviro: the answer to `POST /api/checknumber` for a number on WhatsApp, from Waviro's docs. */
export const waviroCheckNumberResponse = { success: true, message: true };

/** Waviro: the body of every failure (HTTP 400), from Waviro's docs. */
export const waviroErrorResponse = { success: false, errorMessage: '[Pesan Error]' };

/** What the bot POSTs to a notifyurl when a message's status changes. */
export const waviroNotifyPayload = { msgid: '3EB020B4DBA916EB3379', ack: 3 };

// Webhooks: what the gateways POST to the business. Kirem's and Waviro's are verbatim from their
// docs; Meta's two are the sandbox's own, in Meta's documented Cloud API format, with the
// sandbox's default ids.

/** Kirem: "Callback Webhook Klik Tombol (Quick Reply)", signed with X-Kirem-Signature. */
export const kiremWebhookButtonReply = {
  event: 'messages.received',
  data: {
    from: '62812345678',
    message_id: 'wamid.HBgLN...',
    type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id: 'btn_yes', title: 'Ya, bersedia' } },
  },
};

/** Waviro: what the customer types to trigger the 'penawaran#' keyword. */
export const waviroKeywordInput = 'penawaran#Jhon Doe#[email protected]';

/** Waviro: what the bot POSTs to the keyword's URL for waviroKeywordInput. */
export const waviroKeywordPayload = {
  keyword: 'penawaran#',
  data: ['Jhon Doe', '[email protected]'],
  webhookkey: 'YourSecretWebhookKey',
  from: '6282386xxxxxx',
};

/** Waviro: the response format a keyword webhook must answer with. */
export const waviroKeywordReply = {
  success: true,
  message: {
    reply: [
      { type: 'message', content: 'Webhook Response' },
      { type: 'message', content: 'Webhook Response' },
      { type: 'message', content: 'Webhook Response' },
    ],
  },
};

/** Waviro: every kind of reply item (text, location, audio, image, document). */
export const waviroKeywordReplyMixed = {
  success: true,
  message: {
    reply: [
      { type: 'message', content: 'Webhook Response' },
      { type: 'location', content: [{ coordinate: '{{latitude}}-{{longitude}}' }] },
      { type: 'audio', content: 'https://yourdomain/your_audio_file.mp3' },
      { type: 'image', content: 'https://yourdomain/your_image_file.png' },
      { type: 'document', content: 'https://yourdomain/your_document_file.pdf' },
    ],
  },
};

/** Meta: a customer's text message (with an emoji and a '/', which Meta's raw body escapes). */
export const metaWebhookText = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '9876543210',
      changes: [
        {
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '6281100001234', phone_number_id: '1234567890' },
            contacts: [{ profile: { name: 'Budi' }, wa_id: '6281234567890' }],
            messages: [
              {
                from: '6281234567890',
                id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDNUE3RjU2QjZDOEQ3RTBBAA==',
                timestamp: '1767225600',
                type: 'text',
                text: { body: 'Halo 👋 pesanan 12/05 sudah dikirim?' },
              },
            ],
          },
          field: 'messages',
        },
      ],
    },
  ],
};

/** metaWebhookText exactly as Meta sends it: non-ASCII as \uXXXX (lowercase hex), '/' as '\/'. */
export const metaWebhookTextRawBody =
  '{"object":"whatsapp_business_account","entry":[{"id":"9876543210","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100001234","phone_number_id":"1234567890"},"contacts":[{"profile":{"name":"Budi"},"wa_id":"6281234567890"}],"messages":[{"from":"6281234567890","id":"wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDNUE3RjU2QjZDOEQ3RTBBAA==","timestamp":"1767225600","type":"text","text":{"body":"Halo \\ud83d\\udc4b pesanan 12\\/05 sudah dikirim?"}}]},"field":"messages"}]}]}';

/** X-Hub-Signature-256 of metaWebhookTextRawBody with the sandbox's default app secret 'meta_app_secret'. */
export const metaWebhookTextSignature =
  'sha256=c40bc4f2c5b425f55cd885f2213f5d0fc46aa5371194f6c166145883c75e3ecf';

/** Meta: a 'delivered' status for a message the business sent. */
export const metaWebhookStatus = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '9876543210',
      changes: [
        {
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '6281100001234', phone_number_id: '1234567890' },
            statuses: [
              {
                id: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ0QjU1QzU2RDZFN0Y4QTlCMAA=',
                status: 'delivered',
                timestamp: '1767225660',
                recipient_id: '6281234567890',
              },
            ],
          },
          field: 'messages',
        },
      ],
    },
  ],
};
