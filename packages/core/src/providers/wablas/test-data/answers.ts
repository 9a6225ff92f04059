/**
 * Wablas answers and webhook bodies for the tests, from shared/research/gateways-fonnte-wablas.md
 * (Part B). "bdg docs" is the Markdown copy of https://bdg.wablas.com/documentation/api the note
 * describes in B14. Phone numbers are placeholders, written with digits where the docs write
 * `xxxx`; ids are the docs' own.
 */

/**
 * B6, bdg docs "Send Simple Text Message": the v1 text answer, with `device_id` and `quota` in
 * `data` as the media and v2 samples have them (the v1 text sample itself leaves them out).
 */
export const sendText = {
  status: true,
  message: 'Message is pending and waiting to be processed',
  data: {
    device_id: 'A5DOYJ',
    quota: 88,
    messages: [
      {
        id: '5be46e84-650c-4ba1-a1a6-5647d358c43a',
        phone: '6281218000001',
        message: 'hello there',
        status: 'pending',
      },
    ],
  },
};

/**
 * B6, public project logs (capture, 2026): `phone` came back as a JSON number and `ref_id` as an
 * empty string; `quota` may be the string "unlimited" (bdg docs).
 */
export const sendTextNumericPhone = {
  status: true,
  message: 'Message is pending and waiting to be processed',
  data: {
    device_id: 'A5DOYJ',
    quota: 'unlimited',
    messages: [
      {
        id: '0c1d2e3f-4a5b-4c6d-8e7f-901234567890',
        phone: 6281218000001,
        message: 'hello there',
        status: 'pending',
        ref_id: '',
      },
    ],
  },
};

/**
 * B6, bdg docs "Single Send Image": media answers carry `device_id`, `quota`, the caption and the
 * file name, with `message: null`.
 */
export const sendImage = {
  status: true,
  message: 'Message is pending and waiting to be processed',
  data: {
    device_id: 'A5DOYJ',
    quota: 87,
    messages: [
      {
        id: '8a3e2b1c-7d6f-4e5a-9b8c-1d2e3f4a5b6c',
        phone: '6281218000001',
        message: null,
        caption: 'Nota pembelian',
        image: 'nota.jpg',
        status: 'pending',
      },
    ],
  },
};

/** B3/B6, bdg docs "Send Text Message (v2 API)": one `messages` entry per `data` item. */
export const sendTextV2 = {
  status: true,
  message: 'Message is pending and waiting to be processed',
  data: {
    device_id: 'A5DOYJ',
    quota: 86,
    messages: [
      {
        id: '11111111-2222-4333-8444-555555555555',
        phone: '6281218000001',
        message: 'Hello! Welcome to our service.',
        status: 'pending',
      },
      {
        id: '66666666-7777-4888-9999-aaaaaaaaaaaa',
        phone: '6281218000002',
        message: 'Hello! Welcome to our service.',
        status: 'pending',
      },
    ],
  },
};

/**
 * B6, bdg docs `random=true` samples: `data` is a list of devices, and the inner key is spelled
 * `messages` (an object) for one and `message` for the next. Kabar never sends `random`; the
 * parser must still cope.
 */
export const sendRandom = {
  status: true,
  message: 'Message is pending and waiting to be processed',
  data: [
    {
      device_id: 'A5DOYJ',
      quota: 85,
      messages: {
        id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        phone: '6281218000001',
        message: 'hello there',
        status: 'pending',
      },
    },
    {
      device_id: 'B7XQ2M',
      quota: 40,
      message: [
        {
          id: 'ffffffff-0000-4111-8222-333333333333',
          phone: '6281218000002',
          message: 'hello there',
          status: 'pending',
        },
      ],
    },
  ],
};

/** B4, bdg docs "Upload File": the returned URL is what the URL endpoints send. */
export const upload = {
  status: true,
  message: 'Upload file successfully',
  data: { messages: [{ url: 'https://bdg.wablas.com/image/nota.jpg' }] },
};

/** B7, bdg docs "Create Schedule": `messages` at the top, and a `"phones list"` key with a space. */
export const schedule = {
  status: true,
  category: 'text',
  message: 'Scheduled Messages is succesfully saved and waiting to be processed',
  'phones list': ['0876564546565'],
  messages: [
    {
      id: '8d554adc-1f2e-4d3c-9b8a-7f6e5d4c3b2a',
      phone: '62876564546565',
      message: 'text',
      status: true,
      timezone: 'Asia/Jakarta',
      schedule_at: '2022-05-20 13:20:00',
    },
  ],
};

/** B8, bdg docs "Device Info". */
export const deviceInfo = {
  status: true,
  data: {
    name: 'eko',
    serial: 'WYE9xx',
    sender: '6281229880000',
    quota: 91,
    expired_date: '2022-04-08',
    active: true,
    status: 'disconnected',
  },
};

/** B9, bdg docs "Check Phone": `status` is the string "success" here. */
export const checkPhone = {
  status: 'success',
  data: [
    { phone: '6281393961320', status: 'online' },
    { phone: '62142312121', status: 'offline' },
  ],
  message: 'Success',
};

/**
 * B2 and ambiguity 8, client code only (silvanixdev/plugin-wablas and other client repositories):
 * the undocumented failure, seen with HTTP 500 in one project and 400 in another.
 */
export const tokenInvalid = { status: false, message: 'token invalid or device expired' };

/** B2, client code: other failure texts the clients handle. */
export const deviceDisconnected = {
  status: false,
  message: 'device disconnected, need to scan qr code again',
};

/** B13, bdg docs "Webhook For Receive Incoming Whatsapp Message": a personal text message. */
export const incomingText = {
  id: '809DE6896F2203BC296652E16DEEC90E',
  pushName: 'Marina Karina',
  isGroup: false,
  group: { sender: '', subject: '', owner: '', desc: '', participants: null },
  message: 'File',
  phone: '6281393961000',
  messageType: 'text',
  file: '',
  url: '',
  mimeType: '',
  deviceId: 'A0HDJU',
  sender: '6289628189000',
  isFromMe: false,
  timestamp: '2021-03-31T02:15:45Z',
  profileImage: 'https://pps.whatsapp.net/v/t61/profile.jpg',
};

/**
 * B13, bdg docs: the group form of the incoming body (`isGroup:true`, the group id in `phone`,
 * the member in `group.sender`, `group.participants` as jids).
 */
export const incomingGroupImage = {
  ...incomingText,
  id: '3EB0C431C26A1916E0D4',
  isGroup: true,
  group: {
    sender: '6281393961001',
    subject: 'Reseller Batik',
    owner: '6281393961002',
    desc: '',
    participants: [{ jid: '6281393961001@s.whatsapp.net', is_admin: true }],
  },
  phone: '120363064449269000',
  messageType: 'image',
  message: 'Stok baru',
  file: 'batik.jpg',
  url: 'https://bdg.wablas.com/image/batik.jpg',
  mimeType: 'image/jpeg',
};

/**
 * B13, bdg docs "Webhook For Tracking": no JSON sample, only the field list (`id`, `phone`,
 * `status`, `note`, `sender`, `deviceId`); this body is built from it.
 */
export const trackingRead = {
  id: '5be46e84-650c-4ba1-a1a6-5647d358c43a',
  phone: '6281218000001',
  status: 'read',
  note: '',
  sender: '6289628189000',
  deviceId: 'A0HDJU',
};

/** As `trackingRead`, for a message Wablas would not send. */
export const trackingRejected = {
  ...trackingRead,
  status: 'rejected',
  note: 'phone number not registered on whatsapp',
};

/** B13, bdg docs "Webhook Device". */
export const deviceConnected = {
  deviceId: 'LJH8UM',
  deviceName: 'Riza Arif',
  sender: '6283841502450',
  status: 'connected',
  note: 'ready to use',
  timestamp: '2024-01-22T04:56:02.41114184Z',
};
